package main

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// TestGroupWithoutSubcommandNamesThem: "textbankd export" alone, or with a
// mistyped subcommand, says what it takes before the usage (exit 2), not
// the usage alone.
func TestGroupWithoutSubcommandNamesThem(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "textbankd export: name what to do: reports, messages, opt-outs or opt-out-lifts\n"},
		{[]string{"numbers"}, "textbankd numbers: name what to do: add, list or remove\n"},
		{[]string{"users"}, "textbankd users: name what to do: list, add, rename, password or sign-out\n"},
		{[]string{"export", "report"}, `textbankd export: unknown subcommand "report". Did you mean "reports"? The subcommands are reports, messages, opt-outs and opt-out-lifts.` + "\n"},
		{[]string{"users", "lst"}, `textbankd users: unknown subcommand "lst". Did you mean "list"? The subcommands are list, add, rename, password and sign-out.` + "\n"},
		{[]string{"unroutable", "close"}, `textbankd unroutable: unknown subcommand "close". The subcommands are handle and reopen.` + "\n"},
	} {
		code, out, errOut := runCLI(t, env, "", c.args...)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, c.want) || !strings.Contains(errOut, "textbankd "+c.args[0]+" ") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant first %q, then the usage", c.args, code, out, errOut, c.want)
		}
	}
	// Help is still help, with nothing to complain of.
	if code, out, errOut := runCLI(t, env, "", "export", "--help"); code != 0 || errOut != "" || !strings.HasPrefix(out, "  textbankd export reports") {
		t.Errorf("export --help: %d %q %q", code, out, errOut)
	}
}

// TestEmptyListsSayHowToFillThem: a list with nothing in it says so and
// how to add the first, instead of a header alone; --json stays [].
func TestEmptyListsSayHowToFillThem(t *testing.T) {
	empty := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	env, code, _ := organizerWithCampaign(t)
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{empty, []string{"users", "list"}, "No accounts yet: people sign up in the app, or textbankd users add EMAIL --name NAME makes one.\n"},
		{empty, []string{"campaign", "list"}, "No campaigns yet: textbankd campaign create FILE makes one.\n"},
		{env, []string{"numbers", "list"}, "No sending numbers yet: textbankd numbers add --campaign CODE +1NUMBER... adds them.\n"},
		{env, []string{"numbers", "list", "--campaign", code}, "Campaign " + code + " has no sending numbers yet: textbankd numbers add --campaign " + code + " +1NUMBER... adds them.\n"},
		{env, []string{"unroutable"}, "No unroutable texts: every text to a campaign number has gone to its conversation.\n"},
		{env, []string{"unroutable", "--campaign", code}, "No unroutable texts kept with campaign " + code + " Springfield GOTV 2026.\n"},
	} {
		exit, out, errOut := runCLI(t, c.env, "", c.args...)
		if exit != 0 || out != c.want || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", c.args, exit, out, errOut, c.want)
		}
		exit, out, _ = runCLI(t, c.env, "", append(c.args, "--json")...)
		if exit != 0 || strings.TrimSpace(out) != "[]" {
			t.Errorf("%v --json: exit %d, %q; want []", c.args, exit, out)
		}
	}
}

// TestEmptyCampaignListNamesArchived: with every campaign archived,
// campaign list says how to see them, not "No campaigns yet".
func TestEmptyCampaignListNamesArchived(t *testing.T) {
	env, code, _ := organizerWithCampaign(t)
	if exit, _, errOut := runCLI(t, env, "", "campaign", "archive", code, "--yes"); exit != 0 {
		t.Fatalf("archive: %d %s", exit, errOut)
	}
	want := "No active campaigns (textbankd campaign list --all shows the 1 archived campaign); textbankd campaign create FILE makes a new one.\n"
	if exit, out, errOut := runCLI(t, env, "", "campaign", "list"); exit != 0 || out != want || errOut != "" {
		t.Errorf("campaign list: exit %d, stdout %q, stderr %q; want %q", exit, out, errOut, want)
	}
	if exit, out, _ := runCLI(t, env, "", "campaign", "list", "--json"); exit != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("campaign list --json: exit %d, %q; want []", exit, out)
	}
	if exit, out, _ := runCLI(t, env, "", "campaign", "list", "--all"); exit != 0 || !strings.Contains(out, "archived") {
		t.Errorf("campaign list --all: exit %d, %q; want the archived campaign", exit, out)
	}
}

