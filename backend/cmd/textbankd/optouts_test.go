package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// optOutEnv is an organizer's data directory with the example campaign
// (organization "Springfield Votes"), on PostgreSQL when a test cluster is
// there (make test-postgres), else SQLite.
func optOutEnv(t *testing.T) map[string]string {
	t.Helper()
	if !pgtest.Available() {
		env, _, _ := organizerWithCampaign(t)
		return env
	}
	env := map[string]string{"TEXTBANK_DATA": t.TempDir(), "TEXTBANK_DB": pgtest.URL(t)}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml"); code != 0 {
		t.Fatalf("campaign create: %s %s", out, errOut)
	}
	return env
}

// exportedOptOuts is the organization's opt-out list as export opt-outs
// writes it: "phone reason" per row.
func exportedOptOuts(t *testing.T, env map[string]string) []string {
	t.Helper()
	code, out, errOut := runCLI(t, env, "", "export", "opt-outs", "--org", "Springfield Votes")
	if code != 0 {
		t.Fatalf("export opt-outs: %d %s %s", code, out, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[1]+" "+r[2])
	}
	return got
}

// TestOptOutsImport: another tool's list (its own column names, numbers in
// any format) opts each number out of the organization with a reason
// naming the file; importing it again, or a list repeating a number,
// skips and counts them.
func TestOptOutsImport(t *testing.T) {
	env := optOutEnv(t)
	dir := env["TEXTBANK_DATA"]
	list := writeFile(t, dir, "spoke-optouts.csv", "Phone Number,Opted Out At,Campaign\n(212) 555-0101,2026-01-02,Old\n+1 212 555 0102,2026-01-03,Old\n212.555.0101,2026-01-04,Older\n")
	code, out, errOut := runCLI(t, env, "", "optouts", "import", list, "--org", "springfield votes")
	for _, want := range []string{`Opted out 2 numbers of "Springfield Votes" (reason "imported from spoke-optouts.csv").`,
		"rows in file:             3 (UTF-8)", `numbers read from:        column "Phone Number"`, "repeated in the file:     1 skipped",
		"already opted out:        0 skipped", "repeated line 4: the same number as line 2", "textbankd export opt-outs --org \"Springfield Votes\"",
		`opted out at:             column "Opted Out At"; every time in it read`} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("import: %d, want %q in\n%s%s", code, want, out, errOut)
		}
	}
	want := "[+12125550101 imported from spoke-optouts.csv +12125550102 imported from spoke-optouts.csv]"
	if got := exportedOptOuts(t, env); strings.Join(got, " ") != strings.Trim(want, "[]") {
		t.Fatalf("opt-outs %q, want %s", got, want)
	}
	// Each keeps the time the other tool recorded: the first row of a
	// number repeated.
	_, out, _ = runCLI(t, env, "", "export", "opt-outs", "--org", "Springfield Votes")
	if !strings.Contains(out, ",2026-01-02T00:00:00") || !strings.Contains(out, ",2026-01-03T00:00:00") || strings.Contains(out, "2026-01-04") {
		t.Fatalf("export opt-outs kept not the list's times:\n%s", out)
	}

	more := writeFile(t, dir, "more.csv", "cell\n2125550102\n2125550103\n")
	code, out, errOut = runCLI(t, env, "", "opt-outs", "import", more, "--org", "Springfield Votes", "--json")
	var res struct {
		Added, AlreadyOptedOut, Duplicates, Invalid, Rows int
		Reason                                            string
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Added != 1 || res.AlreadyOptedOut != 1 ||
		res.Duplicates != 0 || res.Rows != 2 || res.Reason != "imported from more.csv" {
		t.Fatalf("import --json: %d %s %s", code, out, errOut)
	}
	if got := exportedOptOuts(t, env); len(got) != 3 || got[2] != "+12125550103 imported from more.csv" {
		t.Fatalf("opt-outs %q", got)
	}

	// A number whose time cell is empty is opted out as of now, and the
	// summary says so: "every time in it read" said every number kept its
	// date.
	undated := writeFile(t, dir, "undated.csv", "Phone,Opted Out At\n2125550106,2026-01-05\n2125550107,\n2125550108,\n")
	if code, out, errOut := runCLI(t, env, "", "opt-outs", "import", undated, "--org", "Springfield Votes"); code != 0 ||
		!strings.Contains(out, `opted out at:             column "Opted Out At"; 2 empty, opted out as of now`) {
		t.Fatalf("import with empty times: %d %s %s", code, out, errOut)
	}

	// The same list again opts out nothing new, and says so: it read
	// "Opted out 0 numbers" and "every time in it read".
	code, out, errOut = runCLI(t, env, "", "opt-outs", "import", undated, "--org", "Springfield Votes")
	if code != 0 || !strings.Contains(out, `Nothing new opted out of "Springfield Votes": all 3 numbers read were already opted out, and keep their times.`) ||
		!strings.Contains(out, "already opted out:        3 skipped") || !strings.Contains(out, "opted out at:             no number opted out now") ||
		strings.Contains(out, "Opted out 0") || strings.Contains(out, "every time in it read") {
		t.Fatalf("import again: %d %s %s", code, out, errOut)
	}

	// Only the number's column is read: a NUL or an overlong note beside a
	// number does not leave it out.
	notes := writeFile(t, dir, "notes.csv", "cell,notes\n2125550104,a\x00b\n2125550105,"+strings.Repeat("x", 600)+"\n")
	if code, out, errOut := runCLI(t, env, "", "opt-outs", "import", notes, "--org", "Springfield Votes"); code != 0 ||
		!strings.Contains(out, "Opted out 2 numbers") || !strings.Contains(out, "invalid:                  0 skipped") {
		t.Fatalf("import with bad notes: %d %s %s", code, out, errOut)
	}
}

