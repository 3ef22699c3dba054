package main

import (
	"strings"
	"testing"
)

// TestUsageMistakes: a typo of a command is answered in a line with the
// command meant, not the whole usage; "help GROUP" is that group's help;
// every command takes --help; a command given no argument where it needs
// one exits 2 with its usage, as a wrong count of arguments does.
func TestUsageMistakes(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "", "campain", "list")
	if code != 2 || out != "" || errOut != "textbankd: unknown command \"campain\". Did you mean \"campaign\"? Run \"textbankd help\" for the list.\n" {
		t.Errorf("a typo: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, nil, "", "frobnicate"); code != 2 || errOut != "textbankd: unknown command \"frobnicate\". Run \"textbankd help\" for the list.\n" {
		t.Errorf("nothing like a command: exit %d, stderr %q; want 2 and no guess", code, errOut)
	}
	code, out, _ = runCLI(t, nil, "", "help", "users")
	if code != 0 || !strings.Contains(out, "textbankd users sign-out") || strings.Contains(out, "textbankd campaign create") {
		t.Errorf("help users: exit %d, stdout %q; want the users commands only", code, out)
	}
	code, out, _ = runCLI(t, nil, "", "version", "--help")
	if code != 0 || !strings.Contains(out, "print the version") {
		t.Errorf("version --help: exit %d, stdout %q", code, out)
	}
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	for _, args := range [][]string{
		{"numbers", "add", "--campaign", "482913"},
		{"numbers", "remove", "--campaign", "482913"},
		{"users", "sign-out"},
		{"users", "sign-out", "--yes"}, // --all without --yes is no mistake of the line: yes_test.go
	} {
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "\n  textbankd "+args[0]+" "+args[1]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 with the command's usage", args, code, out, errOut)
		}
	}
}

// TestEnvironmentAndDataMistakes: --data naming the database file says to
// pass its directory; a failure with a flag a TEXTBANK_* variable gave
// (one left in the environment) names the variable, never --db's.
func TestEnvironmentAndDataMistakes(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	file := env["TEXTBANK_DATA"] + "/textbank.db"
	code, _, errOut := runCLI(t, nil, "", "campaign", "list", "--data", file)
	if code != 1 || !strings.Contains(errOut, "--data "+file+" is a file, not a directory: pass the directory that holds textbank.db (--data "+env["TEXTBANK_DATA"]+")") {
		t.Errorf("--data FILE: exit %d, stderr %q", code, errOut)
	}
	env["TEXTBANK_CAMPAIGN"] = "999999"
	code, _, errOut = runCLI(t, env, "", "stats", "--action", actionID)
	if code != 1 || !strings.HasSuffix(errOut, "(taken from the environment, not typed: --campaign from TEXTBANK_CAMPAIGN=999999)\n") {
		t.Errorf("a campaign left in the environment: exit %d, stderr %q", code, errOut)
	}
	// Typed on the command line, it is the organizer's own: no such line.
	code, _, errOut = runCLI(t, env, "", "stats", "--action", actionID, "--campaign", "999998")
	if code != 1 || strings.Contains(errOut, "environment") {
		t.Errorf("--campaign typed over the variable: exit %d, stderr %q", code, errOut)
	}
	// A database URL holds a password: never named, whatever fails.
	withDB := map[string]string{"TEXTBANK_DB": "postgres://u:secretpw@127.0.0.1:1/x", "TEXTBANK_CAMPAIGN": "999999"}
	code, out, errOut := runCLI(t, withDB, "", "stats", "--action", actionID)
	if code != 1 || strings.Contains(out+errOut, "secretpw") || !strings.Contains(errOut, "--campaign from TEXTBANK_CAMPAIGN=999999") {
		t.Errorf("a failure with TEXTBANK_DB set: exit %d, %q %q", code, out, errOut)
	}
	env["TEXTBANK_CAMPAIGN"] = joinCode
	if code, _, errOut = runCLI(t, env, "", "stats", "--action", actionID); code != 0 {
		t.Errorf("stats with a matching variable: exit %d, %s", code, errOut)
	}
}

