package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestOptInsByCampaignIndex: the Admin section lists a campaign's open
// opt-ins by opt_ins_open (migration 0014, which replaced opt_ins_campaign),
// also among thousands of other rows, and opt_ins_org, which no statement
// reads since migration 0011, is gone (migration 0012); the STARTs of a
// page of opt-outs are read by number (opt_ins_phone, migration 0028).
func TestOptInsByCampaignIndex(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // organization o, campaign c
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT indexname FROM pg_indexes WHERE tablename = 'opt_ins' ORDER BY indexname`)
	if err != nil {
		t.Fatal(err)
	}
	indexes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(indexes, ", "); got != "opt_ins_open, opt_ins_phone, opt_ins_pkey, opt_ins_reviewed" {
		t.Errorf("indexes of opt_ins: %s, want opt_ins_open, opt_ins_reviewed (migration 0014), opt_ins_phone (0028) and the primary key", got)
	}
	// Opt-ins from before 0011 (no campaign) and the campaign's few.
	for _, q := range []string{
		`INSERT INTO opt_ins (id, organization_id, phone, message_id, body, created_at)
			SELECT 'old' || g, 'o', '+1303' || (2000000 + g), 'm' || g, 'START', '2026-11-01T00:00:00.000000Z' FROM generate_series(1, 5000) g`,
		`INSERT INTO opt_ins (id, organization_id, campaign_id, phone, message_id, body, created_at)
			SELECT 'new' || g, 'o', 'c', '+1404' || (2000000 + g), 'n' || g, 'START', '2026-11-02T00:00:00.000000Z' FROM generate_series(1, 5) g`,
		// A campaign's thousands of STARTs, half reviewed: a page of
		// opt-outs finds its numbers' by opt_ins_phone (StartsOf).
		`INSERT INTO opt_ins (id, organization_id, campaign_id, phone, message_id, body, created_at, reviewed_at)
			SELECT 'many' || g, 'o', 'c', '+1505' || (2000000 + g), 'k' || g, 'START', '2026-11-02T00:00:00.000000Z',
				CASE WHEN g % 2 = 0 THEN '2026-11-03T00:00:00.000000Z' END FROM generate_series(1, 5000) g`,
		`ANALYZE opt_ins`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		for _, q := range []string{`SET LOCAL plan_cache_mode = ` + mode, `PREPARE opt_ins_` + mode + ` AS ` + postgres.OptInsSQL} {
			if _, err := tx.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		p := strings.Join(planOf(t, tx, `EXPLAIN (COSTS OFF) EXECUTE opt_ins_`+mode+`('c', 200)`), "\n")
		if !strings.Contains(p, "opt_ins_open") || strings.Contains(p, "Seq Scan on opt_ins") {
			t.Errorf("%s: the open opt-ins listing does not read opt_ins_open:\n%s", mode, p)
		}
		if _, err := tx.Exec(ctx, `PREPARE starts_`+mode+` AS `+postgres.StartsSQL); err != nil {
			t.Fatal(err)
		}
		p = strings.Join(planOf(t, tx, `EXPLAIN (COSTS OFF) EXECUTE starts_`+mode+`('c', '{+15052000100,+15052000101}', 'c', '{+15052000100,+15052000101}')`), "\n")
		if strings.Count(p, "opt_ins_phone") != 2 || strings.Contains(p, "Seq Scan on opt_ins") {
			t.Errorf("%s: the STARTs of a page of opt-outs are not read by number (opt_ins_phone):\n%s", mode, p)
		}
	}
}
