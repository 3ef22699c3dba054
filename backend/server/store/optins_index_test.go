package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminReviewListsByPartialIndexes: the Admin section lists a
// campaign's open opt-ins and abuse reports, and on request the reviewed
// ones, each by a partial index of its kind (migration 0014), so neither
// walks the other's rows; the campaign indexes they replaced are gone, as
// opt_ins_org went in migration 0012 (no statement read it). The STARTs
// of a page of opt-outs are read by number (opt_ins_phone, migration 0028).
func TestAdminReviewListsByPartialIndexes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "optins.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	indexes := func(table string) string {
		var out []string
		rows, err := st.read.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`, table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			out = append(out, name)
		}
		return strings.Join(out, ", ")
	}
	if got := indexes("opt_ins"); got != "opt_ins_open, opt_ins_phone, opt_ins_reviewed, sqlite_autoindex_opt_ins_1" {
		t.Errorf("indexes of opt_ins: %s, want opt_ins_open, opt_ins_reviewed, opt_ins_phone (migration 0028) and the primary key's", got)
	}
	if got := indexes("abuse_reports"); got != "abuse_reports_open, abuse_reports_reviewed, sqlite_autoindex_abuse_reports_1" {
		t.Errorf("indexes of abuse_reports: %s, want abuse_reports_open, abuse_reports_reviewed and the primary key's", got)
	}
	list, err := idsParam([]string{"+13035550100"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		sql  string
		args []any
		want string
	}{
		{OptInsSQL(MarkOpen), nil, "SEARCH o USING INDEX opt_ins_open (campaign_id=?)"},
		{OptInsSQL(MarkDone), nil, "SEARCH o USING INDEX opt_ins_reviewed (campaign_id=?)"},
		{AbuseReportsSQL(MarkOpen), nil, "SEARCH abuse_reports USING INDEX abuse_reports_open (campaign_id=?)"},
		{AbuseReportsSQL(MarkDone), nil, "SEARCH abuse_reports USING INDEX abuse_reports_reviewed (campaign_id=?)"},
		// The STARTs of a page of opt-outs, found by number (StartsOf), not
		// by walking the campaign's open and reviewed ones.
		{StartsSQL(`IN ` + inIDs), []any{"c", list, "c", list}, "SEARCH opt_ins USING INDEX opt_ins_phone (phone=? AND campaign_id=?)"},
	} {
		var plan []string
		if tt.args == nil {
			tt.args = []any{"c", 200}
		}
		rows, err := st.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tt.sql, tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if all := strings.Join(plan, "\n"); !strings.Contains(all, tt.want) {
			t.Errorf("%s\nplan does not have %q:\n%s", tt.sql, tt.want, all)
		}
	}
}
