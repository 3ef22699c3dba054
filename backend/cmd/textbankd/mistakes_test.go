package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/sms"
)

// organizerWithCampaign makes docs/ORGANIZER.md's start: an admin account
// and the example campaign. It returns the environment, join code and
// action id.
func organizerWithCampaign(t *testing.T) (map[string]string, string, string) {
	t.Helper()
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	code, out, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml", "--json")
	var created struct {
		JoinCode string
		Actions  []struct{ ID string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &created) != nil || len(created.Actions) != 1 {
		t.Fatalf("campaign create: %d %s %s", code, out, errOut)
	}
	return env, created.JoinCode, created.Actions[0].ID
}

// campaignCount is how many campaigns the data directory holds, archived
// ones too.
func campaignCount(t *testing.T, env map[string]string) int {
	t.Helper()
	code, out, _ := runCLI(t, env, "", "campaign", "list", "--all", "--json")
	var list []json.RawMessage
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("campaign list: %d %s", code, out)
	}
	return len(list)
}

// TestCampaignCreateTwiceIsRefused: running campaign create again on the
// same file names the campaign it would duplicate and how to change it
// instead, and stores nothing.
func TestCampaignCreateTwiceIsRefused(t *testing.T) {
	env, joinCode, _ := organizerWithCampaign(t)
	code, _, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml")
	want := `campaign.name (line 18): "Springfield Votes" already has an active campaign named "Springfield GOTV 2026" (join code ` + joinCode +
		`); to change it, put join_code: "` + joinCode + `" in the file and run campaign update`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant %q", code, errOut, want)
	}
	if n := campaignCount(t, env); n != 1 {
		t.Fatalf("%d campaigns after a refused create, want 1", n)
	}
	// Archived, the name is free again (next year's campaign).
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", joinCode, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml"); code != 0 {
		t.Fatalf("create after archive: %s", errOut)
	}
}

// TestCampaignProblemsInFileOrder: problems are listed as they stand in the
// file, top to bottom, whichever check found them.
func TestCampaignProblemsInFileOrder(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	bad := writeFile(t, t.TempDir(), "bad.yaml", `organization: O
campaign: {name: C, join_code: generate, admins: [nobody@example.org]}
actions:
  - title: T
    scripts: ["Hi {volunteer}"]
    texting_hours: {start: "25:00", end: "21:00"}
`)
	code, _, errOut := runCLI(t, env, "", "campaign", "create", bad)
	admins := strings.Index(errOut, "campaign.admins[0] (line 2)")
	script := strings.Index(errOut, "actions[0].scripts[0] (line 5): unknown merge field {volunteer} (did you mean {volunteer_name}?); the fields are first_name, last_name, full_name, zip, volunteer_name, volunteer_first_name")
	hours := strings.Index(errOut, "actions[0].texting_hours (line 6)")
	if code != 1 || admins < 0 || script < 0 || hours < 0 || !(admins < script && script < hours) {
		t.Fatalf("exit %d, problems not all there in file order:\n%s", code, errOut)
	}
	if n := campaignCount(t, env); n != 0 {
		t.Fatalf("a refused file stored %d campaigns", n)
	}
}

