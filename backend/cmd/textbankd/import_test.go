package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/contactcsv"
)

// TestImportSummaryListsEveryScript: a script that drew no contact is
// listed with 0, in text and --json, so the A/B split reads right.
func TestImportSummaryListsEveryScript(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	one := writeFile(t, env["TEXTBANK_DATA"], "one.csv", contactcsv.Synthetic(1))
	code, out, errOut := runCLI(t, env, "", "contacts", "import", one, "--action", actionID)
	if code != 0 || strings.Count(out, "initial script ") != 2 || !strings.Contains(out, "0 contacts\n") || !strings.Contains(out, "1 contact\n") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	// Again: every number is already loaded, and both scripts show 0.
	code, out, _ = runCLI(t, env, "", "contacts", "import", one, "--action", actionID, "--json")
	var res struct{ PerScript map[string]int }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.PerScript) != 2 || res.PerScript["0"]+res.PerScript["1"] != 0 {
		t.Fatalf("import --json: %d %s", code, out)
	}
}

// contactCount is how many contacts the action holds.
func contactCount(t *testing.T, env map[string]string, actionID string) int {
	t.Helper()
	code, out, _ := runCLI(t, env, "", "stats", "--action", actionID, "--json")
	var stats struct{ Total struct{ Contacts int } }
	if code != 0 || json.Unmarshal([]byte(out), &stats) != nil {
		t.Fatalf("stats: %d %s", code, out)
	}
	return stats.Total.Contacts
}