// TestExportOptOutLiftsHelp: the export's help names both ways an opt-out
// is lifted; it named only Opt Back In, so an operator looking for the
// record of opt-outs undone (opt-outs undo) did not look here.
func TestExportOptOutLiftsHelp(t *testing.T) {
	code, out, _ := runCLI(t, nil, "", "export", "opt-out-lifts", "--help")
	if code != 0 || !strings.Contains(out, "Opt Back In") || !strings.Contains(out, "Undo Opt Out") {
		t.Fatalf("export opt-out-lifts --help: exit %d\n%s", code, out)
	}
}

// TestUsageNamesTheFlagsNeeded: a command's usage line names the flags it
// refuses to run without, as an organizer reads it before a first try
// (admin add showed "EMAIL" alone, then asked for --campaign).
func TestUsageNamesTheFlagsNeeded(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"admin", "add", "--help"}, "  textbankd admin add EMAIL --campaign CODE|ID\n"},
		{[]string{"numbers", "add", "--help"}, "  textbankd numbers add +1NUMBER... --campaign CODE|ID\n"},
		{[]string{"opt-outs", "undo", "--help"}, "  textbankd opt-outs undo PHONE --org NAME --by EMAIL\n"},
		{[]string{"export", "opt-outs", "--help"}, "  textbankd export opt-outs --org NAME\n"},
		{[]string{"stats", "--help"}, "  textbankd stats --action ID (or --campaign CODE --action-title TITLE)\n"},
		{[]string{"sim", "text", "--help"}, "  textbankd sim text BODY --from PHONE --to NUMBER\n"},
		{[]string{"users", "add", "--help"}, "  textbankd users add EMAIL --name NAME\n"},
		{[]string{"users", "rename", "--help"}, "  textbankd users rename EMAIL --name NAME\n"},
	} {
		code, out, _ := runCLI(t, nil, "", tc.args...)
		if code != 0 || !strings.HasPrefix(out, tc.want) {
			t.Errorf("%v: exit %d, stdout %q; want it to start %q", tc.args, code, out, tc.want)
		}
	}
	// The flags are the usage's, not the arguments the command counts: a
	// wrong count names the arguments alone (exit 2, with the usage), a
	// flag needed and not given is named by the command (exit 1).
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"admin", "add"}, 2, "textbankd admin add: want EMAIL, got 0 arguments\n"},
		{[]string{"sim", "text"}, 2, "textbankd sim text: want BODY, got 0 arguments\n"},
		{[]string{"sim", "text", "--from", "+16175550151", "--to", "+12025550180"}, 2, "textbankd sim text: want BODY, got 0 arguments\n"},
		{[]string{"sim", "text", "Hi", "there", "--from", "+16175550151"}, 2, "textbankd sim text: want BODY, got 2 arguments\n"},
		{[]string{"sim", "text", "Hi", "--to", "+12025550180"}, 1, "textbankd sim text: give the contact's number with --from\n"},
		{[]string{"sim", "text", "Hi", "--from", "+16175550151"}, 1, "textbankd sim text: give the campaign's sending number with --to\n"},
		{[]string{"users", "add"}, 2, "textbankd users add: want EMAIL, got 0 arguments\n"},
		{[]string{"users", "add", "--name", "Pat"}, 2, "textbankd users add: want EMAIL, got 0 arguments\n"},
		{[]string{"users", "add", "pat@example.org"}, 1, "textbankd users add: give the person's name with --name\n"},
		{[]string{"users", "add", "pat@example.org", "--name", " "}, 1, "textbankd users add: give the person's name with --name\n"},
		{[]string{"users", "rename"}, 2, "textbankd users rename: want EMAIL, got 0 arguments\n"},
		{[]string{"users", "rename", "pat@example.org"}, 1, "textbankd users rename: give the person's new name with --name\n"},
	} {
		code, out, errOut := runCLI(t, env, "", bad.args...)
		if code != bad.code || out != "" || !strings.HasPrefix(errOut, bad.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d, stderr starting %q", bad.args, code, out, errOut, bad.code, bad.want)
		}
	}
}
