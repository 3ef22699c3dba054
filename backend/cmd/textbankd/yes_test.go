package main

import (
	"slices"
	"strings"
	"testing"
)

// TestWithoutYesChangesNothingAndExitsOne: every command with a --yes
// does what cannot be undone, and without --yes each says what it would
// do, does none of it, and exits 1, as any refusal (2 is for a command
// line that is wrong: docs/ORGANIZER.md's opening, docs/OPERATIONS.md
// section 2). sign-out --all exited 2 with its usage where campaign
// archive exited 1. A new command with a --yes is to be added here.
func TestWithoutYesChangesNothingAndExitsOne(t *testing.T) {
	cases := map[string]struct {
		args []string
		want string // in what it says
	}{
		"campaign archive": {[]string{"campaign", "archive", "424242"}, `join code 424242 is "Turnout" of Org (`},
		"users sign-out":   {[]string{"users", "sign-out", "--all"}, "no account is signed in anywhere, so --all would end nothing"},
	}
	var withYes []string
	for _, cmds := range commandGroups() {
		for _, cmd := range cmds {
			if fs, _ := cmdFlags(cmd, &cliOpts{}); fs.Lookup("yes") != nil {
				withYes = append(withYes, cmd.name)
			}
		}
	}
	slices.Sort(withYes)
	if want := []string{"campaign archive", "users sign-out"}; !slices.Equal(withYes, want) {
		t.Fatalf("commands with --yes: %v; add a case for each here (tested: %v)", withYes, want)
	}
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	for name, tc := range cases {
		code, out, errOut := runCLI(t, env, "", tc.args...)
		if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "add --yes") || strings.Contains(errOut, "\n  textbankd ") {
			t.Errorf("%s without --yes: exit %d, stdout %q, stderr %q; want exit 1 saying %q and add --yes, without the usage", name, code, out, errOut, tc.want)
		}
	}
	code, out, _ := runCLI(t, env, "", "campaign", "list")
	if code != 0 || !strings.Contains(out, "424242") || strings.Contains(out, "archived") {
		t.Errorf("campaign list after archive without --yes: exit %d, %q; want 424242 still active", code, out)
	}
}
