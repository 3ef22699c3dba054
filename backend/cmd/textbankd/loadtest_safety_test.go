package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestLoadtestRefusesATargetNotSimulated: a server without --provider sim
// (a campaign's, one typo away on 127.0.0.1) is refused before anything is
// written to its database, unless --target-is-not-production.
func TestLoadtestRefusesATargetNotSimulated(t *testing.T) {
	data := t.TempDir()
	target := serveSim(t, "--data", data, "--provider", "") // the last --provider wins: none
	args := []string{"loadtest", "--volunteers", "1", "--duration", "200ms", "--inbound-rate", "0", "--contacts", "50",
		"--target", target, "--data", data}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, envOf(nil))
	if code == 0 || !strings.Contains(errOut.String(), "--target "+target+" does not run --provider sim") ||
		!strings.Contains(errOut.String(), "--target-is-not-production") {
		t.Fatalf("exit %d, stderr %q; want a refusal naming --provider sim and --target-is-not-production", code, errOut.String())
	}
	if _, stdout, _ := runCLI(t, nil, "", "campaign", "list", "--all", "--data", data); strings.Contains(stdout, "Load test") {
		t.Fatalf("the refused run seeded a campaign:\n%s", stdout)
	}
	// With the operator's word the run goes on (its texts fail: this
	// server has no provider), and says what it left behind.
	out.Reset()
	errOut.Reset()
	run(context.Background(), append(args, "--target-is-not-production"), &out, &errOut, envOf(nil))
	if strings.Contains(errOut.String(), "does not run --provider sim") || !strings.Contains(out.String(), "stays in the target's database") {
		t.Fatalf("--target-is-not-production: stdout %q stderr %q", out.String(), errOut.String())
	}
	if _, stdout, _ := runCLI(t, nil, "", "campaign", "list", "--data", data); !strings.Contains(stdout, "Load test") {
		t.Fatalf("no campaign seeded with --target-is-not-production:\n%s", stdout)
	}
}

// TestLoadtestTargetWrongData: a simulated target with a --data that is
// not its own (no journal there) is refused before that database is
// opened: it may be another server's.
func TestLoadtestTargetWrongData(t *testing.T) {
	target := serveSim(t, "--data", t.TempDir())
	other := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--volunteers", "1", "--duration", "200ms", "--inbound-rate", "0",
		"--target", target, "--data", other}, &out, &errOut, envOf(nil))
	if code == 0 || !strings.Contains(errOut.String(), "--data "+other+" holds no "+simnet.JournalFile) {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// checkLeftFictional: after a --target run the report says the campaign
// stays in the target's database, and its sending numbers are fictional
// (NPA-555-0190..0199, numbers.go).
func checkLeftFictional(t *testing.T, stdout, data string) {
	t.Helper()
	m := regexp.MustCompile(`the run's campaign "Load test \d{6}" \(join code (\d{6}), 2000 contacts with fictional numbers\) stays in the target's database, .*campaign archive (\d{6})`).FindStringSubmatch(stdout)
	if m == nil || m[1] != m[2] {
		t.Fatalf("the report does not say what the run left in the target:\n%s", stdout)
	}
	if data == "" {
		return
	}
	_, nums, errOut := runCLI(t, nil, "", "numbers", "list", "--data", data)
	got := regexp.MustCompile(`\+1\d{10}`).FindAllString(nums, -1)
	if len(got) != 8 {
		t.Fatalf("want the run's 8 sending numbers, got %q (%s)", nums, errOut)
	}
	for _, n := range got {
		if !regexp.MustCompile(`^\+1\d{3}555019\d$`).MatchString(n) {
			t.Errorf("sending number %s is not a fictional 555-0190..0199", n)
		}
	}
}

// TestLoadtestDBFile: --db FILE runs the driver's own server on that
// SQLite file, as docs/PERFORMANCE.md says (the help once said --db was a
// PostgreSQL URL only), which keeps the run's campaign.
func TestLoadtestDBFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "load.db")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--db", db, "--volunteers", "2", "--duration", "300ms", "--inbound-rate", "5", "--contacts", "200"},
		&out, &errOut, envOf(nil))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if fi, err := os.Stat(db); err != nil || fi.Size() == 0 {
		t.Fatalf("--db %s: no database there after the run: %v", db, err)
	}
	if !strings.Contains(out.String(), "stays in "+db) || !strings.Contains(out.String(), "engine=sqlite") {
		t.Errorf("the report does not say the campaign stays in %s:\n%s", db, out.String())
	}
}

// TestLoadtestHelp: the help says what --db and --data are to the load
// driver, not what they are to the organizer commands.
func TestLoadtestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"loadtest", "--help"}, &out, &errOut, envOf(nil)); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	help := out.String()
	for _, want := range []string{"a SQLite FILE", "with --target only: the target's --data directory", "none with --target",
		"LEAVES IT THERE", "-target-is-not-production"} {
		if !strings.Contains(help, want) {
			t.Errorf("loadtest --help lacks %q:\n%s", want, help)
		}
	}
	for _, stale := range []string{"the data directory of textbankd serve", `default "textbank-data"`, "empty: SQLite in --data"} {
		if strings.Contains(help, stale) {
			t.Errorf("loadtest --help still says %q:\n%s", stale, help)
		}
	}
}
