package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/testlog"
)

// TestLoadtestShortRun runs the load driver for two seconds against its
// own server: every accepted text must be sent exactly once and every
// reply stored once, and the summary line comes last in the form.
func TestLoadtestShortRun(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--volunteers", "6", "--duration", "2s", "--inbound-rate", "40"},
		// TEXTBANK_DB and TEXTBANK_DATA, as an organizer exports them, name
		// the campaign's database: the run keeps out of it.
		&out, &errOut, envOf(map[string]string{"TEXTBANK_DURATION": "1h",
			"TEXTBANK_DB": "postgres://textbank@127.0.0.1:1/textbank", "TEXTBANK_DATA": "/var/lib/textbank"}))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	re := regexp.MustCompile(`^loadtest: engine=sqlite volunteers=6 sends=(\d+) sends_per_s=\d+ baseline_per_s=\d+ inbound=(\d+) lost=0 duplicated=0$`)
	m := re.FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line %q does not match %s\n%s", last, re, out.String())
	}
	if m[1] == "0" || m[2] == "0" {
		t.Fatalf("nothing was sent or received: %s", last)
	}
	if !strings.Contains(out.String(), "simulated network's journal") {
		t.Errorf("report does not say the network's journal was checked:\n%s", out.String())
	}
}

// TestLoadtestSaysThePoolRanDry: volunteers who run out of contacts stop
// early and the rate is capped by the pool, not the server; the report
// says so (a 10 s bench with 20,000 contacts once read 2,000 sends/s).
func TestLoadtestSaysThePoolRanDry(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--volunteers", "3", "--duration", "3s", "--inbound-rate", "0", "--contacts", "30"},
		&out, &errOut, envOf(nil))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "3 volunteers ran out of contacts before the end") {
		t.Fatalf("the report does not say the pool ran dry:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "sends=30 ") {
		t.Errorf("want all 30 contacts texted:\n%s", out.String())
	}
}

func TestLoadtestJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--json", "--volunteers", "2", "--duration", "500ms", "--inbound-rate", "0"},
		&out, &errOut, envOf(nil))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Engine  string `json:"engine"`
		Lost    int    `json:"lost"`
		Summary string `json:"summary"`
		Sends   struct {
			Count int `json:"count"`
		} `json:"sends"`
		Inbound struct {
			Count int `json:"count"`
		} `json:"inbound"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if rep.Engine != "sqlite" || rep.Sends.Count == 0 || rep.Inbound.Count != 0 || !strings.HasPrefix(rep.Summary, "loadtest: ") {
		t.Fatalf("report = %+v", rep)
	}
}

func TestLoadtestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no volunteers", []string{"--volunteers", "0"}, nil, "--volunteers must be 1 to 5000"},
		{"negative rate from env", nil, map[string]string{"TEXTBANK_INBOUND_RATE": "-5"}, "--inbound-rate must be 0 to 100000"},
		{"tiny duration", []string{"--duration", "1ms"}, nil, "--duration must be 100ms to 24h"},
		{"bad duration", []string{"--duration", "soon"}, nil, "soon"},
		{"negative contacts", []string{"--contacts", "-1"}, nil, "--contacts must be 0"},
		{"too many contacts from env", nil, map[string]string{"TEXTBANK_CONTACTS": "9000000"}, "--contacts must be 0"},
		{"remote target", []string{"--target", "http://203.0.113.5:8787", "--inbound-rate", "0"}, nil, "this machine only"},
		{"target not a URL", []string{"--target", "127.0.0.1:8787", "--inbound-rate", "0"}, nil, "want a URL"},
		{"target without data", []string{"--target", "http://127.0.0.1:1", "--inbound-rate", "0", "--data", ""}, nil, "--target needs --data"},
		// A target gets no inbound: by default, and a rate given is refused.
		{"target with inbound", []string{"--target", "http://127.0.0.1:1", "--data", "/x", "--inbound-rate", "5"}, nil,
			"--inbound-rate 5 with --target: the target gets no inbound"},
		{"target with inbound from env", []string{"--target", "http://127.0.0.1:1", "--data", "/x"}, map[string]string{"TEXTBANK_INBOUND_RATE": "5"},
			"--inbound-rate 5 with --target"},
		{"target without any data", []string{"--target", "http://127.0.0.1:1"}, nil, "--target needs --data"},
		// --data names the target's directory; without --target it was ignored.
		{"data without target", []string{"--data", "/var/lib/textbank"}, nil, "--data /var/lib/textbank names the --target server's data directory, and there is no --target"},
		// TEXTBANK_DATA, which organizers export for every other command,
		// is ignored without --target: the next check speaks.
		{"data from env without target", []string{"--volunteers", "0"}, map[string]string{"TEXTBANK_DATA": "/var/lib/textbank"}, "--volunteers must be 1 to 5000"},
		{"target not answering", []string{"--target", "http://localhost:1", "--inbound-rate", "0", "--data", "/nonexistent/dir"}, nil, "--target http://localhost:1: no textbankd answers there"},
		{"target with a SQLite --db", []string{"--target", "http://localhost:1", "--inbound-rate", "0", "--data", "/x", "--db", "/var/lib/textbank/textbank.db"}, nil, "--db names the target's PostgreSQL database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"loadtest"}, tc.args...), &out, &errOut, envOf(tc.env))
			if code == 0 || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want an error naming %q", code, errOut.String(), tc.want)
			}
		})
	}
}

// TestPostgresLoadtest is the short run on PostgreSQL (--db): the same
// checks, the counts read from PostgreSQL. It runs twice on one database,
// the second time with fewer replies, as an operator runs it again on a
// target's database: each run's checks count its own texts and replies
// only (the replies' provider ids once repeated across runs, so the
// second run found the first's and counted them as doubles). The URL
// carries a pool setting, which the driver's own connections must accept.
func TestPostgresLoadtest(t *testing.T) {
	url := pgtest.URL(t)
	if strings.Contains(url, "?") {
		url += "&pool_max_conns=12"
	} else {
		url += "?pool_max_conns=12"
	}
	for i, rate := range []string{"20", "8"} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"loadtest", "--db", url, "--volunteers", "4", "--duration", "2s", "--inbound-rate", rate},
			&out, &errOut, envOf(nil))
		if code != 0 {
			t.Fatalf("run %d: exit %d\nstdout:\n%s\nstderr:\n%s", i+1, code, out.String(), errOut.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		re := regexp.MustCompile(`^loadtest: engine=postgres volunteers=4 sends=[1-9]\d* sends_per_s=\d+ baseline_per_s=\d+ inbound=[1-9]\d* lost=0 duplicated=0$`)
		if last := lines[len(lines)-1]; !re.MatchString(last) {
			t.Fatalf("run %d: last line %q does not match %s\n%s", i+1, last, re, out.String())
		}
	}
}

// TestPostgresLoadtestConnectionsCut: the database cuts every connection
// of the server's (pg_terminate_backend, as a restart or a fail-over
// does) four times while volunteers send and replies arrive; the server
// keeps running, and still every accepted text is sent exactly once and
// every reply stored once. Before the server tried its answers again and
// settled the texts a failed commit left sending, such a run left a dozen
// texts or more sending until the next start (lost, to the checks).
func TestPostgresLoadtestConnectionsCut(t *testing.T) {
	url := pgtest.URL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cuts := make(chan int, 4)
	go func() {
		defer close(cuts)
		// Once texts flow (the seeding is not the point), a cut a second.
		for n := 0; n < 50; {
			if ctx.Err() != nil {
				return
			}
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil {
				n = 0
			}
			time.Sleep(50 * time.Millisecond)
		}
		for range 4 {
			var cut int
			err := db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&cut)
			if err != nil {
				return
			}
			cuts <- cut
			time.Sleep(time.Second)
		}
	}()
	// The server logs its failed requests from many goroutines at once.
	var out bytes.Buffer
	var errOut testlog.Buffer
	code := run(context.Background(), []string{"loadtest", "--db", url, "--volunteers", "8", "--duration", "6s", "--inbound-rate", "40", "--adopt-grace", "6s"},
		&out, &errOut, envOf(nil))
	cancel()
	var made []int
	for c := range cuts {
		made = append(made, c)
	}
	if code != 0 {
		t.Fatalf("exit %d after cuts %v\nstdout:\n%s\nstderr:\n%s", code, made, out.String(), errOut.String())
	}
	if len(made) < 3 || made[0] == 0 {
		t.Fatalf("connections cut %v times, want 3 cuts or more during the run", made)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	re := regexp.MustCompile(`^loadtest: engine=postgres volunteers=8 sends=[1-9]\d* sends_per_s=\d+ baseline_per_s=\d+ inbound=[1-9]\d* lost=0 duplicated=0$`)
	if last := lines[len(lines)-1]; !re.MatchString(last) {
		t.Fatalf("after cuts %v, last line %q does not match %s\n%s", made, last, re, out.String())
	}
}
