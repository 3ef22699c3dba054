package campaignfile

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSyntaxErrorsNameTheirLine: each mistake an organizer makes editing
// examples/campaign.yaml is reported on the line they made it on, not on
// the line where yaml's block began (a comment or a key above it).
func TestSyntaxErrorsNameTheirLine(t *testing.T) {
	example, err := os.ReadFile("../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(example), "\n")
	second := `      - "Hello {first_name|friend}! {volunteer_first_name} here. Election day is Tuesday: can we count on your vote?"`
	// The script's line, wherever comments above it have moved it (1-based).
	script := slices.Index(lines, second) + 1
	if script == 0 || lines[17] != "  name: Springfield GOTV 2026" {
		t.Fatal("examples/campaign.yaml changed: update the lines this test edits")
	}
	tests := []struct {
		name string
		line int // 1-based
		text string
	}{
		{"one space too many", script, " " + second},
		{"one space too few", script, second[1:]},
		{"a quote never closed", script, strings.TrimSuffix(second, `"`)},
		{"a bracket never closed", script, `      - [Hello {first_name|friend}`},
		// Line 20, less indented, is where yaml cannot go on; the message
		// names line 18, the line above it that is not a comment.
		{"a key three spaces in", 20, "   name: Springfield GOTV 2026"},
		{"a tab", 18, "\tname: Springfield GOTV 2026"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			edited := append([]string(nil), lines...)
			at := tc.line
			if tc.name == "a key three spaces in" {
				at = 18
			}
			edited[at-1] = tc.text
			_, err := Parse([]byte(strings.Join(edited, "\n")))
			var ps Problems
			if !errors.As(err, &ps) || len(ps) != 1 {
				t.Fatalf("Parse = %v, want one problem", err)
			}
			if ps[0].Line != tc.line || (tc.line == 20 && !strings.Contains(ps[0].Msg, "line 18")) {
				t.Fatalf("problem on line %d (%s), want line %d", ps[0].Line, ps[0].Msg, tc.line)
			}
		})
	}
}

// TestMultilineQuoteIsNotBlamed: a quoted script that goes on over two
// lines is fine; a mistake further down is reported where it is.
func TestMultilineQuoteIsNotBlamed(t *testing.T) {
	src := "organization: O\nactions:\n  - title: T\n    scripts:\n      - \"Hi {first_name},\n        will you vote?\"\n       - \"Hello\"\n"
	_, err := Parse([]byte(src))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 7 {
		t.Fatalf("Parse = %v, want one problem on line 7", err)
	}
}

// TestIndentedTopLevel: yaml reads a file whose first key is indented as a
// mapping at that indentation and drops every line after it; the file is
// refused on its first line rather than for missing fields it has.
func TestIndentedTopLevel(t *testing.T) {
	_, err := Parse([]byte("  organization: X\ncampaign:\n  name: a\n"))
	if err == nil || !strings.HasSuffix(err.Error(), "line 1: starts 2 spaces in; the top-level keys (organization:, campaign:, actions:) start at the beginning of their lines") {
		t.Fatalf("Parse = %v", err)
	}
}

// TestQuoteClosedOnALaterKey: a forgotten closing quote that a later line's
// quote happens to close swallows the lines between (a key here) and
// yaml fails further down; the line the quote opened on is named.
func TestQuoteClosedOnALaterKey(t *testing.T) {
	src := "organization: O\ncampaign:\n  name: \"C\n  issue: x\"\n  public: maybe: no\n"
	_, err := Parse([]byte(src))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 3 || !strings.Contains(ps[0].Msg, "not closed on it") {
		t.Fatalf("Parse = %v, want one problem on line 3 about its quote", err)
	}
}

// TestMultilineScriptWithKeyLikeLines: a quoted script going on over
// lines that read like keys or items ("Note: ...", "- your ID"), more
// indented than its item, is not blamed for a mistake below; nor is a
// value after non-ASCII text taken for the wrong quote.
func TestMultilineScriptWithKeyLikeLines(t *testing.T) {
	for _, continued := range []string{"        Note: polls open at 7\"", "        - your ID, please\""} {
		src := "organization: O\nactions:\n  - title: T\n    scripts:\n      - \"Hi {first_name},\n" + continued + "\n       - \"Hello\"\n"
		_, err := Parse([]byte(src))
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 7 {
			t.Errorf("%q: Parse = %v, want one problem on line 7", continued, err)
		}
	}
	src := "organization: O\ncampaign:\n  name: x\n  ñññññ: \"C\n  public: x\"\n  join_code: maybe: no\n"
	_, err := Parse([]byte(src))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 4 || !strings.Contains(ps[0].Msg, "not closed on it") {
		t.Errorf("after non-ASCII text: Parse = %v, want the quote of line 4", err)
	}
}
