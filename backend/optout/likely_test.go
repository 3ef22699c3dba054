package optout

import "testing"

// TestLikelyOptOutFlag is the table of issue 7: what the server flags to the
// volunteer (Suggest) and what it acts on (Match), with near misses.
func TestLikelyOptOutFlag(t *testing.T) {
	tests := []struct {
		body      string
		automatic bool // Match: opted out at once
		flagged   bool // Suggest: "This may be an opt-out request"
	}{
		{"CANCEL.", true, false},
		{" quit ", true, false},
		{"End", true, false},
		{"STOP!!", true, false},
		{"please take me off your list", false, true},
		{"no more texts please", false, true},
		{"Please remove me from this", false, true},
		{"Don't text me again", false, true},
		{"leave me alone", false, true},
		{"stop it", false, true},
		{"wrong number", false, true},
		// Near misses: a word inside an ordinary sentence.
		{"I can't stop thinking about the rally, count me in", false, false},
		{"What time does the event end?", false, false},
		{"I will stop by the office", false, false},
		{"We should end homelessness", false, false},
		{"Cancel my meeting, I'll come to yours instead", false, false},
		{"I quit my job to volunteer, how can I help?", false, false},
		{"Yes I will vote", false, false},
		{"START", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			if got := Match(tt.body); got != tt.automatic {
				t.Errorf("Match(%q) = %v, want %v", tt.body, got, tt.automatic)
			}
			if got := Suggest(tt.body); got != tt.flagged {
				t.Errorf("Suggest(%q) = %v, want %v", tt.body, got, tt.flagged)
			}
		})
	}
}

func TestOptIn(t *testing.T) {
	for body, want := range map[string]bool{
		"START": true, " start. ": true, "Unstop!": true, "unstop": true, "ＳＴＡＲＴ": true,
		"start over": false, "STOP": false, "": false, "restart": false, "Started": false,
	} {
		if got := OptIn(body); got != want {
			t.Errorf("OptIn(%q) = %v, want %v", body, got, want)
		}
	}
}
