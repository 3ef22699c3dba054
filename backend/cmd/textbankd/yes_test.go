package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
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
		"campaign archive":  {[]string{"campaign", "archive", "424242"}, `join code 424242 is "Turnout" of Org (`},
		"campaign new-code": {[]string{"campaign", "new-code", "424242"}, `join code 424242 is "Turnout" of Org (1 volunteer, 0 admins): a new code is for good`},
		"users sign-out":    {[]string{"users", "sign-out", "--all"}, "--all would end 1 sign-in of 1 account"},
		"members remove":    {[]string{"members", "remove", "pat@example.org", "--campaign", "424242"}, `pat@example.org is a volunteer of "Turnout" (424242) holding 0 conversations and no unsent contacts`},
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
	if want := []string{"campaign archive", "campaign new-code", "members remove", "users sign-out"}; !slices.Equal(withYes, want) {
		t.Fatalf("commands with --yes: %v; add a case for each here (tested: %v)", withYes, want)
	}
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	// Someone signed in, for sign-out --all to have something to end
	// (with nobody signed in it has nothing to confirm, and succeeds).
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "pat", Name: "Pat", Email: "pat@example.org", PasswordHash: "h", CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: "camp", UserID: "pat", Role: store.RoleVolunteer, CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		return tx.CreateToken(ctx, "h1", "pat", time.Now().UTC())
	})
	for name, tc := range cases {
		code, out, errOut := runCLI(t, env, "", tc.args...)
		if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "add --yes") || strings.Contains(errOut, "\n  textbankd ") {
			t.Errorf("%s without --yes: exit %d, stdout %q, stderr %q; want exit 1 saying %q and add --yes, without the usage", name, code, out, errOut, tc.want)
		}
	}
	if code, out, _ := runCLI(t, env, "", "members", "list", "--campaign", "424242"); code != 0 || !strings.Contains(out, "pat@example.org") {
		t.Errorf("members list after remove without --yes: exit %d, %q; want pat still a member", code, out)
	}
	code, out, _ := runCLI(t, env, "", "campaign", "list")
	if code != 0 || !strings.Contains(out, "424242") || strings.Contains(out, "archived") {
		t.Errorf("campaign list after archive and new-code without --yes: exit %d, %q; want 424242 still active", code, out)
	}
}
