package server

import "testing"

// TestSafeCells: a cell a spreadsheet would run as a formula gets a leading
// '; numbers, E.164 phone numbers included, stay numbers.
func TestSafeCells(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=HYPERLINK("x")`, `'=HYPERLINK("x")`},
		{"+1 call back", "'+1 call back"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"-", "'-"},
		{"+12175550100", "+12175550100"},
		{"-1", "-1"},
		{"-2.5", "-2.5"},
		{"+3", "+3"},
		{"-.5", "-.5"},
		{"-1e3", "-1e3"},
		{"-1e", "'-1e"},
		{"3", "3"},
		{"", ""},
		{"Strong Supporter", "Strong Supporter"},
	}
	for _, tc := range tests {
		if got := safeCells([]string{tc.in})[0]; got != tc.want {
			t.Errorf("safeCells(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
