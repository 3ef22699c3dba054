package postgres_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestOptOutsListReadsItsPage: a page of the Admin section's opt-outs, in a
// campaign of 100,000 conversations of which 5,000 are opted out, is one
// range of threads_opted_out in its order (no sort, no read of the
// campaign's other conversations) and each opt-out by its key; the count
// reads threads_opted_out alone. Analyzed, as a grown table is.
func TestOptOutsListReadsItsPage(t *testing.T) {
	url := pgtest.MigratedURL(t)
	// The rows alone, without their campaign, users and contacts: the
	// foreign keys are not checked in this session (replica).
	conn := rawConn(t, url,
		`SET session_replication_role = replica`,
		`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at,
			opted_out, opted_out_at, created_at)
			SELECT 't' || lpad(g::text, 6, '0'), 'a', 'c', 'o', 'u', '+1212' || lpad(g::text, 7, '0'), '+1', '2026-01-01T00:00:00.000000Z',
			(g % 20 = 0)::int, CASE WHEN g % 20 = 0 THEN '2026-02-01T00:00:00.' || lpad(g::text, 6, '0') || 'Z' END, '2026-01-01T00:00:00.000000Z'
			FROM generate_series(1, 100000) g`,
		`INSERT INTO opt_outs (organization_id, phone, reason, created_at, source)
			SELECT 'o', '+1212' || lpad(g::text, 7, '0'), 'keyword: STOP', '2026-02-01T00:00:00.' || lpad(g::text, 6, '0') || 'Z', 'contact'
			FROM generate_series(20, 100000, 20) g`,
		`ANALYZE threads`, `ANALYZE opt_outs`,
	)
	t.Cleanup(func() { // before the check for rows pointing at nothing
		if _, err := conn.Exec(context.Background(), `DELETE FROM threads; DELETE FROM opt_outs`); err != nil {
			t.Error(err)
		}
	})
	explain := func(sql string, args []any) string {
		t.Helper()
		q := sql // its parameters as literals, as a custom plan sees them
		for _, a := range args {
			lit := fmt.Sprint(a)
			if s, ok := a.(string); ok {
				lit = "'" + strings.ReplaceAll(s, "'", "''") + "'"
			}
			q = strings.Replace(q, "?", lit, 1)
		}
		return strings.Join(planOf(t, conn, `EXPLAIN (ANALYZE, COSTS OFF) `+q), "\n")
	}
	for name, args := range map[string][]any{
		"first page":   store.OptedOutThreadsArgs("c", store.OptedOutCursor{}, 51),
		"a later page": store.OptedOutThreadsArgs("c", store.OptedOutCursor{At: "2026-02-01T00:00:00.050000Z", ThreadID: "t050000"}, 51),
	} {
		p := explain(postgres.OptedOutThreadsSQL, args)
		if !strings.Contains(p, "threads_opted_out on threads") || strings.Contains(p, "Seq Scan") || strings.Contains(p, "Sort") {
			t.Errorf("%s: not one range of threads_opted_out in its order:\n%s", name, p)
		}
		if !strings.Contains(p, "opt_outs_pkey") {
			t.Errorf("%s: the opt-outs not read by their key:\n%s", name, p)
		}
		if m := regexp.MustCompile(`threads_opted_out on threads(?: t)? \(actual time=[^)]* rows=(\d+)`).FindStringSubmatch(p); m == nil || m[1] != "51" {
			t.Errorf("%s: read %v rows of threads_opted_out, want the page's 51:\n%s", name, m, p)
		}
	}
	if p := explain(store.CountOptedOutThreadsSQL, []any{"c"}); !strings.Contains(p, "threads_opted_out") || strings.Contains(p, "Seq Scan") {
		t.Errorf("count: not threads_opted_out alone:\n%s", p)
	}
}
