package main

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestConversationsReassignCommand: conversations reassign names what is
// missing or wrong, and says what it did (here nothing: the member holds
// no conversations). The handover itself: the server package's
// TestOrganizerReassignsAVolunteersConversations.
func TestConversationsReassignCommand(t *testing.T) {
	dir := seedCampaign(t)
	seedMembers(t, dir, member{"v1", "Vera", store.RoleVolunteer}, member{"a1", "Olive", store.RoleAdmin})
	env := map[string]string{"TEXTBANK_DATA": dir}
	run1 := func(args ...string) (int, string, string) { return runCLI(t, env, "", args...) }
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"conversations", "reassign", "vera@example.org"}, "--campaign CODE"},
		{[]string{"conversations", "reassign", "--campaign", "424242"}, "EMAIL"},
		{[]string{"conversations", "reassign", "nobody@example.org", "--campaign", "424242"}, "nobody@example.org"},
		{[]string{"conversations", "reassign", "vera@example.org", "--campaign", "999999"}, "999999"},
		{[]string{"conversations", "reassign", "olive@example.org", "--campaign", "424242", "--to", "vera@example.org"}, "vera@example.org is not an organizer of campaign 424242"},
	} {
		if code, _, errOut := run1(bad.args...); code == 0 || !strings.Contains(errOut, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want a refusal naming %q", bad.args, code, errOut, bad.want)
		}
	}
	code, out, errOut := run1("conversations", "reassign", "vera@example.org", "--campaign", "424242", "--to", "olive@example.org")
	if code != 0 || out != "vera@example.org holds no conversations in \"Turnout\" (424242); nothing was reassigned.\n" {
		t.Fatalf("reassign: exit %d, out %q, err %q", code, out, errOut)
	}
	if code, out, _ := run1("conversations", "reassign", "vera@example.org", "--campaign", "424242", "--json"); code != 0 || !strings.Contains(out, `"total": 0`) {
		t.Fatalf("reassign --json: exit %d, %q", code, out)
	}
}

// TestReassignedWords: the summary fits what moved: one organizer's inbox,
// or several's; one conversation or many.
func TestReassignedWords(t *testing.T) {
	one := server.ReassignedTo{Name: "Olive Organizer", Email: "olive@example.org", Conversations: 12}
	for _, tc := range []struct {
		res  server.Reassigned
		want string
	}{
		{server.Reassigned{Email: "pat@example.org", Campaign: "Turnout", JoinCode: "424242", Total: 12, To: []server.ReassignedTo{one}},
			`Reassigned 12 conversations of pat@example.org in "Turnout" (424242): 12 to Olive Organizer (olive@example.org). They are in that organizer's inbox, marked reassigned by the volunteer.`},
		{server.Reassigned{Email: "pat@example.org", Campaign: "Turnout", JoinCode: "424242", Total: 1,
			To: []server.ReassignedTo{{Name: "Olive Organizer", Email: "olive@example.org", Conversations: 1}}},
			`Reassigned 1 conversation of pat@example.org in "Turnout" (424242): 1 to Olive Organizer (olive@example.org). It is in that organizer's inbox, marked reassigned by the volunteer.`},
		{server.Reassigned{Email: "pat@example.org", Campaign: "Turnout", JoinCode: "424242", Total: 15,
			To: []server.ReassignedTo{one, {Name: "Ann Admin", Email: "ann@example.org", Conversations: 3}}},
			`Reassigned 15 conversations of pat@example.org in "Turnout" (424242): 12 to Olive Organizer (olive@example.org), 3 to Ann Admin (ann@example.org). They are in those organizers' inboxes, marked reassigned by the volunteer.`},
	} {
		if got := reassignedWords(tc.res); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
