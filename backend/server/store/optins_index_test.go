package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestOptInsByCampaignIndex: the Admin section lists a campaign's opt-ins
// by opt_ins_campaign, and opt_ins_org, which no statement reads since
// migration 0011, is gone (migration 0012): each START wrote it for nothing.
func TestOptInsByCampaignIndex(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "optins.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var indexes []string
	rows, err := st.read.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'opt_ins' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, name)
	}
	rows.Close()
	if got := strings.Join(indexes, ", "); got != "opt_ins_campaign, sqlite_autoindex_opt_ins_1" {
		t.Errorf("indexes of opt_ins: %s, want opt_ins_campaign and the primary key's", got)
	}
	var plan []string
	rows, err = st.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+optInsSQL, "c", 200)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if all := strings.Join(plan, "\n"); !strings.Contains(all, "SEARCH opt_ins USING INDEX opt_ins_campaign (campaign_id=?)") {
		t.Errorf("the opt-ins listing does not search opt_ins_campaign:\n%s", all)
	}
}
