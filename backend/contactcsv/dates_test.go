package contactcsv

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseOptedOutAt(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ in, want, err string }{
		{"2024-03-01", "2024-03-01T00:00:00Z", ""},
		{"2024-03-01 14:05", "2024-03-01T14:05:00Z", ""},
		{"2024-03-01 14:05:06", "2024-03-01T14:05:06Z", ""},
		{"2024-03-01T14:05:06Z", "2024-03-01T14:05:06Z", ""},
		{"2024-03-01T14:05:06.123-05:00", "2024-03-01T19:05:06.123Z", ""},
		{"2024-03-01 14:05:06.5+00", "2024-03-01T14:05:06.5Z", ""}, // PostgreSQL's own output
		{"2024/03/01", "2024-03-01T00:00:00Z", ""},
		{"2024-03-01 14:05:06 -0500", "2024-03-01T19:05:06Z", ""}, // as many exports write an offset
		{"2024-03-01 14:05 +01:00", "2024-03-01T13:05:00Z", ""},
		{"2024-03-01T14:05Z", "2024-03-01T14:05:00Z", ""},
		{"3/1/2024", "2024-03-01T00:00:00Z", ""}, // month first
		{"3/1/2024 2:05 pm", "2024-03-01T14:05:00Z", ""},
		{"03/01/24 14:05", "2024-03-01T14:05:00Z", ""},
		{" 2026-12-05 20:00 ", "2026-12-05T12:00:00Z", ""}, // hours ahead: a zone away, taken as now
		{"31/1/2024", "", `"31/1/2024" is not a date and time Textbank reads: write it as 2024-03-01`},
		{"yes", "", `"yes" is not a date`},
		{"2027-01-05", "", `"2027-01-05" is in the future (a day and month swapped?)`},
		{"1899-12-31", "", `"1899-12-31" is before 1990`},
	} {
		got, err := ParseOptedOutAt(tc.in, now)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, %v; want error %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339Nano) != tc.want {
			t.Errorf("%q: %v, %v; want %s", tc.in, got.Format(time.RFC3339Nano), err, tc.want)
		}
	}
}

// TestOptOutListTimes: an opt-out list's time column gives each number its
// time; a time not read is named by line and column, and its number is
// kept all the same (without a time), never left out.
func TestOptOutListTimes(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	res, err := Read(strings.NewReader("cell,Opt Out Date,notes\n2125550100,2024-03-01,\n2125550101,,\n2125550102,13/13/2024,x\nnope,2024-03-01,\n"),
		Options{NumbersOnly: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Rows {
		got = append(got, fmt.Sprintf("%s@%s", r.Phone, r.OptedOutAt.Format("2006-01-02")))
	}
	if want := "[+12125550100@2024-03-01 +12125550101@0001-01-01 +12125550102@0001-01-01]"; fmt.Sprint(got) != want {
		t.Fatalf("rows %v, want %s", got, want)
	}
	if res.Columns[OptedOutAtColumn] != "Opt Out Date" || len(res.BadTimes) != 1 || len(res.Invalid) != 1 ||
		!strings.HasPrefix(res.BadTimes[0].String(), `line 4, column "Opt Out Date": "13/13/2024" is not a date`) {
		t.Fatalf("columns %v, bad times %v, invalid %v", res.Columns, res.BadTimes, res.Invalid)
	}
	// A contact import reads no such column: a "date" is a merge field there.
	res, err = Read(strings.NewReader("first,last,cell,date\nAda,L,2125550100,soon\n"), Options{Now: now})
	if err != nil || len(res.BadTimes) != 0 || !res.Rows[0].OptedOutAt.IsZero() || res.Rows[0].Fields["date"] != "soon" {
		t.Fatalf("contact import: %v, %+v", err, res)
	}
}

// FuzzParseOptedOutAt: whatever the cell, a time is read within its bounds
// (from 1990 to now, in UTC) or refused with the cell named.
func FuzzParseOptedOutAt(f *testing.F) {
	for _, s := range []string{"2024-03-01", "3/1/2024 2:05 pm", "2024-03-01T14:05:06.123-05:00", "13/13/2024", "", "2099-01-01", "1/2/06"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseOptedOutAt(s, now)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("%q: the refusal %q does not name the cell", s, err)
			}
			return
		}
		if got.Location() != time.UTC || got.Year() < 1990 || got.After(now) {
			t.Fatalf("%q read as %v: out of bounds", s, got)
		}
	})
}