// TestOptOutsImportRefusals: a file with bad rows names each line and
// stores nothing (unless --skip-invalid); an unknown organization, a
// missing --org, a missing file and a file without a phone column are
// refused with what was wrong.
func TestOptOutsImportRefusals(t *testing.T) {
	env := optOutEnv(t)
	dir := env["TEXTBANK_DATA"]
	nul := writeFile(t, dir, "nul.csv", "phone,notes\n2125550101,\n21255\x0050102,\n")
	if code, out, errOut := runCLI(t, env, "", "opt-outs", "import", nul, "--org", "Springfield Votes"); code != 1 ||
		!strings.Contains(errOut, `line 3, column "phone": contains a NUL character`) {
		t.Fatalf("a NUL in the number: %d %s %s", code, out, errOut)
	}
	bad := writeFile(t, dir, "bad.csv", "phone\n2125550101\nnot a phone\n\n2.12555E+09\n2125550102\n")
	code, out, errOut := runCLI(t, env, "", "opt-outs", "import", bad, "--org", "Springfield Votes")
	if code != 1 || !strings.Contains(errOut, "2 rows are not valid; nothing was imported") ||
		!strings.Contains(errOut, `line 3, column "phone": `) || !strings.Contains(errOut, `line 5, column "phone": "2.12555E+09" is a number a spreadsheet shortened`) {
		t.Fatalf("bad file: %d %s %s", code, out, errOut)
	}
	if got := exportedOptOuts(t, env); len(got) != 0 {
		t.Fatalf("a refused file stored %q", got)
	}
	code, out, _ = runCLI(t, env, "", "opt-outs", "import", bad, "--org", "Springfield Votes", "--json")
	var refused struct {
		Problems []struct{ Line int }
	}
	if code != 1 || json.Unmarshal([]byte(out), &refused) != nil || len(refused.Problems) != 2 || refused.Problems[1].Line != 5 {
		t.Fatalf("bad file --json: %d %s", code, out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{bad, "--org", "Shelbyville Votes"}, `textbankd opt-outs import: no organization is named "Shelbyville Votes" (campaign list shows each campaign's organization)`},
		{[]string{bad}, "textbankd opt-outs import: name the organization with --org"},
		{[]string{dir + "/missing.csv", "--org", "Springfield Votes"}, "textbankd opt-outs import: open " + dir + "/missing.csv: no such file or directory"},
		{[]string{writeFile(t, dir, "emails.csv", "email\na@b.c\n"), "--org", "Springfield Votes"}, `textbankd opt-outs import: line 1: no cell phone column: the header has "email"`},
		{[]string{bad, "--org", "Springfield Votes", "--region", "XX"}, `textbankd opt-outs import: --region "XX" is not a country code`},
	} {
		code, out, errOut := runCLI(t, env, "", append([]string{"opt-outs", "import"}, tc.args...)...)
		if code != 1 || !strings.HasPrefix(errOut, tc.want) {
			t.Errorf("%v: %d %s%s, want %q", tc.args, code, out, errOut, tc.want)
		}
	}
	if got := exportedOptOuts(t, env); len(got) != 0 {
		t.Fatalf("refused imports stored %q", got)
	}

	code, out, errOut = runCLI(t, env, "", "opt-outs", "import", bad, "--org", "Springfield Votes", "--skip-invalid")
	if code != 0 || !strings.Contains(out, "Opted out 2 numbers") || !strings.Contains(out, "invalid:                  2 skipped") ||
		!strings.Contains(out, `skipped line 3, column "phone"`) {
		t.Fatalf("--skip-invalid: %d %s %s", code, out, errOut)
	}
	if got := exportedOptOuts(t, env); len(got) != 2 {
		t.Fatalf("--skip-invalid stored %q", got)
	}
}

