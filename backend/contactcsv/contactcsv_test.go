package contactcsv

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func read(t *testing.T, src string) (*Result, error) {
	t.Helper()
	return Read(strings.NewReader(src), Options{})
}

func TestHeaderSpellings(t *testing.T) {
	tests := []struct {
		name, header, row string
		custom            []string
	}{
		{"VAN", "VANID,FirstName,LastName,CellPhone,Zip5,Precinct", "101,Ada,Lovelace,(212) 555-0100,10001,12B", []string{"precinct"}},
		{"Spoke", "first_name,last_name,cell,zip,external_id,polling_place", "Ada,Lovelace,2125550100,10001,101,Library", []string{"polling_place"}},
		{"NGP", "First,Last,Cell Phone,Zip Code,VoterID", "Ada,Lovelace,+1 212 555 0100,10001,101", nil},
		{"phone and cell: cell wins", "First Name,Last Name,Phone,Mobile,ID", "Ada,Lovelace,+1 999,212-555-0100,101", []string{"phone"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := read(t, tc.header+"\n"+tc.row+"\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rows) != 1 || len(res.Invalid) != 0 {
				t.Fatalf("rows %+v invalid %v", res.Rows, res.Invalid)
			}
			r := res.Rows[0]
			if r.FirstName != "Ada" || r.LastName != "Lovelace" || r.Phone != "+12125550100" {
				t.Fatalf("row %+v", r)
			}
			if strings.Contains(strings.ToLower(tc.header), "zip") && r.Zip != "10001" {
				t.Fatalf("zip %q", r.Zip)
			}
			if r.ExternalID != "101" && !strings.HasPrefix(tc.name, "Spoke") {
				t.Fatalf("external id %q", r.ExternalID)
			}
			if fmt.Sprint(res.Fields) != fmt.Sprint(tc.custom) && !(len(res.Fields) == 0 && len(tc.custom) == 0) {
				t.Fatalf("fields %v, want %v", res.Fields, tc.custom)
			}
		})
	}
}

// TestHeadingsAreRead: every header a refusal suggests for a column is one
// the reader takes for it.
func TestHeadingsAreRead(t *testing.T) {
	for _, field := range []string{"first_name", "last_name", "zip"} {
		headings := strings.FieldsFunc(strings.ReplaceAll(Headings(field), " or ", ", "), func(r rune) bool { return r == ',' })
		if len(headings) < 2 {
			t.Fatalf("%s: headings %q", field, Headings(field))
		}
		for _, h := range headings {
			h = strings.TrimSpace(h)
			other := "Surname" // a name column beside the one under test
			if field == "last_name" {
				other = "First"
			}
			res, err := read(t, h+","+other+",cell\nx,y,2125550100\n")
			if err != nil {
				t.Fatal(err)
			}
			if res.Columns[field] != h {
				t.Errorf("%q is read as %v, not %s", h, res.Columns, field)
			}
		}
	}
	if Headings("precinct") != "" {
		t.Errorf("a custom field has headings: %q", Headings("precinct"))
	}
}

