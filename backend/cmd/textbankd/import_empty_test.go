package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestImportSaysWhyEmptyRowsWereSkipped: with --skip-invalid, the summary
// says under "invalid" how many rows lacked each field a script needs,
// which scripts need it, and what to do (in --json: emptyFields); without
// it the refusal says the same before the rows, and stores nothing.
func TestImportSaysWhyEmptyRowsWereSkipped(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	dir := env["TEXTBANK_DATA"]
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	// Initial script 2 alone uses {polling_place} without a fallback.
	needy := exampleVariant(t, dir, "needy.yaml", "Election day is Tuesday: can we", "Election day is Tuesday at {polling_place}: can we")
	code, out, errOut := runCLI(t, env, "", "campaign", "create", needy, "--json")
	var created struct{ Actions []struct{ ID string } }
	if code != 0 || json.Unmarshal([]byte(out), &created) != nil || len(created.Actions) != 1 {
		t.Fatalf("campaign create: %d %s %s", code, out, errOut)
	}
	actionID := created.Actions[0].ID
	file := writeFile(t, dir, "contacts.csv", "FirstName,LastName,CellPhone,Polling Place\n"+
		"Ada,Lee,+12025550101,Library\nBob,Byte,+12025550102,\nCy,Dunn,+12025550103,\n")
	advice := "{polling_place} empty on 2 rows: initial script 2 uses {polling_place} without a fallback, and any contact may get it; " +
		"fill {polling_place} in on those rows and import the file again, or give it a fallback ({polling_place|...}) in that script with campaign update"

	code, out, errOut = runCLI(t, env, "", "contacts", "import", file, "--action", actionID)
	if code != 1 || !strings.Contains(errOut, "2 rows are not valid; nothing was imported (fix them, or pass --skip-invalid to import the rest)\n  "+advice+"\n  line 3,") {
		t.Fatalf("refusal: %d\n%s%s", code, out, errOut)
	}
	if n := contactCount(t, env, actionID); n != 0 {
		t.Fatalf("a refused file stored %d contacts", n)
	}

	code, out, errOut = runCLI(t, env, "", "contacts", "import", file, "--action", actionID, "--skip-invalid")
	want := "  invalid:                  2 skipped\n    " + strings.Replace(advice, ": ", " (skipped): ", 1) + "\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("--skip-invalid: %d, want %q in\n%s%s", code, want, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "contacts", "import", file, "--action", actionID, "--skip-invalid", "--json")
	var res struct {
		Imported    int
		EmptyFields []struct {
			Field   string
			Rows    int
			Scripts []string
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Imported != 0 || len(res.EmptyFields) != 1 ||
		res.EmptyFields[0].Field != "polling_place" || res.EmptyFields[0].Rows != 2 || strings.Join(res.EmptyFields[0].Scripts, ";") != "initial script 2" {
		t.Fatalf("--json: %d %s %s", code, out, errOut)
	}
}
