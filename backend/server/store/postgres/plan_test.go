package postgres_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestClaimReadsByKey: the dispatcher's claim updates its 32 texts found
// by the primary key, also when the statistics have not seen the backlog
// (a table analyzed when nearly every text was sent, then 2,000 queued, as
// after a provider outage). An update planned on messages_pending read the
// whole backlog for every claim.
func TestClaimReadsByKey(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // user u, thread k
	ctx := t.Context()
	conn := rawConn(t, url,
		sentTextsSQL(4000),
		`ANALYZE messages`,
		`UPDATE messages SET status = 'queued' WHERE id IN (SELECT 'x' || g FROM generate_series(1, 2000) g)`,
	)
	plan := func(mode string) string {
		t.Helper()
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		for _, q := range []string{
			`SET LOCAL plan_cache_mode = ` + mode,
			`PREPARE claim_` + mode + ` (int, bigint, text, text, text) AS ` + postgres.ClaimQueuedSQL,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// ANALYZE runs the claim; the rollback undoes it.
		return strings.Join(planOf(t, tx, `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE claim_`+mode+`(32, 7, 'message', '2026-11-01T00:00:00.000000Z', 'plan_test')`), "\n")
	}
	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		p := plan(mode)
		if !strings.Contains(p, "rows=32") {
			t.Errorf("%s: the claim did not update its 32 texts:\n%s", mode, p)
		}
		if !strings.Contains(p, "Index Scan using messages_pkey on messages m") {
			t.Errorf("%s: the claim's update does not find its texts by the primary key:\n%s", mode, p)
		}
		// Every read of messages reads the 32 texts claimed, the oldest
		// queued by messages_pending and each by its key: none reads the
		// backlog.
		for _, line := range strings.Split(p, "\n") {
			if strings.Contains(line, " on messages") && !actual(line, 32, 1) && !actual(line, 1, 32) {
				t.Errorf("%s: a read of messages beyond the 32 texts claimed: %s\n%s", mode, strings.TrimSpace(line), p)
			}
		}
	}
}

// TestFirstTextClaimReadsByKey: a first text's claim finds its contact by
// the primary key. Its conditions also match contacts_assigned (the
// volunteer's queue), and a generic plan took that index and read the
// volunteer's whole queue for each claim, filtering it by id.
func TestFirstTextClaimReadsByKey(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st)
	a := assignContacts(t, st, 40) // k0..k39, assigned to u
	ctx := t.Context()
	// A campaign's pool: thousands of contacts, most not assigned.
	conn := rawConn(t, url,
		`INSERT INTO contacts (id, action_id, phone, state, created_at)
			SELECT 'p' || g, 'a', '+1303' || (2000000 + g), 'unassigned', '2026-11-01T00:00:00.000000Z' FROM generate_series(1, 5000) g`,
		`ANALYZE contacts`,
	)
	scripts, err := json.Marshal(a.Scripts)
	if err != nil {
		t.Fatal(err)
	}
	for i, mode := range []string{"force_generic_plan", "force_custom_plan", "force_generic_plan", "force_custom_plan"} {
		// The claim as a group holds it, then as a careful rerun or a lone
		// Update sends it.
		claimSQL, name := postgres.ClaimInitialHeldSQL, "held_"+mode
		if i >= 2 {
			claimSQL, name = postgres.ClaimInitialSQL, "answered_"+mode
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`SET LOCAL plan_cache_mode = ` + mode,
			`PREPARE claim_` + name + ` AS ` + claimSQL,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		// ANALYZE runs the claim; the rollback undoes it.
		// EXPLAIN takes no parameters: the values are written out.
		lit := func(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }
		lines := planOf(t, tx, `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE claim_`+name+`('k39', 'u', 'a', `+lit(string(scripts))+`, `+
			lit(a.TextingHours.Start)+`, `+lit(a.TextingHours.End)+`, 'o', '+12125550239', '2026-01-01T00:00:00Z', 'm-new', 'mu-new', 'c', '+12025550100')`)
		_ = tx.Rollback(ctx)
		p := strings.Join(lines, "\n")
		if !strings.Contains(p, "contacts_pkey") || strings.Contains(p, "contacts_assigned") {
			t.Errorf("%s: the claim does not find its contact by the primary key:\n%s", name, p)
		}
		claimed := false
		for _, line := range lines {
			claimed = claimed || strings.Contains(line, "contacts_pkey on contacts") && actual(line, 1, 1)
		}
		if !claimed {
			t.Errorf("%s: the claim did not claim its contact:\n%s", name, p)
		}
	}
}

// actual says whether an EXPLAIN ANALYZE line reports rows rows in loops
// loops (PostgreSQL 18 prints rows=32.00).
func actual(line string, rows, loops int) bool {
	return regexp.MustCompile(fmt.Sprintf(`rows=%d(\.0+)? loops=%d\b`, rows, loops)).MatchString(line)
}
