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