// TestUnroutableSaysWhenCutShort: a list cut at --limit says older texts
// exist and how to see them (on stderr, so --json stays a list); one that
// fits says nothing more.
func TestUnroutableSaysWhenCutShort(t *testing.T) {
	dir := seedCampaign(t) // u1, "who is this?"
	env := map[string]string{"TEXTBANK_DATA": dir}
	now := time.Now().UTC()
	for i, body := range []string{"second", "third"} {
		addUnroutable(t, dir, store.Unroutable{ID: "u" + string(rune('2'+i)), ProviderID: "SM" + body, From: "+12125550102", To: "+12025550100",
			Body: body, ReceivedAt: now.Add(time.Duration(i+1) * time.Minute)})
	}
	note := "textbankd unroutable: these are the newest 2; older ones are not shown (--limit 100 shows more)\n"
	code, out, errOut := runCLI(t, env, "", "unroutable", "--limit", "2")
	if code != 0 || errOut != note || !strings.Contains(out, "third") || !strings.Contains(out, "second") || strings.Contains(out, "who is this?") {
		t.Fatalf("--limit 2 of 3: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "unroutable", "--limit", "2", "--json")
	var rows []UnroutableText
	if code != 0 || errOut != note || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("--limit 2 --json: %d %s %s", code, out, errOut)
	}
	if code, out, errOut = runCLI(t, env, "", "unroutable", "--limit", "3"); code != 0 || errOut != "" || !strings.Contains(out, "who is this?") {
		t.Fatalf("--limit 3 of 3: %d\n%s%s", code, out, errOut)
	}
}

// TestUnroutableSuggestsMore: the --limit a cut list suggests is a round
// number past the one given and never under the default (--limit 1 once
// suggested 10), and does not overflow.
func TestUnroutableSuggestsMore(t *testing.T) {
	for _, c := range []struct{ limit, want int }{{1, 100}, {2, 100}, {99, 100}, {100, 1000}, {250, 1000}, {1000, 10000}, {math.MaxInt, math.MaxInt}} {
		if got := moreThan(c.limit); got != c.want {
			t.Errorf("moreThan(%d) = %d, want %d", c.limit, got, c.want)
		}
	}
}

// TestUsersRefuseTheEmailBeforeThePassword: users add with a malformed or
// taken email, and users password with one no account has, say so before
// the organizer types a password twice at the terminal (readSecret stands
// in for it and must not be asked), and change nothing.
func TestUsersRefuseTheEmailBeforeThePassword(t *testing.T) {
	env, _, _ := organizerWithCampaign(t) // orla@springfieldvotes.org
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(env["TEXTBANK_DATA"], demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	org, err := server.NewOrganizer(server.OrganizerConfig{Store: st, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		run  func(context.Context, *cli, []string) error
		arg  string
		want string
	}{
		{"add a taken email", runUsersAdd, "Orla@SpringfieldVotes.org", "an account with email orla@springfieldvotes.org already exists"},
		{"add a malformed email", runUsersAdd, "orla@springfieldvotes", `email: "orla@springfieldvotes" is not an email address (like name@example.org)`},
		{"password of nobody", runUsersPassword, "nobody@springfieldvotes.org", "no account has email nobody@springfieldvotes.org (textbankd users list shows them)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			asked := false
			cl := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: envOf(nil), org: org,
				opts:       cliOpts{name: "Orla Again"},
				readSecret: func() ([]byte, error) { asked = true; return []byte("a long walk to the polls 42"), nil }}
			err := c.run(ctx, cl, []string{c.arg})
			if err == nil || err.Error() != c.want || asked {
				t.Fatalf("err %v, password asked %v; want %q before any password", err, asked, c.want)
			}
		})
	}
	if code, out, _ := runCLI(t, env, "", "users", "list", "--json"); code != 0 || strings.Count(out, `"email"`) != 1 {
		t.Fatalf("users list after the refusals: %d %s", code, out)
	}
}

// TestExportsCarryTheContactListsColumns: both exports have a column for
// each of the contact list's own columns (precinct, polling place), and
// only export reports takes --latest.
func TestExportsCarryTheContactListsColumns(t *testing.T) {
	env, code, _ := organizerWithCampaign(t)
	action := []string{"--campaign", code, "--action-title", "Get Out The Vote"}
	for _, args := range [][]string{{"export", "reports"}, {"export", "reports", "--latest"}, {"export", "messages"}} {
		exit, out, errOut := runCLI(t, env, "", append(args, action...)...)
		if exit != 0 || !strings.Contains(out, ",precinct,polling_place,") {
			t.Errorf("%v: exit %d, header %q, stderr %q", args, exit, out, errOut)
		}
	}
	if exit, _, errOut := runCLI(t, env, "", append([]string{"export", "messages", "--latest"}, action...)...); exit == 0 || !strings.Contains(errOut, "-latest") {
		t.Errorf("export messages --latest: exit %d, stderr %q", exit, errOut)
	}
}
