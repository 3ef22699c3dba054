package main

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/joincode"
)

// TestUnknownJoinCodeOneSentence: every command that takes a join code
// words an unknown one the same way, the sentence the app's join screen
// shows too (joincode.Unknown), followed by where to find the codes.
func TestUnknownJoinCodeOneSentence(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	want := joincode.Unknown("999999") + " (textbankd campaign list shows them"
	for _, args := range [][]string{
		{"numbers", "add", "+12025550188", "--campaign", "999999"},
		{"numbers", "list", "--campaign", "999999"},
		{"admin", "add", "orla@springfieldvotes.org", "--campaign", "999999"},
		{"campaign", "archive", "999999"},
		{"contacts", "import", writeFile(t, env["TEXTBANK_DATA"], "c.csv", "first,last,cell\nA,B,2125550100\n"), "--campaign", "999999", "--action-title", "GOTV"},
		{"export", "messages", "--campaign", "999999", "--action-title", "GOTV"},
		{"unroutable", "--campaign", "999999"},
	} {
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%v: %d %s%s, want %q", args, code, out, errOut, want)
		}
	}
}

// TestMalformedJoinCodeSaysSo: a join code that cannot be one (empty, too
// short, letters) is refused saying what a join code is, by every command
// that takes one, rather than "no active campaign has join code  (...)";
// nothing changes. (numbers list, as the exports, takes an archived
// campaign's id too, and says "no campaign has join code or id".)
func TestMalformedJoinCodeSaysSo(t *testing.T) {
	env, code6, _ := organizerWithCampaign(t)
	for _, bad := range []string{"", "12345", "abcdef"} {
		for _, args := range [][]string{
			{"campaign", "archive", bad},
			{"admin", "add", "orla@springfieldvotes.org", "--campaign", bad},
			{"admin", "remove", "orla@springfieldvotes.org", "--campaign", bad},
		} {
			if bad == "" && args[0] != "campaign" {
				continue // an empty --campaign is no flag: said otherwise
			}
			code, out, errOut := runCLI(t, env, "", args...)
			if code != 1 || !strings.Contains(errOut, "join code") || !strings.Contains(errOut, "6 digits, like 123456") {
				t.Errorf("%q: %d %s%s, want the join code's form", args, code, out, errOut)
			}
		}
	}
	// A code with spaces around it, as copied, is the code.
	if code, out, errOut := runCLI(t, env, "", "campaign", "archive", " "+code6+" ", "--yes"); code != 0 {
		t.Fatalf("archive %q: %d %s%s", " "+code6+" ", code, out, errOut)
	}
}
