package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestAdminReadsUseIndexes: the Admin section (every 30 s in each admin's
// app) reads the last replies of reported threads by messages_thread_initial
// and a campaign's open and handled unroutable texts each by the index of
// their kind, also among thousands of other rows: never a scan.
func TestAdminReadsUseIndexes(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // organization o, campaign c, user u
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Written in a transaction rolled back at the end: the messages' threads
	// are not there (what the cleanup's check of dangling rows would find).
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, q := range []string{
		`INSERT INTO messages (id, thread_id, direction, body, status, initial, created_at)
			SELECT 'x' || g, 't' || (g % 2000), CASE WHEN g % 3 = 0 THEN 'out' ELSE 'in' END, 'text ' || g, 'received',
				0, '2026-11-01T00:00:00.' || lpad(g::text, 6, '0') || 'Z' FROM generate_series(1, 20000) g`,
		// Thousands kept with no campaign, half handled; the campaign's few.
		`INSERT INTO unroutable_messages (id, from_phone, to_phone, body, received_at, handled_by, handled_at)
			SELECT 'o' || g, '+1303' || (2000000 + g), '+12025550100', 'old', '2026-11-01T00:00:00.000000Z',
				CASE WHEN g % 2 = 0 THEN 'u' END, CASE WHEN g % 2 = 0 THEN '2026-11-02T00:00:00.000000Z' END
			FROM generate_series(1, 5000) g`,
		`INSERT INTO unroutable_messages (id, from_phone, to_phone, body, received_at, campaign_id, handled_by, handled_at)
			SELECT 'n' || g, '+1404' || (2000000 + g), '+12025550100', 'new', '2026-11-03T00:00:00.000000Z', 'c',
				CASE WHEN g % 2 = 0 THEN 'u' END, CASE WHEN g % 2 = 0 THEN '2026-11-04T00:00:00.000000Z' END
			FROM generate_series(1, 10) g`,
		`ANALYZE messages`, `ANALYZE unroutable_messages`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, tt := range []struct{ name, sql, args, index string }{
		{"last_replies", postgres.LastInboundByThreadsSQL, `ARRAY['t1', 't2', 't3']`, "messages_thread_initial"},
		{"open_unroutable", postgres.OpenUnroutableSQL, `'c', 200`, "unroutable_open"},
		{"handled_count", postgres.CountHandledSQL, `'c'`, "unroutable_handled"},
	} {
		for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
			name := tt.name + "_" + mode
			for _, q := range []string{`SET LOCAL plan_cache_mode = ` + mode, `PREPARE ` + name + ` AS ` + tt.sql} {
				if _, err := tx.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			p := strings.Join(planOf(t, tx, `EXPLAIN (COSTS OFF) EXECUTE `+name+`(`+tt.args+`)`), "\n")
			if !strings.Contains(p, tt.index) || strings.Contains(p, "Seq Scan") {
				t.Errorf("%s: does not read %s:\n%s", name, tt.index, p)
			}
		}
	}
}