// TestExportFailureKeepsTheFile: an export that fails (here: a mistyped
// action id) leaves --out as it was, and no temporary file beside it.
func TestExportFailureKeepsTheFile(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	out := writeFile(t, dir, "reports.csv", "yesterday's export\n")
	before, _ := os.ReadDir(dir)
	code, _, errOut := runCLI(t, env, "", "export", "reports", "--action", "0190f3c2-nope", "--out", out)
	if code != 1 || !strings.Contains(errOut, "no action has id 0190f3c2-nope") || !strings.Contains(errOut, "--action-title") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if raw, _ := os.ReadFile(out); string(raw) != "yesterday's export\n" {
		t.Fatalf("a failed export changed --out: %q", raw)
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Fatalf("a failed export left files: %v", after)
	}
	code, _, errOut = runCLI(t, env, "", "export", "messages", "--action", actionID, "--out", filepath.Join(dir, "no-such-dir", "m.csv"))
	if code != 1 || !strings.Contains(errOut, "--out "+filepath.Join(dir, "no-such-dir", "m.csv")+": cannot write there") {
		t.Fatalf("--out in a missing directory: %d %q", code, errOut)
	}
	// A directory is named as such, before any work, and nothing is left in it.
	sub := filepath.Join(dir, "exports")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, env, "", "export", "reports", "--action", actionID, "--out", sub)
	if code != 1 || !strings.Contains(errOut, "--out "+sub+" is a directory; name a file in it, such as "+filepath.Join(sub, "export.csv")) {
		t.Fatalf("--out a directory: %d %q", code, errOut)
	}
	if left, _ := os.ReadDir(dir); len(left) != len(before)+1 {
		t.Fatalf("--out a directory left files: %v", left)
	}
	code, stdout, errOut := runCLI(t, env, "", "export", "messages", "--action", actionID, "--out", out)
	if raw, _ := os.ReadFile(out); code != 0 || !strings.HasPrefix(string(raw), "message_id,") || !strings.Contains(stdout, "Wrote 0 messages") {
		t.Fatalf("export: %d %s %s %q", code, stdout, errOut, raw)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file mode: %v %v (contacts' numbers: owner only)", fi.Mode(), err)
	}
}

