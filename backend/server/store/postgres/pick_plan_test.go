package postgres_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestHandOutStatementsUseIndexes: in a pool of 60,000 contacts, 20,000 of
// them waiting for a time and 5,000 until the action changes, the hand-out's
// pick reads its page from contacts_pick, and bringing back the due ones
// and naming the first back read contacts_waiting: none reads the pool,
// with a generic plan as with a custom one.
func TestHandOutStatementsUseIndexes(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // organization o, action a
	ctx := t.Context()
	conn := rawConn(t, url,
		`INSERT INTO contacts (id, action_id, phone, state, created_at)
			SELECT 'p' || g, 'a', '+1303' || (2000000 + g), 'unassigned', '2026-11-01T00:00:00.000000Z' FROM generate_series(1, 60000) g`,
		// Waiting until one of 50 times in the afternoon, and the action's next change.
		`UPDATE contacts SET waits_until = '2026-11-01T' || lpad((12 + (substr(id, 2)::int % 10))::text, 2, '0') || ':00:00.000000000Z'
			WHERE id LIKE 'p%' AND substr(id, 2)::int % 3 = 0`,
		`UPDATE contacts SET waits_until = '9999-12-31T00:00:00.000000000Z' WHERE id LIKE 'p%' AND substr(id, 2)::int % 12 = 1`,
		`ANALYZE contacts`,
	)
	for _, tc := range []struct {
		name, sql, args string
		index           string
		rows            int // rows the index scan returns; 0: any (a bitmap scan reads every due one, then sorts)
	}{
		{"pick", postgres.PickContactsSQL, `'o', '2026-11-01T06:00:00.000000000Z', 'a', '', '', 'o', 64`, "contacts_pick", 64},
		{"readmit", postgres.ReadmitSQL, `'a', '2026-11-01T15:30:00.000000000Z', 300`, "contacts_waiting", 0},
		{"first_waiting", postgres.FirstWaitingSQL, `'a', 'o'`, "contacts_waiting", 1},
		{"wait", postgres.WaitSQL, waitArgs(300), "contacts_pkey", 0},
	} {
		for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			name := tc.name + "_" + mode
			for _, q := range []string{`SET LOCAL plan_cache_mode = ` + mode, `PREPARE ` + name + ` AS ` + tc.sql} {
				if _, err := tx.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// ANALYZE runs it; the rollback undoes the readmit.
			lines := planOf(t, tx, `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE `+name+`(`+tc.args+`)`)
			_ = tx.Rollback(ctx)
			p := strings.Join(lines, "\n")
			if strings.Contains(p, "Seq Scan on contacts") {
				t.Errorf("%s: reads the whole contacts table:\n%s", name, p)
			}
			found := false
			for _, line := range lines {
				scans := strings.Contains(line, "using "+tc.index+" on contacts") || strings.Contains(line, "Bitmap Index Scan on "+tc.index+" ")
				found = found || scans && (tc.rows == 0 || actual(line, tc.rows, 1))
			}
			if !found {
				t.Errorf("%s: no scan of %s returning its %d rows:\n%s", name, tc.index, tc.rows, p)
			}
			if tc.name == "readmit" && (!strings.Contains(p, "contacts_pkey") || !strings.Contains(p, "rows=300 loops=1")) {
				t.Errorf("%s: does not update the 300 contacts due first by their key:\n%s", name, p)
			}
		}
	}
}

// waitArgs are n contacts of the pool set waiting, as EXECUTE's literals.
func waitArgs(n int) string {
	ids, untils := make([]string, n), make([]string, n)
	for i := range n {
		ids[i], untils[i] = fmt.Sprintf("p%d", 2*i+2), "2026-11-02T00:00:00.000000000Z"
	}
	return "'{" + strings.Join(ids, ",") + "}', '{" + strings.Join(untils, ",") + "}'"
}