func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		fileErr string   // a *FileError containing this
		invalid []string // Problem strings, in order
		rows    int
		dups    int
		enc     string
	}{
		{name: "missing cell column", src: "first_name,last_name,zip\nAda,L,10001\n",
			fileErr: `line 1: no cell phone column: the header has "first_name", "last_name", "zip"`},
		{name: "row with 2 columns too many", src: "first,last,cell\nAda,L,2125550100\nBob,M,2125550101,x,y\nCy,N,2125550102\n",
			invalid: []string{"line 3: 5 cells, but the header has 3 columns"}, rows: 2},
		{name: "empty file", src: "", fileErr: "the file is empty"},
		{name: "only spaces", src: " \n\n", fileErr: "the file is empty"},
		{name: "header only", src: "first,last,cell\n", fileErr: "line 1: the file has a header but no contacts"},
		{name: "duplicates counted, first kept", src: "first,last,cell\nAda,L,212-555-0100\nAda2,L,+12125550100\nBob,M,2125550101\n",
			rows: 2, dups: 1},
		{name: "bad numbers named by line and column", src: "First,Last,Cell Phone\nAda,L,12\nBob,M,\nCy,N,hello\nDee,O,2125550103\n",
			invalid: []string{
				`line 2, column "Cell Phone": "12" is not a valid phone number`,
				`line 3, column "Cell Phone": no number`,
				`line 4, column "Cell Phone": "hello" is not a valid phone number`},
			rows: 1},
		{name: "value too long", src: "first,last,cell\n" + strings.Repeat("x", MaxValue+1) + ",L,2125550100\n",
			invalid: []string{`line 2, column "first": 501 characters; at most 500`}},
		{name: "bare quote", src: "first,last,cell\nA\"da,L,2125550100\n", fileErr: "line 2: column 2"},
		{name: "reserved column", src: "first,last,cell,Full Name\nA,L,2125550100,x\n", fileErr: "{full_name}"},
		{name: "colliding columns", src: "first,last,cell,Polling Place,polling_place\nA,L,2125550100,x,y\n", fileErr: `"Polling Place" and "polling_place"`},
		{name: "no name columns", src: "cell,zip\n2125550100,1\n", fileErr: "no name columns"},
		{name: "BOM", src: "\xEF\xBB\xBFfirst,last,cell\nAda,L,2125550100\n", rows: 1, enc: "UTF-8 with BOM"},
		{name: "UTF-16 refused", src: "\xFF\xFEf\x00", fileErr: "UTF-16"},
		{name: "semicolons", src: "first;last;cell\nAda;L;2125550100\n", rows: 1},
		{name: "quoted multi-line value keeps line numbers", src: "first,last,cell,note\nAda,L,2125550100,\"two\nlines\"\nBob,M,1,x\n",
			invalid: []string{`line 4, column "cell": "1" is not a valid phone number`}, rows: 1},
		{name: "a number with an extension is refused, not stored without it", src: "first,last,cell\nAda,L,(217) 555-0121 ext 4\nBob,M,2175550122\n",
			invalid: []string{`line 2, column "cell": "(217) 555-0121 ext 4" has an extension (4): a text cannot reach an extension`}, rows: 1},
		{name: "blank lines ignored", src: "first,last,cell\n\nAda,L,2125550100\n\n", rows: 1},
		{name: "semicolons with a comma in a quoted header", src: "First;Last;Cell;\"Town, State\"\nAda;L;2125550100;\"Springfield, IL\"\n", rows: 1},
		{name: "number shortened by Excel", src: "first,last,cell\nAda,L,2.12555E+09\nBob,M,2125550101\n",
			invalid: []string{`line 2, column "cell": "2.12555E+09" is a number a spreadsheet shortened to scientific notation, losing its digits; format the column as Text`}, rows: 1},
		{name: "rows of separators only ignored", src: "first,last,cell\nAda,L,2125550100\n,,\n , ,\n,\n", rows: 1},
		{name: "semicolon rows of separators only ignored", src: "first;last;cell\n;;\nAda;L;2125550100\n;;\n", rows: 1},
		{name: "only rows of separators", src: "first,last,cell\n,,\n,,\n", fileErr: "the file has a header but no contacts"},
		{name: "cell column twice", src: "first,last,cell,cell\nA,L,2125550100,2125550101\n",
			fileErr: `line 1: column 4, "cell", repeats column 3, "cell", which is read as the contacts' cell; remove or rename one`},
		// PostgreSQL cannot store U+0000: the row is left out, named.
		{name: "NUL in a cell", src: "first,last,cell,Notes\nAda,L,2125550100,a\x00b\nBob,M,2125550101,ok\n",
			invalid: []string{`line 2, column "Notes": contains a NUL character (U+0000)`}, rows: 1},
		{name: "NUL in a name", src: "first,last,cell\nA\x00da,L,2125550100\n",
			invalid: []string{`line 2, column "first": contains a NUL character (U+0000)`}},
		{name: "NUL in the header", src: "first,last,cell,No\x00tes\nAda,L,2125550100,x\n",
			fileErr: `line 1: column 4, "No\x00tes", contains a NUL character (U+0000)`},
		{name: "UTF-16 without a BOM", src: "f\x00i\x00r\x00s\x00t\x00,\x00l\x00a\x00s\x00t\x00,\x00c\x00e\x00l\x00l\x00\n\x00",
			fileErr: "UTF-16 without a BOM"},
		{name: "name column twice", src: "First Name,Last Name,first_name,cell\nA,L,B,2125550100\n",
			fileErr: `column 3, "first_name", repeats column 1, "First Name", which is read as the contacts' first name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := read(t, tc.src)
			if tc.fileErr != "" {
				var fe *FileError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.fileErr) {
					t.Fatalf("err = %v, want a FileError containing %q", err, tc.fileErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Invalid {
				got = append(got, p.String())
			}
			if len(got) != len(tc.invalid) {
				t.Fatalf("invalid = %q, want %q", got, tc.invalid)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.invalid[i]) {
					t.Errorf("invalid[%d] = %q, want prefix %q", i, got[i], tc.invalid[i])
				}
			}
			if len(res.Rows) != tc.rows || res.Duplicates != tc.dups {
				t.Fatalf("rows %d dups %d, want %d %d", len(res.Rows), res.Duplicates, tc.rows, tc.dups)
			}
			if tc.enc != "" && res.Encoding != tc.enc {
				t.Fatalf("encoding %q, want %q", res.Encoding, tc.enc)
			}
		})
	}
}

func TestWindows1252Converted(t *testing.T) {
	utf := "first,last,cell,city\nJosé,Müller,2125550100,Bogotá – D.C.\n"
	cp, err := charmap.Windows1252.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := read(t, cp)
	if err != nil {
		t.Fatal(err)
	}
	if res.Encoding != "Windows-1252 (converted)" {
		t.Fatalf("encoding %q", res.Encoding)
	}
	r := res.Rows[0]
	if r.FirstName != "José" || r.LastName != "Müller" || r.Fields["city"] != "Bogotá – D.C." {
		t.Fatalf("row %+v", r)
	}
	// Bytes Windows-1252 leaves undefined are refused, naming the line.
	_, err = read(t, "first,last,cell\nA,B,2125550100\nC\x81,D,2125550101\n")
	if err == nil || !strings.Contains(err.Error(), "line 3: the file is neither UTF-8 nor Windows-1252") {
		t.Fatalf("err = %v", err)
	}
}

func TestRegion(t *testing.T) {
	res, err := Read(strings.NewReader("first,last,cell\nAda,L,020 7946 0958\n"), Options{Region: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0].Phone != "+442079460958" {
		t.Fatalf("rows %+v invalid %v", res.Rows, res.Invalid)
	}
}

// TestNoTimeZone: a number no local time is known for is marked, so that
// an import under texting hours can refuse it; the others are not.
func TestNoTimeZone(t *testing.T) {
	res, err := Read(strings.NewReader("first,last,cell\nAda,L,2125550101\nFree,P,+800 1234 5678\nUK,M,+44 20 7946 0958\nToll,F,800-555-0100\n"), Options{})
	if err != nil || len(res.Rows) != 4 {
		t.Fatalf("rows %+v invalid %v err %v", res.Rows, res.Invalid, err)
	}
	for _, r := range res.Rows {
		if r.NoTimeZone != (r.Phone == "+80012345678") {
			t.Errorf("%s: NoTimeZone %v", r.Phone, r.NoTimeZone)
		}
	}
}

// Synthetic lists for the import benchmark and tests elsewhere.
func TestManyRowsAllDistinct(t *testing.T) {
	src := Synthetic(3000)
	res, err := read(t, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3000 || len(res.Invalid) != 0 || res.Duplicates != 0 || res.Total != 3000 {
		t.Fatalf("rows %d invalid %d dups %d total %d", len(res.Rows), len(res.Invalid), res.Duplicates, res.Total)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("first,last,cell\nAda,L,2125550100\n")
	f.Add("FirstName;LastName;CellPhone\nA;B;+44 20 7946 0958\n")
	f.Add("\xEF\xBB\xBFcell,first\n\"1\n2\",x\n")
	f.Add("first,last,cell,x\nA,B,1,2,3\n\xff")
	f.Fuzz(func(t *testing.T, src string) {
		res, err := read(t, src)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, r := range res.Rows {
			if !strings.HasPrefix(r.Phone, "+") || seen[r.Phone] {
				t.Fatalf("row phone %q not E.164 or repeated", r.Phone)
			}
			seen[r.Phone] = true
		}
		if len(res.Rows)+len(res.Invalid)+res.Duplicates != res.Total {
			t.Fatalf("rows %d + invalid %d + dups %d != total %d", len(res.Rows), len(res.Invalid), res.Duplicates, res.Total)
		}
		if len(res.Repeated) != res.Duplicates {
			t.Fatalf("%d repeated rows named, %d counted", len(res.Repeated), res.Duplicates)
		}
		for _, r := range res.Repeated {
			if r.FirstLine < 2 || r.FirstLine >= r.Line {
				t.Fatalf("repeated %+v: the kept row must come first, after the header", r)
			}
		}
	})
}

// TestRepeatedRowsNameTheirLines: a number repeated in the file is kept
// once, and each row left out names its line and the line kept, also past
// a quoted cell spanning two lines.
func TestRepeatedRowsNameTheirLines(t *testing.T) {
	res, err := read(t, "first,last,cell\nAda,L,2125550101\nBob,\"B\nB\",2125550102\nAda,Again,(212) 555-0101\nBob,C,+1 212 555 0102\nAda,Thrice,212.555.0101\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Repeated {
		got = append(got, r.String())
	}
	want := "[line 5: the same number as line 2 line 6: the same number as line 3 line 7: the same number as line 2]"
	if fmt.Sprint(got) != want || res.Duplicates != 3 || len(res.Rows) != 2 {
		t.Fatalf("repeated %v (%d), rows %d; want %s", got, res.Duplicates, len(res.Rows), want)
	}
}

func BenchmarkRead100k(b *testing.B) {
	src := Synthetic(100000)
	b.ResetTimer()
	for range b.N {
		if _, err := Read(strings.NewReader(src), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
