package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCampaignNewCode: campaign update making a public campaign private
// says its code was public and names campaign new-code; new-code --yes
// gives the campaign another code, says what became of the old one and
// that the file's join_code must follow, and commands given the old code
// name the one in its place; bad codes and a missing code are
// refused with the campaign unchanged.
func TestCampaignNewCode(t *testing.T) {
	env, code, _ := organizerWithCampaign(t)
	dir := t.TempDir()
	public := exampleVariant(t, dir, "public.yaml", "join_code: generate", "join_code: \""+code+"\"", "public: false", "public: true")
	private := exampleVariant(t, dir, "private.yaml", "join_code: generate", "join_code: \""+code+"\"")
	if exit, out, errOut := runCLI(t, env, "", "campaign", "update", public); exit != 0 || strings.Contains(out, "new-code") {
		t.Fatalf("update making it public: exit %d, %s %s; want no new-code advice", exit, out, errOut)
	}
	exit, out, errOut := runCLI(t, env, "", "campaign", "update", private)
	if exit != 0 || !strings.Contains(out, "The campaign is private now, but its join code "+code+" was shown to anyone who searched") ||
		!strings.Contains(out, "textbankd campaign new-code "+code+" --yes") {
		t.Fatalf("update making it private: exit %d, %s %s; want the code called public and new-code named", exit, out, errOut)
	}
	if exit, out, _ := runCLI(t, env, "", "campaign", "update", private); exit != 0 || strings.Contains(out, "new-code") {
		t.Fatalf("update of a campaign already private: exit %d, %s; want no new-code advice", exit, out)
	}

	for _, tc := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"12345", "--yes"}, 1, `no campaign has join code or id "12345"`},
		{[]string{"999999", "--yes"}, 1, "no active campaign has join code 999999"},
		{[]string{"--yes"}, 2, "CODE"},
	} {
		exit, out, errOut := runCLI(t, env, "", append([]string{"campaign", "new-code"}, tc.args...)...)
		if exit != tc.exit || !strings.Contains(errOut, tc.want) {
			t.Errorf("campaign new-code %v: exit %d, %q %q; want %d saying %q", tc.args, exit, out, errOut, tc.exit, tc.want)
		}
	}
	if names := campaignNames(t, env); len(names) != 1 || !strings.HasPrefix(names[0], code+" ") {
		t.Fatalf("after the refusals: %v; want the campaign with %s", names, code)
	}

	exit, out, errOut = runCLI(t, env, "", "campaign", "new-code", code, "--yes", "--json")
	var res struct{ JoinCode, OldJoinCode, Name string }
	if exit != 0 || json.Unmarshal([]byte(out), &res) != nil || res.OldJoinCode != code || res.JoinCode == code || len(res.JoinCode) != 6 {
		t.Fatalf("campaign new-code --yes --json: exit %d, %s %s", exit, out, errOut)
	}
	if names := campaignNames(t, env); len(names) != 1 || !strings.HasPrefix(names[0], res.JoinCode+" ") {
		t.Fatalf("campaign list after new-code: %v; want the campaign with %s", names, res.JoinCode)
	}
	// The old code names no campaign now; the organizer is told which
	// code took its place, the campaign file's update too.
	// Each says what to give instead: the new code, or in the file the
	// join_code line (not "campaign create makes a new one": the campaign
	// is there to update).
	gave := "no active campaign has join code " + code + ": campaign new-code gave \"" + res.Name + "\" the code " + res.JoinCode + " in its place"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"campaign", "new-code", code, "--yes"}, gave + "; give " + res.JoinCode + " instead\n"},
		{[]string{"stats", "--campaign", code, "--action-title", "Get Out The Vote"}, gave + "; give " + res.JoinCode + " instead\n"},
		{[]string{"campaign", "update", private}, gave + "; write join_code: \"" + res.JoinCode + "\" in the file to update it\n"},
	} {
		exit, _, errOut := runCLI(t, env, "", tc.args...)
		if exit != 1 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "campaign create") {
			t.Errorf("%v with the old code: exit %d, %s; want %q", tc.args, exit, errOut, tc.want)
		}
	}
	exit, out, errOut = runCLI(t, env, "", "campaign", "new-code", res.JoinCode, "--yes")
	if exit != 0 || !strings.Contains(out, "joins nobody any more") || !strings.Contains(out, "keep their access") ||
		!strings.Contains(out, "in the campaign's file: campaign update finds the campaign by it") || !strings.Contains(out, res.JoinCode+" joins nobody") {
		t.Fatalf("campaign new-code --yes: exit %d, %s %s", exit, out, errOut)
	}
}
