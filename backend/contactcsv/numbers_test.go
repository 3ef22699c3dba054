package contactcsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/nulchar"
)

func readNumbers(src string) (*Result, error) {
	return Read(strings.NewReader(src), Options{NumbersOnly: true})
}

// TestNumbersOnly: an opt-out list from another tool has a phone column and
// whatever else that tool wrote (no names, or columns a contact import
// would refuse as merge fields); the numbers are read by the contact
// import's rules all the same.
func TestNumbersOnly(t *testing.T) {
	res, err := readNumbers("Phone Number,Opted Out At,full_name,,Notes\n(212) 555-0100,2026-01-02,Ada,,x\n" +
		"not a number,2026-01-02,Bob,,\n+1 212 555 0100,2026-01-03,,,again\n\n2.12555E+09,,,,\n")
	if err != nil {
		t.Fatal(err)
	}
	var phones, problems []string
	for _, r := range res.Rows {
		phones = append(phones, fmt.Sprintf("%d:%s", r.Line, r.Phone))
	}
	for _, p := range res.Invalid {
		problems = append(problems, p.String())
	}
	if fmt.Sprint(phones) != "[2:+12125550100]" || res.Duplicates != 1 || res.Total != 4 || len(res.Fields) != 0 {
		t.Fatalf("rows %v, duplicates %d, total %d, fields %v", phones, res.Duplicates, res.Total, res.Fields)
	}
	if len(problems) != 2 || !strings.HasPrefix(problems[0], `line 3, column "Phone Number"`) ||
		!strings.HasPrefix(problems[1], `line 6, column "Phone Number"`) || !strings.Contains(problems[1], "scientific notation") {
		t.Fatalf("problems %q", problems)
	}
	if res.Columns["cell"] != "Phone Number" {
		t.Fatalf("columns %v", res.Columns)
	}
}

func TestNumbersOnlyFileErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "the file is empty; the first line must be a header naming a cell (or phone) column"},
		{"email,name\na@b.c,Ada\n", `line 1: no cell phone column: the header has "email", "name"`},
		{"phone\n\n,\n", "line 1: the file has a header but no numbers"},
		// Only one column's numbers are read: the other's would be left
		// out of the opt-outs without a word.
		{"cell,Cell\n2125550100,2125550101\n", `line 1: column 2, "Cell", repeats column 1, "cell", which is read as the numbers; remove or rename one`},
		{"Name,Cell Phone,Phone\nAda,2125550100,2125550101\n", `line 1: column 3, "Phone", is a second column of phone numbers beside column 2, "Cell Phone", and only one is read`},
		{"Mobile,Notes,Number\n2125550100,,2125550101\n", `line 1: column 3, "Number", is a second column of phone numbers beside column 1, "Mobile"`},
	} {
		_, err := readNumbers(tc.src)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestNumbersOnlyReadsOnlyTheNumber: an opt-out list's other columns are
// not stored, so a NUL or an overlong value in one of them does not leave
// the number out; the same in the number's column is still refused,
// naming the line and the column.
func TestNumbersOnlyReadsOnlyTheNumber(t *testing.T) {
	long := strings.Repeat("x", MaxValue+1)
	res, err := readNumbers("Name,Phone,Notes\nAda\x00,2125550100,ok\nBob,2125550101," + long + "\n" +
		"Cy,2125550\x00102,\n" + "Di," + strings.Repeat("2", MaxValue+1) + ",\n")
	if err != nil {
		t.Fatal(err)
	}
	var phones, problems []string
	for _, r := range res.Rows {
		phones = append(phones, fmt.Sprintf("%d:%s", r.Line, r.Phone))
	}
	for _, p := range res.Invalid {
		problems = append(problems, p.String())
	}
	if fmt.Sprint(phones) != "[2:+12125550100 3:+12125550101]" || res.Total != 4 {
		t.Fatalf("rows %v of %d; problems %q", phones, res.Total, problems)
	}
	want := []string{`line 4, column "Phone": ` + nulchar.Refusal,
		fmt.Sprintf(`line 5, column "Phone": %d characters; at most %d`, MaxValue+1, MaxValue)}
	if !slices.Equal(problems, want) {
		t.Fatalf("problems %q, want %q", problems, want)
	}
}

// numberProblem: a problem a list of numbers may have, one with the
// number's own column or with the row's shape.
func numberProblem(p Problem, cell string) bool {
	return p.Column == cell || p.Column == "" && strings.Contains(p.Msg, "cells, but the header has")
}

// FuzzReadNumbersOnly: a list of numbers refuses a row only for its number
// (or its shape), and the counts add up whatever the file. A file a
// contact import accepts gives the same numbers and the same bad lines
// when read as a list of numbers, unless the contact import refused a row
// for another column: then the list keeps every number the contact import
// kept, refuses only lines the contact import refused too, and keeps (or
// counts as repeated) the rows refused for another column.
func FuzzReadNumbersOnly(f *testing.F) {
	f.Add("phone\n2125550100\n212 555 0100\nx\n")
	f.Add("first,last,cell\nAda,L,2125550100\n")
	f.Add("Cell;Name\n+44 20 7946 0958;A\n\"1\n2\";B\n")
	f.Add("first,last,cell,notes\nAda,L,2125550100,a\x00b\n")
	f.Add("first,last,cell,notes\nAda,L,2125550100,a\x00b\nAl,L,2125550100,\nBo,L,x\x00,\n")
	f.Fuzz(func(t *testing.T, src string) {
		nums, err := readNumbers(src)
		if err != nil {
			return
		}
		if len(nums.Rows)+len(nums.Invalid)+nums.Duplicates != nums.Total || len(nums.Fields) != 0 {
			t.Fatalf("rows %d + invalid %d + dups %d != total %d; fields %v", len(nums.Rows), len(nums.Invalid), nums.Duplicates, nums.Total, nums.Fields)
		}
		cell := nums.Columns["cell"]
		for _, p := range nums.Invalid {
			if !numberProblem(p, cell) {
				t.Fatalf("a list of numbers refused %s, not for its number %q", p, cell)
			}
		}
		full, err := Read(strings.NewReader(src), Options{})
		if err != nil {
			return
		}
		if !slices.ContainsFunc(full.Invalid, func(p Problem) bool { return !numberProblem(p, cell) }) {
			if len(full.Rows) != len(nums.Rows) || len(full.Invalid) != len(nums.Invalid) || full.Duplicates != nums.Duplicates {
				t.Fatalf("contacts: %d rows %d invalid %d dups; numbers: %d rows %d invalid %d dups",
					len(full.Rows), len(full.Invalid), full.Duplicates, len(nums.Rows), len(nums.Invalid), nums.Duplicates)
			}
			for i := range full.Rows {
				if full.Rows[i].Phone != nums.Rows[i].Phone || full.Rows[i].Line != nums.Rows[i].Line {
					t.Fatalf("row %d: %+v vs %+v", i, full.Rows[i], nums.Rows[i])
				}
			}
			return
		}
		kept, refused := map[string]bool{}, map[int]bool{}
		for _, r := range nums.Rows {
			kept[r.Phone] = true
		}
		for _, r := range full.Rows {
			if !kept[r.Phone] {
				t.Fatalf("the contact import kept %s (line %d); the list of numbers did not", r.Phone, r.Line)
			}
		}
		for _, p := range full.Invalid {
			refused[p.Line] = true
		}
		for _, p := range nums.Invalid {
			if !refused[p.Line] {
				t.Fatalf("the list of numbers refused %s; the contact import did not", p)
			}
		}
		if len(nums.Invalid) > len(full.Invalid) || len(nums.Rows)+nums.Duplicates < len(full.Rows)+full.Duplicates {
			t.Fatalf("contacts: %d rows %d invalid %d dups; numbers: %d rows %d invalid %d dups",
				len(full.Rows), len(full.Invalid), full.Duplicates, len(nums.Rows), len(nums.Invalid), nums.Duplicates)
		}
	})
}
