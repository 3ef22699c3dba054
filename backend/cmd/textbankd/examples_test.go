package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestExampleFilesImport: the files in examples/ that the docs tell
// organizers to try (docs/ORGANIZER.md, docs/OPERATIONS.md section 5) work
// together: examples/opt-outs.csv imports into the organization of a
// campaign made from examples/campaign.yaml, and examples/contacts.csv into
// its action, every row read, with a column for every contact field the
// scripts use, and the number both files hold skipped as opted out. Their
// numbers are all +1 202 555 01xx (reserved for fiction), so nobody real is
// ever texted from an example.
func TestExampleFilesImport(t *testing.T) {
	const contacts, optOuts = "../../../examples/contacts.csv", "../../../examples/opt-outs.csv"
	fictional := regexp.MustCompile(`^\+120255501\d\d$`)
	digits := regexp.MustCompile(`\D`)
	cells := func(path, column string) []string {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == column {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("%s has no column %q: %v", path, column, rows[0])
		}
		var out []string
		for _, r := range rows[1:] {
			n := digits.ReplaceAllString(r[col], "")
			if len(n) == 10 {
				n = "1" + n
			}
			if !fictional.MatchString("+" + n) {
				t.Errorf("%s: %q is not a +1 202 555 01xx number", path, r[col])
			}
			out = append(out, "+"+n)
		}
		return out
	}
	contactCells, optOutCells := cells(contacts, "CellPhone"), cells(optOuts, "cell")
	inBoth := 0
	for _, c := range contactCells {
		for _, o := range optOutCells {
			if c == o {
				inBoth++
			}
		}
	}
	if inBoth != 1 {
		t.Fatalf("examples: %d numbers are in both files; want 1, to show the opted-out skip", inBoth)
	}

	env, code, _ := organizerWithCampaign(t)
	exit, out, errOut := runCLI(t, env, "", "opt-outs", "import", "--org", "Springfield Votes", optOuts, "--json")
	var opted struct{ Rows, Added, Invalid int }
	if exit != 0 || json.Unmarshal([]byte(out), &opted) != nil {
		t.Fatalf("opt-outs import %s: exit %d, %s %s", optOuts, exit, out, errOut)
	}
	if opted.Rows != len(optOutCells) || opted.Added != len(optOutCells) || opted.Invalid != 0 {
		t.Errorf("opt-outs import %s: %+v; want all %d added", optOuts, opted, len(optOutCells))
	}

	exit, out, errOut = runCLI(t, env, "", "contacts", "import", "--campaign", code, "--action-title", "Get Out The Vote", contacts, "--json")
	var imported struct {
		Rows, Imported, Invalid, OptedOut int
		Fields                            []string
		Columns                           map[string]string
		MissingColumns                    []json.RawMessage
	}
	if exit != 0 || json.Unmarshal([]byte(out), &imported) != nil {
		t.Fatalf("contacts import %s: exit %d, %s %s", contacts, exit, out, errOut)
	}
	if imported.Rows != len(contactCells) || imported.Invalid != 0 || imported.OptedOut != 1 || imported.Imported != len(contactCells)-1 {
		t.Errorf("contacts import %s: %+v; want %d rows, 1 opted out, the rest imported", contacts, imported, len(contactCells))
	}
	// Every contact field of examples/campaign.yaml has its column, so the
	// scripts' merge fields are filled, not fallen back on.
	if len(imported.MissingColumns) != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("contacts import %s: missing columns %s, stderr %q", contacts, imported.MissingColumns, errOut)
	}
	for _, f := range imported.Fields {
		if imported.Columns[f] == "" {
			t.Errorf("contacts import %s: no column for contact field %q (columns %v)", contacts, f, imported.Columns)
		}
	}
	for _, f := range []string{"first_name", "last_name", "cell", "zip", "external_id"} {
		if imported.Columns[f] == "" {
			t.Errorf("contacts import %s: no column read as %s (columns %v)", contacts, f, imported.Columns)
		}
	}
}

// TestExamplePreflight walks docs/OPERATIONS.md section 5 on
// examples/preflight.yaml: the campaign is created, takes a number and a
// one-row contact list with the tester's phone, is archived, and the
// organization's real campaign (examples/campaign.yaml) then takes the
// number over with numbers add.
func TestExamplePreflight(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": t.TempDir()}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	code, out, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/preflight.yaml", "--json")
	var created struct{ JoinCode string }
	if code != 0 || json.Unmarshal([]byte(out), &created) != nil {
		t.Fatalf("campaign create preflight.yaml: %d %s %s", code, out, errOut)
	}
	steps := [][]string{
		{"numbers", "add", "--campaign", created.JoinCode, "+12025550180"},
		{"contacts", "import", "--campaign", created.JoinCode, "--action-title", "Pre-flight",
			writeFile(t, t.TempDir(), "me.csv", "first_name,last_name,cell\nOrla,Organizer,+1 202 555 0199\n")},
		{"campaign", "archive", created.JoinCode, "--yes"},
		{"campaign", "create", "../../../examples/campaign.yaml", "--json"},
	}
	for _, s := range steps {
		code, out, errOut = runCLI(t, env, "", s...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, %s %s", s, code, out, errOut)
		}
	}
	if json.Unmarshal([]byte(out), &created) != nil {
		t.Fatalf("campaign create campaign.yaml: %s", out)
	}
	code, out, errOut = runCLI(t, env, "", "numbers", "add", "--campaign", created.JoinCode, "+12025550180")
	if code != 0 || !strings.Contains(out, `taken over from archived campaign`) {
		t.Fatalf("numbers add to the real campaign: exit %d, %s %s; want the number taken over", code, out, errOut)
	}
}
