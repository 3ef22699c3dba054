package optout

import (
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"STOP", "STOP", true},
		{"lower", "stop", true},
		{"mixed case with bang", "Stop!", true},
		{"spaces and dot", " stop. ", true},
		{"newline", "STOP\n", true},
		{"quotes", "\"stop\"", true},
		{"curly quotes", "“STOP”", true},
		{"emoji after", "STOP 🛑", true},
		{"stopall", "StopAll", true},
		{"unsubscribe", "unsubscribe", true},
		{"cancel", "Cancel", true},
		{"end", "end.", true},
		{"quit", "QUIT", true},
		{"revoke", "revoke", true},
		{"optout", "optout", true},
		{"remove", "Remove", true},
		{"opt out with space", "OPT OUT", true},
		{"opt out lower", "opt out", true},
		{"opt-out hyphen", "opt-out", true},
		{"opt out two spaces", "opt  out", true},
		{"opt out after punctuation", "...Opt Out!!", true},
		{"full width", "ＳＴＯＰ", true},
		{"full width, lower, with its own bang", "ｓｔｏｐ！", true},
		{"full width opt out", "ｏｐｔ ｏｕｔ", true},
		{"full width in a sentence", "ｓｔｏｐ ｔｅｘｔｉｎｇ ｍｅ", false},
		{"sentence", "Stop texting me please", false},
		{"two keywords", "STOP STOP", false},
		{"keyword in word", "stopping", false},
		{"stop all with space", "stop all", false},
		{"empty", "", false},
		{"only punctuation", "?!", false},
		{"answer", "Yes, I'll be there!", false},
		{"optout with digits", "stop2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.body); got != tt.want {
				t.Fatalf("Match(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"please remove me", "please remove me", true},
		{"dont text me straight apostrophe", "Don't text me", true},
		{"dont text me curly apostrophe", "Don’t text me again!!", true},
		{"dont without apostrophe", "dont text me", true},
		{"do not contact", "Do NOT contact me", true},
		{"take me off your list", "Take me off your list.", true},
		{"stop texting me", "Stop texting me please", true},
		{"unsubscribe me", "unsubscribe me", true},
		{"leave me alone", "just leave me alone", true},
		{"wrong number", "Wrong number, sorry", true},
		{"double stop", "STOP STOP", true},
		{"stop now", "stop now", true},
		{"opt me out", "Please opt me out", true},
		{"no more texts", "no more texts!", true},
		{"full width", "ｐｌｅａｓｅ ｒｅｍｏｖｅ ｍｅ", true},
		{"full width keyword", "ＳＴＯＰ", false},
		{"lose my number", "lose my number", true},
		{"exact keyword is Match not Suggest", "STOP", false},
		{"opt-out exact", "opt-out", false},
		{"answer", "Yes, I'll be there!", false},
		{"question", "Where is my polling place?", false},
		{"stop by", "I will stop by the office after work to pick up a sign", false},
		{"removed in a word", "removed", false},
		{"empty", "", false},
		{"punctuation", "!!!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Suggest(tt.body); got != tt.want {
				t.Fatalf("Suggest(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"STOP", "opt-out", " stop. ", "Stop texting me", "", "\xff", "ＳＴＯＰ", "opt\u00a0out"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		m, s := Match(body), Suggest(body)
		if m && s {
			t.Fatalf("%q is both Match and Suggest", body)
		}
		// Surrounding white space and punctuation never change the answer.
		if Match("  ¡"+body+"!. ") != m {
			t.Fatalf("decoration changed Match(%q)", body)
		}
	})
}

// The reasons are stored and shown to admins: their words are a format.
func TestReasons(t *testing.T) {
	if got := KeywordReason(" Stop \n"); got != "keyword: Stop" {
		t.Errorf("KeywordReason = %q", got)
	}
	if got := BlockedReason("threats"); got != "blocked by a volunteer: threats" {
		t.Errorf("BlockedReason = %q", got)
	}
}
