package cache

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/inbox"
)

// TestThreadQueriesUseTheirIndex checks with EXPLAIN QUERY PLAN that every
// filter's page, in one campaign and in all, is a walk down that filter's
// partial index with no sort (filterWhere's terms must match the indexes'
// WHERE word for word, and a bound action type must still pick
// threads_type), and that a search's page (found in memory) is read by
// rowid, never by walking an index.
func TestThreadQueriesUseTheirIndex(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	index := map[inbox.Filter]string{
		inbox.All: "threads_all", inbox.Unread: "threads_unread", inbox.NeedsAttention: "threads_attention",
		inbox.Archive: "threads_archive", inbox.Friends: "threads_type", inbox.Team: "threads_type", inbox.Canvassing: "threads_type",
	}
	if len(index) != len(inbox.Filters) {
		t.Fatalf("the test names %d filters' indexes, the inbox has %d filters", len(index), len(inbox.Filters))
	}
	plan := func(query string, args []any) string {
		t.Helper()
		rows, err := c.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		var steps []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			steps = append(steps, detail)
		}
		return strings.Join(steps, "; ")
	}
	for _, f := range inbox.Filters {
		for _, campaign := range []string{"", "c1"} {
			want := index[f]
			if campaign != "" {
				want += "_c"
			}
			q := ThreadQuery{Filter: f, CampaignID: campaign, Limit: 50}
			got := plan(pageSQL(q))
			if !usesIndex(got, want) {
				t.Errorf("%s page (campaign %q): plan %q does not walk %s", f, campaign, got, want)
			}
			if strings.Contains(got, "TEMP B-TREE") {
				t.Errorf("%s page (campaign %q): plan %q sorts", f, campaign, got)
			}
			ids, args, err := idsSQL(q, []int64{3, 1, 2})
			if err != nil {
				t.Fatal(err)
			}
			if got := plan(ids, args); !strings.Contains(got, "USING INTEGER PRIMARY KEY") || strings.Contains(got, "INDEX threads_") {
				t.Errorf("%s search page (campaign %q): plan %q does not read the found rows by rowid", f, campaign, got)
			}
		}
	}
	if got := plan(`SELECT archived, unread, needs_attention, action_type, n FROM thread_counts WHERE n > 0 AND campaign_id = ?`, []any{"c1"}); !strings.Contains(got, "USING PRIMARY KEY (campaign_id=?)") {
		t.Errorf("counts of one campaign: plan %q", got)
	}
}

// usesIndex: the plan reads threads through exactly that index.
func usesIndex(plan, index string) bool {
	words := strings.FieldsFunc(plan, func(r rune) bool { return r == ' ' || r == ';' })
	for i, w := range words {
		if w == index && i >= 1 && words[i-1] == "INDEX" {
			return true
		}
	}
	return false
}
