package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/contactcsv"
)

// runCLI runs textbankd with args against dir and returns exit code,
// stdout and stderr.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWithStdin(args, strings.NewReader(stdin), &out, &errOut, env)
	return code, out.String(), errOut.String()
}

func runWithStdin(args []string, stdin *strings.Reader, out, errOut *bytes.Buffer, env map[string]string) int {
	if len(args) > 0 && isOrganizerGroup(args[0]) {
		return runGroup(context.Background(), args[0], args[1:], stdin, out, errOut, envOf(env))
	}
	return run(context.Background(), args, out, errOut, envOf(env))
}

func isOrganizerGroup(s string) bool {
	_, ok := commandGroups()[s]
	return ok
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOrganizerFlow walks docs/ORGANIZER.md's path on a real data
// directory: an admin account, the example campaign, a contact import, an
// admin, the listings, stats and exports.
func TestOrganizerFlow(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TEXTBANK_DATA": dir}
	code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer")
	if code != 0 {
		t.Fatalf("users add: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml", "--json")
	if code != 0 {
		t.Fatalf("campaign create: %d %s %s", code, out, errOut)
	}
	var created struct {
		JoinCode string
		Actions  []struct{ ID, Title, Status string }
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("campaign create --json: %v\n%s", err, out)
	}
	if len(created.JoinCode) != 6 || len(created.Actions) != 1 || created.Actions[0].ID == "" || created.Actions[0].Status != "created" {
		t.Fatalf("created %+v", created)
	}
	actionID := created.Actions[0].ID

	// The example's scripts use {precinct} and {polling_place}.
	csvPath := writeFile(t, dir, "contacts.csv", contactcsv.Synthetic(50))
	code, out, errOut = runCLI(t, env, "", "contacts", "import", csvPath, "--campaign", created.JoinCode, "--action-title", "get out the vote")
	if code != 0 || !strings.Contains(out, "Imported 50 contacts") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	// Importing again skips every number as already loaded.
	code, out, _ = runCLI(t, env, "", "contacts", "import", csvPath, "--action", actionID, "--json")
	var again struct{ Imported, AlreadyLoaded int }
	if code != 0 || json.Unmarshal([]byte(out), &again) != nil || again.Imported != 0 || again.AlreadyLoaded != 50 {
		t.Fatalf("second import: %d %s", code, out)
	}
	// Said as nothing new, and why, first: "Imported 0 contacts" read as
	// a failure to look into.
	code, out, _ = runCLI(t, env, "", "contacts", "import", csvPath, "--action", actionID)
	if want := `Nothing new imported into "Get Out The Vote" (` + actionID + `): every row was skipped (50 already in the action).` + "\n"; code != 0 || !strings.HasPrefix(out, want) {
		t.Fatalf("third import: %d %q, want it to start %q", code, out, want)
	}

	code, out, errOut = runCLI(t, env, "correct horse battery\n", "users", "add", "ann@example.org", "--name", "Ann Admin")
	if code != 0 {
		t.Fatalf("users add ann: %s %s", out, errOut)
	}
	if code, out, errOut = runCLI(t, env, "", "admin", "add", "ann@example.org", "--campaign", created.JoinCode); code != 0 || !strings.Contains(out, "now an admin") {
		t.Fatalf("admin add: %d %s %s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, env, "", "admin", "remove", "orla@springfieldvotes.org", "--campaign", created.JoinCode); code != 0 || !strings.Contains(out, "Get Out The Vote") {
		t.Fatalf("admin remove: %d %s", code, out)
	}
	if code, _, errOut = runCLI(t, env, "", "admin", "remove", "ann@example.org", "--campaign", created.JoinCode); code != 1 || !strings.Contains(errOut, "only admin") {
		t.Fatalf("removing the last admin: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, env, "", "users", "list")
	if code != 0 || !strings.Contains(out, "ann@example.org") || !strings.Contains(out, "(admin)") || !strings.Contains(out, "(volunteer)") {
		t.Fatalf("users list: %s", out)
	}
	code, out, _ = runCLI(t, env, "", "campaign", "list")
	if code != 0 || !strings.Contains(out, created.JoinCode) || !strings.Contains(out, "Springfield GOTV 2026") {
		t.Fatalf("campaign list: %s", out)
	}
	code, out, _ = runCLI(t, env, "", "stats", "--action", actionID, "--json")
	var stats struct{ Total struct{ Contacts int } }
	if code != 0 || json.Unmarshal([]byte(out), &stats) != nil || stats.Total.Contacts != 50 {
		t.Fatalf("stats: %d %s", code, out)
	}
	outFile := filepath.Join(dir, "reports.csv")
	if code, _, errOut = runCLI(t, env, "", "export", "reports", "--action", actionID, "--out", outFile); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	raw, _ := os.ReadFile(outFile)
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(rows) != 1 || !strings.Contains(strings.Join(rows[0], ","), "will_vote,needs_ride,support,household,best_time,notes,opt_out") {
		t.Fatalf("reports header: %v %q", err, raw)
	}
	// Without --yes it names the campaign the code is and archives nothing:
	// no command brings a campaign back, and a mistyped code can be
	// another's (the organizer's-day audit).
	code, out, errOut = runCLI(t, env, "", "campaign", "archive", created.JoinCode)
	if code != 1 || !strings.Contains(errOut, "join code "+created.JoinCode+` is "Springfield GOTV 2026" of Springfield Votes (1 action, `) ||
		!strings.Contains(errOut, "add --yes to archive it") {
		t.Fatalf("archive without --yes: %d %s %s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, env, "", "campaign", "list"); code != 0 || !strings.Contains(out, created.JoinCode) {
		t.Fatalf("the campaign is still active after archive without --yes: %s", out)
	}
	if code, out, _ = runCLI(t, env, "", "campaign", "archive", created.JoinCode, "--yes"); code != 0 || !strings.Contains(out, "free again") {
		t.Fatalf("archive: %d %s", code, out)
	}
	if code, _, errOut = runCLI(t, env, "", "campaign", "archive", created.JoinCode, "--yes"); code != 1 || !strings.Contains(errOut, "no active campaign has join code") {
		t.Fatalf("archive twice: %d %s", code, errOut)
	}
}

func TestOrganizerBadInput(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TEXTBANK_DATA": dir}
	bad := writeFile(t, t.TempDir(), "bad.yaml", `
organization: O
campaign: {name: C, join_code: generate, admins: [nobody@example.org]}
actions:
  - title: T
    scripts: ["Vote at {polling_place}"]
    texting_hours: {start: "25:00", end: "21:00"}
`)
	code, out, errOut := runCLI(t, env, "", "campaign", "create", bad)
	for _, want := range []string{"actions[0].scripts[0] (line 6): unknown merge field {polling_place}",
		`actions[0].texting_hours (line 7): start: "25:00" is not a time of day`,
		"campaign.admins[0] (line 3): no account has email nobody@example.org"} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s%s", code, want, out, errOut)
		}
	}
	code, out, _ = runCLI(t, env, "", "campaign", "create", bad, "--json")
	var res struct {
		Problems []struct {
			Path string
			Line int
		}
	}
	if code != 1 || json.Unmarshal([]byte(out), &res) != nil || len(res.Problems) != 3 {
		t.Fatalf("--json problems: %d %s", code, out)
	}
	if code, out, _ = runCLI(t, env, "", "campaign", "list", "--json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("a refused file stored something: %s", out)
	}
	if code, _, errOut = runCLI(t, env, "", "campaign", "list", "--data", filepath.Join(dir, "nope")); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("missing data dir: %d %s", code, errOut)
	}
	// A mistyped --data naming some other directory (files, no database)
	// gets no empty campaign database of its own.
	elsewhere := t.TempDir()
	writeFile(t, elsewhere, "notes.txt", "not a campaign\n")
	for _, args := range [][]string{{"campaign", "list"}, {"users", "add", "y@example.org", "--name", "Y"}} {
		code, _, errOut = runCLI(t, env, "a long walk to the polls 42\n", append(args, "--data", elsewhere)...)
		if code != 1 || !strings.Contains(errOut, elsewhere+" holds no Textbank database (textbank.db) but other files") {
			t.Fatalf("%v in a directory of other files: %d %s", args, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(elsewhere, "textbank.db")); !os.IsNotExist(err) {
			t.Fatalf("%v made a database in a directory of other files: %v", args, err)
		}
	}
	if code, _, _ = runCLI(t, env, "", "campaign", "create"); code != 2 {
		t.Fatalf("missing FILE: exit %d", code)
	}
	if code, _, _ = runCLI(t, env, "", "campaign", "frobnicate"); code != 2 {
		t.Fatalf("unknown subcommand: exit %d", code)
	}
	if code, _, errOut = runCLI(t, env, "password\n", "users", "add", "x@example.org", "--name", "X"); code != 1 || !strings.Contains(errOut, "most common passwords") {
		t.Fatalf("common password: %d %s", code, errOut)
	}
}

func TestOrganizerHelpListsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"help"}, &out, &out, envOf(nil)); code != 0 {
		t.Fatal(code)
	}
	for group, cmds := range commandGroups() {
		for _, c := range cmds {
			if !strings.Contains(out.String(), "textbankd "+c.name) {
				t.Errorf("help lacks %q (group %s)", c.name, group)
			}
			var o cliOpts
			fs, env := cmdFlags(c, &o)
			for name, key := range env {
				if fs.Lookup(name) == nil || !strings.Contains(fs.Lookup(name).Usage, key) {
					t.Errorf("%s --%s: usage does not name %s", c.name, name, key)
				}
			}
		}
	}
	for _, key := range []string{"TEXTBANK_ACTION", "TEXTBANK_CAMPAIGN", "TEXTBANK_ACTION_TITLE", "TEXTBANK_REGION", "TEXTBANK_OUT", "TEXTBANK_ORG", "TEXTBANK_JSON", "TEXTBANK_LIMIT"} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("help lacks %s", key)
		}
	}
	var sub bytes.Buffer
	if code := runGroup(context.Background(), "contacts", []string{"import", "--help"}, strings.NewReader(""), &sub, &sub, envOf(nil)); code != 0 ||
		!strings.Contains(sub.String(), "-skip-invalid") {
		t.Fatalf("contacts import --help: %d %s", code, sub.String())
	}
}
