package contactcsv

import (
	"fmt"
	"strings"
)

// Synthetic is a CSV of n distinct valid US contacts with two custom
// columns, in VAN's spelling: what the import benchmark and tests load.
func Synthetic(n int) string {
	var b strings.Builder
	b.Grow(n * 80)
	b.WriteString("VANID,FirstName,LastName,CellPhone,Zip5,Precinct,Polling Place\n")
	// 212/646/917/347/718 are New York area codes with valid 555-01xx-free ranges.
	areas := []string{"212", "646", "917", "347", "718", "202", "415", "312"}
	for i := range n {
		area := areas[i%len(areas)]
		num := i / len(areas)
		fmt.Fprintf(&b, "%d,First%d,Last%d,(%s) %03d-%04d,%05d,P%d,\"Library %d, Main St\"\n",
			100000+i, i, i, area, 200+num/10000, num%10000, 10000+i%90000, i%40, i%40)
	}
	return b.String()
}
