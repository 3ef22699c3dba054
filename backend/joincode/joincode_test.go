package joincode_test

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/joincode"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"six digits", "123456", "123456", ""},
		{"spaces trimmed", "  000001 ", "000001", ""},
		{"short", "12345", "", "has 5 characters"},
		{"long", "1234567", "", "has 7 characters"},
		{"empty", "", "", "enter the join code your campaign gave you"},
		{"sign", "+12345", "", "not a digit"},
		{"letter", "12a456", "", "not a digit"},
		{"inner space", "123 456", "", "has 7 characters"},
		{"arabic digits", "١٢٣٤٥٦", "", "has 6 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := joincode.Parse(tc.in)
			if got != tc.want {
				t.Fatalf("Parse(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "6 digits")) {
				t.Fatalf("Parse(%q) error %v, want one naming %q", tc.in, err, tc.err)
			}
			if joincode.Valid(tc.in) != (tc.err == "" && tc.in == tc.want) {
				t.Fatalf("Valid(%q) disagrees with Parse", tc.in)
			}
		})
	}
}

func TestRandomIsValid(t *testing.T) {
	for range 1000 {
		c, err := joincode.Random()
		if err != nil || !joincode.Valid(c) {
			t.Fatalf("Random() = %q, %v", c, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"123456", " 123456", "12345", "abcdef", "١٢٣٤٥٦", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := joincode.Parse(in)
		if err != nil {
			if got != "" {
				t.Fatalf("error with a code %q", got)
			}
			return
		}
		if !joincode.Valid(got) || got != strings.TrimSpace(in) {
			t.Fatalf("Parse(%q) = %q, not the trimmed input or not valid", in, got)
		}
	})
}
