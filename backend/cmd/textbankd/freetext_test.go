package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestCampaignSaysWhetherVolunteersMayType: typing one's own reply is
// allowed only when the action says allow_free_text: true (SPEC, Volunteer
// 6), and campaign create and update say for each action which it is, so
// an organizer whose file leaves the field out (or was written when it
// defaulted to true) learns it from the output, not from volunteers.
func TestCampaignSaysWhetherVolunteersMayType(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	dir := env["TEXTBANK_DATA"]
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	// The example says allow_free_text: true.
	code, out, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml")
	created := regexp.MustCompile(`join code (\d{6}),`).FindStringSubmatch(out)
	if want := `"Get Out The Vote": created; volunteers may type their own replies` + "\n"; code != 0 || created == nil || !strings.Contains(out, want) {
		t.Fatalf("create: exit %d, stdout:\n%s\nstderr %s\nwant a join code and %q", code, out, errOut, want)
	}
	joinCode := created[1]

	// The same file without the line, as a file written when it defaulted
	// to true: refused, naming the line, and the action left as it was.
	without := exampleVariant(t, dir, "without.yaml", "join_code: generate", "join_code: \""+joinCode+"\"", "    allow_free_text: true\n", "")
	code, out, errOut = runCLI(t, env, "", "campaign", "update", without)
	if want := "write allow_free_text: true to keep it, or false to turn it off"; code == 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "actions[0].allow_free_text (line ") {
		t.Fatalf("update leaving allow_free_text out of an action that allows typing: exit %d, stdout:\n%s\nstderr %s\nwant a refusal naming the line and %q", code, out, errOut, want)
	}
	keep := exampleVariant(t, dir, "keep.yaml", "join_code: generate", "join_code: \""+joinCode+"\"")
	if code, out, _ = runCLI(t, env, "", "campaign", "update", keep); code != 0 || !strings.Contains(out, "nothing changed; volunteers may type their own replies\n") {
		t.Fatalf("after the refusal, typing is still allowed and unchanged: exit %d, stdout:\n%s", code, out)
	}

	// Turned off explicitly: the update says it changed.
	off := exampleVariant(t, dir, "off.yaml", "join_code: generate", "join_code: \""+joinCode+"\"", "allow_free_text: true", "allow_free_text: false")
	code, out, errOut = runCLI(t, env, "", "campaign", "update", off)
	if want := `"Get Out The Vote": changed; volunteers may no longer type their own replies, only send its 3 response scripts` + "\n"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("update with allow_free_text: false: exit %d, stdout:\n%s\nstderr %s\nwant %q", code, out, errOut, want)
	}
	code, out, _ = runCLI(t, env, "", "campaign", "update", off, "--json")
	var res struct {
		Actions []struct {
			Status          string
			AllowFreeText   *bool
			ResponseScripts int
			FreeTextChanged bool
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Actions) != 1 {
		t.Fatalf("--json: %d %s", code, out)
	}
	if a := res.Actions[0]; a.AllowFreeText == nil || *a.AllowFreeText || a.ResponseScripts != 3 || a.FreeTextChanged {
		t.Fatalf("--json, unchanged the second time: %s", out)
	}
	// Typing off, the field may be left out again.
	code, out, _ = runCLI(t, env, "", "campaign", "update", without)
	if want := `"Get Out The Vote": nothing changed; volunteers reply only with its 3 response scripts (allow_free_text: true lets them type their own)` + "\n"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("update without the field once typing is off: exit %d, stdout:\n%s\nwant %q", code, out, want)
	}
	// Typing back on, said as a change.
	back := exampleVariant(t, dir, "back.yaml", "join_code: generate", "join_code: \""+joinCode+"\"")
	if code, out, _ = runCLI(t, env, "", "campaign", "update", back); code != 0 || !strings.Contains(out, "changed; volunteers may now type their own replies\n") {
		t.Fatalf("update with allow_free_text: true: exit %d, stdout:\n%s", code, out)
	}

	// No response scripts and no typing: volunteers could not reply at all.
	mute := writeFile(t, dir, "mute.yaml", `
organization: Springfield Votes
campaign: {name: Mute, join_code: generate, admins: [orla@springfieldvotes.org]}
actions:
  - title: Announce
    scripts: ["Hi {first_name}, polls open at 7."]
`)
	code, out, errOut = runCLI(t, env, "", "campaign", "create", mute)
	if want := `"Announce": created; volunteers cannot reply: it has no response scripts, and typing needs allow_free_text: true` + "\n"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("create without response scripts: exit %d, stdout:\n%s\nstderr %s\nwant %q", code, out, errOut, want)
	}
}