// TestImportChecksContactFields: a file without a column for one of the
// action's contact_fields is imported with a warning naming the field and
// the scripts that use it (all with a fallback), in text and --json; if a
// script uses the field without a fallback the file is refused, naming the
// script, and nothing is stored: no text ever goes out with a blank.
func TestImportChecksContactFields(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	noPrecinct := writeFile(t, dir, "no-precinct.csv", "FirstName,LastName,CellPhone,Polling Place\nAna,Bell,+12125550101,Library\n")
	code, out, errOut := runCLI(t, env, "", "contacts", "import", noPrecinct, "--action", actionID)
	want := `textbankd contacts import: warning: the file has no column for {precinct}, a contact field of the action; these contacts get its fallback where it is used (response script "polling_place")`
	if code != 0 || !strings.Contains(out, "Imported 1 contact") || !strings.Contains(errOut, want) || strings.Contains(errOut, "{polling_place}") {
		t.Fatalf("import: %d\n%s\nstderr:\n%s\nwant %q", code, out, errOut, want)
	}

	// A declared field no script uses yet is named too.
	withWard := exampleVariant(t, dir, "ward.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"contact_fields: [precinct, polling_place]", "contact_fields: [precinct, polling_place, ward]")
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", withWard); code != 0 {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	other := writeFile(t, dir, "other.csv", "FirstName,LastName,CellPhone,Polling Place\nBo,Cole,+12125550102,Library\n")
	code, out, _ = runCLI(t, env, "", "contacts", "import", other, "--action", actionID, "--json")
	var res struct {
		Imported       int
		MissingColumns []struct {
			Field   string
			Scripts []string
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Imported != 1 || len(res.MissingColumns) != 2 ||
		res.MissingColumns[0].Field != "precinct" || strings.Join(res.MissingColumns[0].Scripts, ";") != `response script "polling_place"` ||
		res.MissingColumns[1].Field != "ward" || len(res.MissingColumns[1].Scripts) != 0 {
		t.Fatalf("import --json: %d %s", code, out)
	}
	if _, _, errOut := runCLI(t, env, "", "contacts", "import", other, "--action", actionID); !strings.Contains(errOut, "{ward}, a contact field of the action; no script uses it yet") {
		t.Fatalf("import without ward: %s", errOut)
	}

	// Initial script 1 now needs {precinct}: while no loaded contact has a
	// precinct, the update itself is refused; once one has, a file without
	// the column is refused.
	needy := exampleVariant(t, dir, "needy.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"Hi {first_name|there}, it's", "Hi {first_name|there} of precinct {precinct}, it's")
	if code, _, errOut := runCLI(t, env, "", "campaign", "update", needy); code != 1 || !strings.Contains(errOut, "none of the action's 2 contacts has a precinct value") {
		t.Fatalf("update with no precinct loaded: %d %s", code, errOut)
	}
	withPrecinct := writeFile(t, dir, "precinct.csv", "FirstName,LastName,CellPhone,Polling Place,Precinct\nDee,Eck,+12125550104,Library,12\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", withPrecinct, "--action", actionID); code != 0 {
		t.Fatalf("import with precinct: %s", errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", needy); code != 0 {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	before := contactCount(t, env, actionID)
	third := writeFile(t, dir, "third.csv", "FirstName,LastName,CellPhone,Polling Place\nCy,Dunn,+12125550103,Library\n")
	code, out, errOut = runCLI(t, env, "", "contacts", "import", third, "--action", actionID)
	want = "the action's scripts use {precinct} (initial script 1) without a fallback, but the file has no such column (its custom columns: polling_place); nothing was imported"
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("import without a needed column: %d %s\nstderr:\n%s\nwant %q", code, out, errOut, want)
	}
	code, out, _ = runCLI(t, env, "", "contacts", "import", third, "--action", actionID, "--json")
	var failure struct{ Error string }
	if code != 1 || json.Unmarshal([]byte(out), &failure) != nil || !strings.Contains(failure.Error, "{precinct} (initial script 1)") {
		t.Fatalf("import --json without a needed column: %d %s", code, out)
	}
	if after := contactCount(t, env, actionID); after != before {
		t.Fatalf("a refused import stored contacts: %d, was %d", after, before)
	}
}

// TestImportRefusalCountsRows: the refusal's first line counts the bad
// rows in words that fit one and many.
func TestImportRefusalCountsRows(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	for _, tc := range []struct{ csv, want string }{
		{"first,last,cell\nA,B,12\nC,D,2175550401\n", "textbankd contacts import: 1 row is not valid; nothing was imported (fix it, or pass --skip-invalid"},
		{"first,last,cell\nA,B,12\nC,D,13\n", "textbankd contacts import: 2 rows are not valid; nothing was imported (fix them, or pass --skip-invalid"},
	} {
		code, _, errOut := runCLI(t, env, "", "contacts", "import", writeFile(t, dir, "bad.csv", tc.csv), "--action", actionID)
		if code != 1 || !strings.HasPrefix(errOut, tc.want) {
			t.Fatalf("exit %d, stderr %q, want prefix %q", code, errOut, tc.want)
		}
	}
}

// TestImportNamesRepeatedRows: the rows left out for a number an earlier
// row has are named with the row kept, the first ten in the text and every
// one in --json.
func TestImportNamesRepeatedRows(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	src := "first_name,last_name,cell\nAda,L,2175550100\n"
	for i := range 12 {
		src += fmt.Sprintf("Ada,Copy%d,(217) 555-0100\n", i)
	}
	file := writeFile(t, env["TEXTBANK_DATA"], "rep.csv", src)
	code, out, errOut := runCLI(t, env, "", "contacts", "import", file, "--action", actionID)
	if code != 0 || !strings.Contains(out, "repeated in the file:     12 skipped\n") ||
		!strings.Contains(out, "  repeated line 3: the same number as line 2\n") ||
		!strings.Contains(out, "  repeated line 12: the same number as line 2\n") || strings.Contains(out, "line 13:") ||
		!strings.Contains(out, "  and 2 more repeated (--json lists every one)\n") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "contacts", "import", file, "--action", actionID, "--json")
	var res struct{ Repeated []string }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Repeated) != 12 || res.Repeated[11] != "line 14: the same number as line 2" {
		t.Fatalf("import --json: %d %s", code, out)
	}
}

// withoutZip is contactcsv.Synthetic(n) without its Zip5 column.
func withoutZip(n int) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(contactcsv.Synthetic(n), "\n") {
		if cells := strings.SplitN(line, ",", 6); len(cells) == 6 {
			line = strings.Join(append(cells[:4:4], cells[5]), ",")
		}
		b.WriteString(line)
	}
	return b.String()
}

// TestImportMissingStandardColumnOnce: a file without a zip column for a
// script using {zip} with no fallback (or without a first name column for
// {first_name}) is refused in one sentence naming the field, the scripts
// and the headers the column goes by, as a missing custom column is, not
// with an "empty" line for each of its rows; --skip-invalid does not
// import it either, and nothing is stored.
func TestImportMissingStandardColumnOnce(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	needy := exampleVariant(t, dir, "zip.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"Will you vote on Tuesday?", "Will you vote in {zip} on Tuesday?",
		"Thanks so much, {first_name|friend}!", "Thanks so much, {first_name}!")
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", needy); code != 0 {
		t.Fatalf("update: %d %s %s", code, out, errOut)
	}
	noZip := writeFile(t, dir, "no-zip.csv", withoutZip(2000))
	want := "textbankd contacts import: the action's scripts use {zip} (initial script 1) without a fallback, but the file has no such column " +
		"({zip} is read from a column headed Zip, Zip5, Zip Code or Postal Code; its custom columns: precinct, polling_place); nothing was imported: " +
		"add the column, or give the field a fallback ({field|...}) with campaign update\n"
	for _, skip := range []bool{false, true} {
		args := []string{"contacts", "import", noZip, "--action", actionID}
		if skip {
			args = append(args, "--skip-invalid")
		}
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 1 || errOut != want {
			t.Fatalf("--skip-invalid %v: exit %d, %d lines on stderr:\n%.2000s\n%s\nwant:\n%s", skip, code, strings.Count(errOut, "\n"), errOut, out, want)
		}
	}
	surnames := writeFile(t, dir, "surnames.csv", "Surname,Cell\nBell,+12125550101\nCole,+12125550102\n")
	code, _, errOut := runCLI(t, env, "", "contacts", "import", surnames, "--action", actionID)
	want = "the action's scripts use {zip} (initial script 1), {first_name} (response script \"thanks\") without a fallback, but the file has no such column " +
		"({zip} is read from a column headed Zip, Zip5, Zip Code or Postal Code; {first_name} is read from a column headed First Name, FirstName or First; its custom columns: none)"
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("a file of surnames: exit %d, stderr:\n%s\nwant %q", code, errOut, want)
	}
	if n := contactCount(t, env, actionID); n != 0 {
		t.Fatalf("refused files stored %d contacts", n)
	}
	// With the column, the same contacts go in.
	if code, out, errOut := runCLI(t, env, "", "contacts", "import", writeFile(t, dir, "zip.csv", contactcsv.Synthetic(2000)), "--action", actionID); code != 0 ||
		!strings.Contains(out, "Imported 2000 contacts") {
		t.Fatalf("import with zips: %d %s %s", code, out, errOut)
	}
}