// TestStatsAndExportsByTitle: stats and exports find the action as
// contacts import does, by campaign code and title, and say how when
// neither is given.
func TestStatsAndExportsByTitle(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	code, out, errOut := runCLI(t, env, "", "stats", "--campaign", joinCode, "--action-title", "get out the vote", "--json")
	var st struct{ ActionID string }
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.ActionID != actionID {
		t.Fatalf("stats by title: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "export", "reports", "--campaign", joinCode, "--action-title", "Get Out The Vote")
	if code != 0 || !strings.HasPrefix(out, "report_id,") {
		t.Fatalf("export by title: %d %s", code, out)
	}
	for _, args := range [][]string{{"stats"}, {"export", "messages"}, {"stats", "--campaign", joinCode}} {
		code, _, errOut = runCLI(t, env, "", args...)
		if code != 1 || !strings.Contains(errOut, "--action ID, or --campaign CODE with --action-title TITLE") {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
	code, _, errOut = runCLI(t, env, "", "stats", "--campaign", joinCode, "--action-title", "GOTV")
	if code != 1 || !strings.Contains(errOut, `has no action titled "GOTV"; its actions: "Get Out The Vote"`) {
		t.Fatalf("unknown title: %d %s", code, errOut)
	}
}

// TestImportUnknownRegion: a --region no number can be read in is one
// message, not one per row, and imports nothing.
func TestImportUnknownRegion(t *testing.T) {
	env, joinCode, _ := organizerWithCampaign(t)
	csvPath := writeFile(t, env["TEXTBANK_DATA"], "c.csv", "FirstName,LastName,Cell,Precinct,Polling Place\nA,B,2175550100,1,School\nC,D,2175550101,1,School\n")
	code, out, errOut := runCLI(t, env, "", "contacts", "import", csvPath, "--campaign", joinCode, "--action-title", "Get Out The Vote", "--region", "USA")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `--region "USA" is not a country code`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, out, _ = runCLI(t, env, "", "campaign", "list", "--json")
	if !strings.Contains(out, `"contacts": 0`) {
		t.Fatalf("a refused import stored contacts: %s", out)
	}
}

// TestArchiveAndAdminRemoveSayWhatHappened: campaign archive --json has the
// whole listing row, and admin remove names who receives reassigned
// conversations now.
func TestArchiveAndAdminRemoveSayWhatHappened(t *testing.T) {
	env, joinCode, _ := organizerWithCampaign(t)
	csvPath := writeFile(t, env["TEXTBANK_DATA"], "c.csv", contactcsv.Synthetic(3))
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", csvPath, "--campaign", joinCode, "--action-title", "Get Out The Vote"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "ann@example.org", "--name", "Ann"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "admin", "add", "ann@example.org", "--campaign", joinCode); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", joinCode, "+12175550101"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, _ := runCLI(t, env, "", "admin", "remove", "orla@springfieldvotes.org", "--campaign", joinCode)
	if code != 0 || !strings.Contains(out, "Reassigned conversations of Get Out The Vote now go to ann@example.org.") ||
		!strings.Contains(out, "Take orla@springfieldvotes.org out of the campaign file's admins") {
		t.Fatalf("admin remove: %d %s", code, out)
	}
	// The file still lists Orla as admin and creator: an update makes her
	// both again, and says so (it was silent: the organizer's-day audit).
	file := exampleVariant(t, t.TempDir(), "u.yaml", "join_code: generate", "join_code: "+joinCode,
		"    - orla@springfieldvotes.org", "    - orla@springfieldvotes.org\n    - ann@example.org")
	code, out, errOut := runCLI(t, env, "", "campaign", "update", file)
	if code != 0 || !strings.Contains(out, "orla@springfieldvotes.org is now an admin of the campaign (listed in campaign.admins)") ||
		strings.Contains(out, "ann@example.org is now an admin") ||
		!strings.Contains(out, "its reassigned conversations now go to orla@springfieldvotes.org (the action's creator)") {
		t.Fatalf("campaign update after admin remove: %d %s %s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, env, "", "campaign", "update", file); code != 0 || strings.Contains(out, "now an admin") || strings.Contains(out, "now go to") {
		t.Fatalf("the same update again tells of no change: %d %s", code, out)
	}
	code, out, _ = runCLI(t, env, "", "campaign", "archive", joinCode, "--json", "--yes")
	var l struct {
		Organization              string
		Active                    bool
		Actions, Contacts, Admins int
	}
	if code != 0 || json.Unmarshal([]byte(out), &l) != nil || l.Organization != "Springfield Votes" || l.Active || l.Actions != 1 || l.Contacts != 3 || l.Admins != 2 { // Orla again and Ann
		t.Fatalf("archive --json: %d %s", code, out)
	}
	// Its numbers stay with it until a new campaign of the organization
	// takes one over (ORGANIZER.md, section 8), told whose it was, by code
	// and name, not by id (numbers_move_test.go has the refusals).
	code, out, _ = runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml", "--json")
	var next struct{ JoinCode string }
	if code != 0 || json.Unmarshal([]byte(out), &next) != nil {
		t.Fatalf("next campaign: %d %s", code, out)
	}
	code, out, errOut = runCLI(t, env, "", "numbers", "add", "--campaign", next.JoinCode, "+12175550101")
	if code != 0 || !strings.Contains(out, `+12175550101 taken over from archived campaign `+joinCode+` "Springfield GOTV 2026"`) {
		t.Fatalf("numbers add of an archived campaign's number: %d %s %s", code, out, errOut)
	}
}

// TestHelpGoesToStdout: --help of serve and of every command prints on
// stdout (to be paged or grepped) and exits 0; a bad flag or variable is
// told on stderr with exit 2 (serve's with exitRefused: a systemd unit
// does not restart it).
func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"stats", "--help"}, {"contacts", "import", "-h"}, {"numbers", "--help"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut, envOf(nil)); code != 0 || errOut.Len() != 0 || !strings.Contains(out.String(), "TEXTBANK_DATA") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--nope"}, &out, &errOut, envOf(nil)); code != exitRefused || out.Len() != 0 ||
		!strings.Contains(errOut.String(), "textbankd serve: flag provided but not defined: -nope") {
		t.Errorf("serve --nope: exit %d, stderr %q", code, errOut.String())
	}
	for _, tc := range []struct {
		args      []string
		key, want string
		code      int
	}{
		{[]string{"users", "list"}, "TEXTBANK_JSON", `TEXTBANK_JSON="yes": want true or false`, 2},
		{[]string{"serve"}, "TEXTBANK_SEND_WORKERS", `TEXTBANK_SEND_WORKERS="yes": want a whole number`, exitRefused},
	} {
		out.Reset()
		errOut.Reset()
		code := run(context.Background(), tc.args, &out, &errOut, envOf(map[string]string{tc.key: "yes"}))
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%s=yes: exit %d, stderr %q", tc.key, code, errOut.String())
		}
	}
}

// TestBadVariableGetsTheUsage: a TEXTBANK_* value that does not fit its
// flag is answered as the flag typed so would be: the variable named, exit
// 2 and the command's usage, which says what the flag takes.
func TestBadVariableGetsTheUsage(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir(), "TEXTBANK_LIMIT": "abc"}
	code, out, errOut := runCLI(t, env, "", "unroutable")
	if code != 2 || out != "" || !strings.HasPrefix(errOut, "textbankd unroutable: TEXTBANK_LIMIT=\"abc\": want a whole number\n\n  textbankd unroutable\n") ||
		!strings.Contains(errOut, "-limit int") {
		t.Errorf("TEXTBANK_LIMIT=abc: exit %d, stdout %q, stderr %q; want 2 with the usage", code, out, errOut)
	}
	_, _, flagErr := runCLI(t, map[string]string{"TEXTBANK_DATA": env["TEXTBANK_DATA"]}, "", "unroutable", "--limit", "abc")
	if usage := flagErr[strings.Index(flagErr, "\n\n"):]; !strings.HasSuffix(errOut, usage) {
		t.Errorf("the variable's usage differs from the flag's:\n%s\nwant it ending\n%s", errOut, usage)
	}
}

// TestNoProviderSaysWhatToDo: a server without --provider fails each text
// with words for its operator, and never suggests --demo (whose accounts'
// password is public).
func TestNoProviderSaysWhatToDo(t *testing.T) {
	_, err := noProvider{}.Send(context.Background(), sms.Outbound{})
	if err == nil || !strings.Contains(err.Error(), "--provider twilio") || strings.Contains(err.Error(), "--demo") {
		t.Fatalf("noProvider: %v", err)
	}
}

// TestSimJournalMakesItsDirectory: serve --db --provider sim has no SQLite
// file to make --data for, yet keeps its journal there; a --data that does
// not exist yet is made, not a reason to stop.
func TestSimJournalMakesItsDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-yet")
	ph, err := newPhones(textsConfig{provider: "sim"}, dir, zerolog.Nop())
	if err != nil {
		t.Fatalf("newPhones: %v", err)
	}
	defer ph.close()
	if _, err := os.Stat(filepath.Join(dir, simJournal)); err != nil {
		t.Fatalf("journal: %v", err)
	}
}

// TestOrganizationSpelledDifferently: opt-outs are kept per organization,
// so a campaign file naming the organization in other case or spacing is
// refused rather than starting a second organization that would text the
// first one's opted-out contacts; export opt-outs finds it either way.
func TestOrganizationSpelledDifferently(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	before := campaignCount(t, env)
	file := exampleVariant(t, env["TEXTBANK_DATA"], "lower.yaml", "organization: Springfield Votes", "organization: springfield  votes ",
		"name: Springfield GOTV 2026", "name: Springfield Canvass")
	code, out, errOut := runCLI(t, env, "", "campaign", "create", file)
	want := `organization (line 14): no organization is named "springfield  votes", but "Springfield Votes" is; write its name exactly`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
	}
	if after := campaignCount(t, env); after != before {
		t.Fatalf("a refused create made a campaign: %d, was %d", after, before)
	}
	code, out, errOut = runCLI(t, env, "", "export", "opt-outs", "--org", "springfield votes")
	if code != 0 || !strings.HasPrefix(out, "organization,phone,") {
		t.Fatalf("export opt-outs in lower case: %d %s %s", code, out, errOut)
	}
}
