package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestMembersCommands: members list shows who is in a campaign; members
// remove names what is missing or wrong (a table of bad inputs, none of
// which changes anything), says what it would do without --yes, removes
// with it, and says so again after. What the removal does to contacts,
// texts and conversations: the server package's
// TestOrganizerRemovesAMember.
func TestMembersCommands(t *testing.T) {
	dir := seedCampaign(t)
	now := seedMembers(t, dir, member{"a1", "Olive", store.RoleAdmin}, member{"v1", "Vera", store.RoleVolunteer},
		member{"c1", "Cora", store.RoleVolunteer}, member{"o1", "Otto", ""})
	// Cora created an action: nobody else would receive its replies.
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateAction(ctx, store.Action{ID: "act", CampaignID: "camp", Type: "p2p", Title: "Cora's texts", CreatorID: "c1", CreatedAt: time.Now().UTC()})
	})
	env := map[string]string{"TEXTBANK_DATA": dir}
	run1 := func(args ...string) (int, string, string) { return runCLI(t, env, "", args...) }
	for _, bad := range []struct {
		name string
		args []string
		want string
	}{
		{"list: no campaign", []string{"members", "list"}, "--campaign CODE"},
		{"list: unknown campaign", []string{"members", "list", "--campaign", "999999"}, "999999"},
		{"no campaign", []string{"members", "remove", "vera@example.org", "--yes"}, "--campaign CODE"},
		{"no email", []string{"members", "remove", "--campaign", "424242", "--yes"}, "EMAIL"},
		{"no account", []string{"members", "remove", "nobody@example.org", "--campaign", "424242", "--yes"}, "no account has email nobody@example.org"},
		{"unknown campaign", []string{"members", "remove", "vera@example.org", "--campaign", "999999", "--yes"}, "999999"},
		{"not a code", []string{"members", "remove", "vera@example.org", "--campaign", "12", "--yes"}, `no campaign has join code or id "12"`},
		{"not a member", []string{"members", "remove", "otto@example.org", "--campaign", "424242", "--yes"}, "otto@example.org is not a member of campaign 424242"},
		{"an admin", []string{"members", "remove", "olive@example.org", "--campaign", "424242", "--yes"}, "textbankd admin remove olive@example.org --campaign 424242"},
		{"an action's creator", []string{"members", "remove", "cora@example.org", "--campaign", "424242", "--yes"}, `cora@example.org created action "Cora's texts"`},
		{"no --yes", []string{"members", "remove", "vera@example.org", "--campaign", "424242"}, "holding 0 conversations and no unsent contacts"},
	} {
		if code, _, errOut := run1(bad.args...); code == 0 || !strings.Contains(errOut, bad.want) {
			t.Errorf("%s: exit %d, stderr %q; want a refusal naming %q", bad.name, code, errOut, bad.want)
		}
	}
	code, out, errOut := run1("members", "list", "--campaign", "424242")
	if code != 0 || !strings.Contains(out, `"Turnout" (424242): 3 members`) || !strings.Contains(out, "Vera <vera@example.org>") {
		t.Fatalf("list after the refusals: exit %d, out %q, err %q", code, out, errOut)
	}
	// When they joined reads as every listing's times do; --json keeps RFC 3339.
	if want := "Olive <olive@example.org>  joined " + listingTime(now) + "\n"; !strings.Contains(out, want) {
		t.Errorf("list: %q, want a line ending %q", out, want)
	}
	code, out, errOut = run1("members", "list", "--campaign", "424242", "--json")
	if want := `"joinedAt": "` + now.Format(time.RFC3339) + `"`; code != 0 || !strings.Contains(out, want) {
		t.Errorf("list --json: exit %d, out %q, err %q; want %s", code, out, errOut, want)
	}
	env["TEXTBANK_CAMPAIGN"] = "424242" // the flag's variable
	code, out, errOut = run1("members", "remove", "Vera@Example.org", "--yes")
	if code != 0 || !strings.HasPrefix(out, `vera@example.org is no longer a member of "Turnout" (424242)`) {
		t.Fatalf("remove: exit %d, out %q, err %q", code, out, errOut)
	}
	// When, said as the listings say times (server.OrganizerTime).
	again := regexp.MustCompile(`vera@example\.org was already removed from campaign 424242 on \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing changed`)
	if code, _, errOut := run1("members", "remove", "vera@example.org", "--yes"); code == 0 || !again.MatchString(errOut) {
		t.Fatalf("remove again: exit %d, err %q", code, errOut)
	}
	// Only readmit lets her back: admin add names it, and changes nothing.
	if code, _, errOut := run1("admin", "add", "vera@example.org"); code == 0 ||
		!strings.Contains(errOut, "vera@example.org was removed from campaign 424242 on ") || !strings.Contains(errOut, "textbankd members readmit vera@example.org --campaign 424242") {
		t.Fatalf("admin add of her: exit %d, err %q", code, errOut)
	}
	code, out, _ = run1("members", "list", "--json")
	if code != 0 || strings.Contains(out, "vera@example.org") || !strings.Contains(out, `"email": "olive@example.org"`) {
		t.Fatalf("list --json after the removal: exit %d, %q", code, out)
	}

	// readmit: refused for one never removed or a member, each changing
	// nothing; then once, and not twice.
	for _, bad := range []struct {
		name string
		args []string
		want string
	}{
		{"no email", []string{"members", "readmit"}, "EMAIL"},
		{"no account", []string{"members", "readmit", "nobody@example.org"}, "no account has email nobody@example.org"},
		{"never removed", []string{"members", "readmit", "otto@example.org"}, "otto@example.org is not kept out of campaign 424242 (never removed, or readmitted since); nothing changed"},
		{"a member", []string{"members", "readmit", "olive@example.org"}, "olive@example.org is a member of campaign 424242 already"},
		{"unknown campaign", []string{"members", "readmit", "vera@example.org", "--campaign", "999999"}, "999999"},
	} {
		if code, _, errOut := run1(bad.args...); code == 0 || !strings.Contains(errOut, bad.want) {
			t.Errorf("readmit, %s: exit %d, stderr %q; want a refusal naming %q", bad.name, code, errOut, bad.want)
		}
	}
	code, out, errOut = run1("members", "readmit", "vera@example.org")
	if code != 0 || out != "vera@example.org may join \"Turnout\" again with its join code, 424242; the conversations handed over stay where they went.\n" {
		t.Fatalf("readmit: exit %d, out %q, err %q", code, out, errOut)
	}
	if code, _, errOut := run1("members", "readmit", "vera@example.org"); code == 0 || !strings.Contains(errOut, "is not kept out of campaign 424242") {
		t.Fatalf("readmit again: exit %d, err %q", code, errOut)
	}
}

// TestMembersListCountsInWords: a campaign of one member says "1 member".
func TestMembersListCountsInWords(t *testing.T) {
	dir := seedCampaign(t)
	seedMembers(t, dir, member{"a1", "Olive", store.RoleAdmin})
	code, out, errOut := runCLI(t, map[string]string{"TEXTBANK_DATA": dir}, "", "members", "list", "--campaign", "424242")
	if code != 0 || !strings.Contains(out, `"Turnout" (424242): 1 member`+"\n") {
		t.Fatalf("list: exit %d, out %q, err %q; want 1 member", code, out, errOut)
	}
}