// TestImportNamesTheFirstProblems: a file bad throughout names its first
// 20 bad rows and counts the rest, refused or with --skip-invalid, where
// --json lists every one.
func TestImportNamesTheFirstProblems(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	src := "first,last,cell\nAda,Good,2125550100\n"
	for i := range 30 {
		src += fmt.Sprintf("Bad,Number%d,555\n", i)
	}
	file := writeFile(t, env["TEXTBANK_DATA"], "bad.csv", src)
	code, out, errOut := runCLI(t, env, "", "contacts", "import", file, "--action", actionID)
	if code != 1 || !strings.HasPrefix(errOut, "textbankd contacts import: 30 rows are not valid; nothing was imported") ||
		strings.Count(errOut, "\n  line ") != 20 || !strings.Contains(errOut, `  line 22, column "cell": "555" is not a valid phone number`) ||
		strings.Contains(errOut, "line 23") || !strings.HasSuffix(errOut, "\n  and 10 more rows (--json lists every one)\n") {
		t.Fatalf("refused: %d %s\nstderr:\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "contacts", "import", file, "--action", actionID, "--json")
	var refused struct{ Problems []struct{ Line int } }
	if code != 1 || json.Unmarshal([]byte(out), &refused) != nil || len(refused.Problems) != 30 || refused.Problems[29].Line != 32 {
		t.Fatalf("refused --json: %d %s", code, out)
	}
	if n := contactCount(t, env, actionID); n != 0 {
		t.Fatalf("a refused file stored %d contacts", n)
	}
	code, out, errOut = runCLI(t, env, "", "contacts", "import", file, "--action", actionID, "--skip-invalid")
	if code != 0 || !strings.Contains(out, "Imported 1 contact") || strings.Count(out, "  skipped line ") != 20 ||
		strings.Contains(out, "line 23") || !strings.Contains(out, "  and 10 more skipped (--json lists every one)\n") {
		t.Fatalf("--skip-invalid: %d\n%s%s", code, out, errOut)
	}
}

// TestImportWritesNamesInCapitalsAsNames: a voter file in capitals is
// loaded with its names written as names, and the summary says so with an
// example and the flag that keeps them; --keep-name-case keeps them.
func TestImportWritesNamesInCapitalsAsNames(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	file := writeFile(t, env["TEXTBANK_DATA"], "voters.csv", "VANID,FirstName,LastName,CellPhone,Zip,Precinct,Polling Place\n"+
		"1,IDA,WELLS,+1 202 555 0101,62701,12,LINCOLN SCHOOL\n2,Bea,McKay,+1 202 555 0102,62701,12,x\n")
	code, out, errOut := runCLI(t, env, "", "contacts", "import", file, "--action", actionID)
	want := "  names in one case:        1 written as names (line 2: IDA WELLS is Ida Wells; --keep-name-case keeps the file's)\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("import: %d, want %q in\n%s%s", code, want, out, errOut)
	}
	other := writeFile(t, env["TEXTBANK_DATA"], "more.csv", "VANID,FirstName,LastName,CellPhone,Zip,Precinct,Polling Place\n"+
		"3,JO,ANN,+1 202 555 0103,62701,12,x\n")
	code, out, errOut = runCLI(t, env, "", "contacts", "import", other, "--action", actionID, "--keep-name-case", "--json")
	var res struct{ NamesRecased, Imported int }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.NamesRecased != 0 || res.Imported != 1 {
		t.Fatalf("import --keep-name-case: %d %s %s", code, out, errOut)
	}
}

// TestImportNamesColumnsNotShown: a column no script uses and shown_fields
// does not name is said to stay from volunteers, in text and --json.
func TestImportNamesColumnsNotShown(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	dob := writeFile(t, env["TEXTBANK_DATA"], "dob.csv", "FirstName,LastName,CellPhone,Precinct,Polling Place,DOB\nAna,Bell,+12125550101,12,Library,1990-01-01\n")
	code, out, errOut := runCLI(t, env, "", "contacts", "import", dob, "--action", actionID)
	if want := "  not shown to volunteers:  dob (kept for the exports"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("import: %d\n%s%s\nwant %q", code, out, errOut, want)
	}
	code, out, _ = runCLI(t, env, "", "contacts", "import", dob, "--action", actionID, "--json")
	var res struct{ NotShown []string }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || strings.Join(res.NotShown, ",") != "dob" {
		t.Fatalf("import --json: %d %s", code, out)
	}
}