// TestExportOptOutLifts: the command lists an organization's lifted
// opt-outs (none yet: the header alone), to a file too, and names an
// unknown organization.
func TestExportOptOutLifts(t *testing.T) {
	env := optOutEnv(t)
	code, out, errOut := runCLI(t, env, "", "export", "opt-out-lifts", "--org", "Springfield Votes")
	if code != 0 || strings.TrimSpace(out) != "organization,phone,reason,opted_out_at,renewed_at,start_text,start_at,lifted_at,lifted_by_name,lifted_by_email,imported_from" {
		t.Fatalf("export opt-out-lifts: %d %q %s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "lifts.csv")
	if code, out, errOut := runCLI(t, env, "", "export", "opt-out-lifts", "--org", "Springfield Votes", "--out", file); code != 0 ||
		!strings.Contains(out, "Wrote 0 lifted opt-outs to "+file) {
		t.Fatalf("export opt-out-lifts --out: %d %q %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "export", "opt-out-lifts", "--org", "Nobody Votes"); code != 1 || !strings.Contains(errOut, `"Nobody Votes"`) {
		t.Fatalf("unknown organization: %d %s", code, errOut)
	}
	// export opt-outs says a lifted number is not in it, and where it is.
	if code, out, errOut := runCLI(t, env, "", "export", "--help"); code != 0 ||
		!strings.Contains(out, "opted back in is not listed: export opt-out-lifts lists those") {
		t.Fatalf("export --help: %d %q %s", code, out, errOut)
	}
}

// TestOptOutsImportNamesTheFirstProblems: as for contacts, a file bad
// throughout names its first 20 bad rows, refused or with --skip-invalid.
func TestOptOutsImportNamesTheFirstProblems(t *testing.T) {
	env := optOutEnv(t)
	file := writeFile(t, env["TEXTBANK_DATA"], "bad.csv", "phone\n2125550101\n"+strings.Repeat("555\n", 25))
	code, out, errOut := runCLI(t, env, "", "opt-outs", "import", file, "--org", "Springfield Votes")
	if code != 1 || strings.Count(errOut, "\n  line ") != 20 || !strings.HasSuffix(errOut, "\n  and 5 more rows (--json lists every one)\n") {
		t.Fatalf("refused: %d %s\nstderr:\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "opt-outs", "import", file, "--org", "Springfield Votes", "--skip-invalid")
	if code != 0 || strings.Count(out, "  skipped line ") != 20 || !strings.Contains(out, "  and 5 more skipped (--json lists every one)\n") {
		t.Fatalf("--skip-invalid: %d\n%s%s", code, out, errOut)
	}
}

// TestOptOutsImportTimesWords: "every time in it read" only when every
// number has its list's time; times not read and empty cells are each
// counted, opted out as of now.
func TestOptOutsImportTimesWords(t *testing.T) {
	for _, tc := range []struct {
		res  server.OptOutImportResult
		want string
	}{
		{server.OptOutImportResult{Added: 1}, "now (the file has no time column)"},
		{server.OptOutImportResult{Added: 1, TimesFrom: "date"}, `column "date"; every time in it read`},
		{server.OptOutImportResult{Added: 2, TimesFrom: "date", BadTimes: 2}, `column "date"; 2 not read, opted out as of now`},
		{server.OptOutImportResult{Added: 3, TimesFrom: "date", NoTimes: 3}, `column "date"; 3 empty, opted out as of now`},
		{server.OptOutImportResult{Added: 5, TimesFrom: "date", BadTimes: 1, NoTimes: 4}, `column "date"; 1 not read and 4 empty, opted out as of now`},
		// Nothing new: no time was read for anything.
		{server.OptOutImportResult{TimesFrom: "date", AlreadyOptedOut: 3}, "no number opted out now"},
		{server.OptOutImportResult{AlreadyOptedOut: 3}, "no number opted out now"},
	} {
		if got := timesWords(tc.res); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.res, got, tc.want)
		}
	}
}
