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

// TestMalformedJoinCodeSaysSo: a value for a campaign that is neither a
// join code nor a campaign's id (empty, too short, letters) is refused by
// every command that takes one in the words stats and the exports use
// (server.CampaignByRef), naming what was given; nothing changes.
func TestMalformedJoinCodeSaysSo(t *testing.T) {
	env, code6, _ := organizerWithCampaign(t)
	for _, bad := range []string{"", "12345", "abcdef"} {
		want := `no campaign has join code or id "` + bad + `" (textbankd campaign list --all shows both)`
		if bad == "" {
			want = "no campaign given: give its join code or id"
		}
		for _, args := range [][]string{
			{"campaign", "archive", bad},
			{"admin", "add", "orla@springfieldvotes.org", "--campaign", bad},
			{"admin", "remove", "orla@springfieldvotes.org", "--campaign", bad},
		} {
			if bad == "" && args[0] != "campaign" {
				continue // an empty --campaign is no flag: said otherwise
			}
			code, out, errOut := runCLI(t, env, "", args...)
			if code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("%q: %d %s%s, want %q", args, code, out, errOut, want)
			}
		}
	}
	// A code with spaces around it, as copied, is the code.
	if code, out, errOut := runCLI(t, env, "", "campaign", "archive", " "+code6+" ", "--yes"); code != 0 {
		t.Fatalf("archive %q: %d %s%s", " "+code6+" ", code, out, errOut)
	}
}
