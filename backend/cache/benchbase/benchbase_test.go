package benchbase

import (
	"strings"
	"testing"
)

// TestPhoneUniqueAndApartFromTheDemo: the launch fixture seeds 100,000
// contacts beside the demo's, whose numbers are 555-01xx; a number shared
// with one of them stopped the seed at 60,109.
func TestPhoneUniqueAndApartFromTheDemo(t *testing.T) {
	seen := make(map[string]int, 200_000)
	for i := range 200_000 {
		p := Phone(i)
		if len(p) != 12 || !strings.HasPrefix(p, "+1") {
			t.Fatalf("Phone(%d) = %q, not a +1 number of 10 digits", i, p)
		}
		if strings.HasPrefix(p[5:], "55501") {
			t.Fatalf("Phone(%d) = %q is in the demo's 555-01xx range", i, p)
		}
		if j, ok := seen[p]; ok {
			t.Fatalf("Phone(%d) = Phone(%d) = %q", i, j, p)
		}
		seen[p] = i
	}
}
