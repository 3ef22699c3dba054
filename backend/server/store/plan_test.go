package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHotStatementsUseIndexes checks with EXPLAIN QUERY PLAN that every
// statement on the send, pick, dispatch and inbound paths is an index
// lookup or range on this number, contact or action, never a scan of a
// table or a sort: their cost must not grow with the campaign.
func TestHotStatementsUseIndexes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// ANALYZE-free plans are what a fresh campaign gets; they must already be right.
	tests := []struct {
		name  string
		sql   string
		args  []any
		index []string // each must appear in the plan
	}{
		{"6-hour lock", initialSentSinceSQL, []any{"o", "+1", "t"}, []string{"threads_route", "messages_thread_initial"}},
		{"checks of a text", sendChecksSQL, []any{"u", "+1", "t", "m", "c"}, []string{"sqlite_autoindex_campaigns_1",
			"sqlite_autoindex_opt_outs_1", "sqlite_autoindex_blocks_1", "threads_route", "messages_thread_initial",
			"sqlite_autoindex_number_assignments_1", "sqlite_autoindex_messages_1"}},
		{"claim of a checked first text", claimInitialSQL, []any{"k", "u", "a", "[]", "09:00", "21:00", "o", "+1", "t", "m", "mu", "c", "+2"},
			[]string{"sqlite_autoindex_contacts_1", "sqlite_autoindex_actions_1", "sqlite_autoindex_number_assignments_1", "sqlite_autoindex_opt_outs_1",
				"sqlite_autoindex_blocks_1", "threads_route", "messages_thread_initial", "sqlite_autoindex_messages_1",
				"sqlite_autoindex_mutations_1"}},
		{"first text checked ahead", initialChecksSQL, []any{"k", "u", "m", "t"}, []string{"sqlite_autoindex_contacts_1",
			"sqlite_autoindex_actions_1", "sqlite_autoindex_campaigns_1", "sqlite_autoindex_opt_outs_1", "sqlite_autoindex_blocks_1",
			"threads_route", "messages_thread_initial", "sqlite_autoindex_number_assignments_1", "sqlite_autoindex_messages_1"}},
		{"inbound route and checks", routeInboundSQL, []any{"+1", "+2", "SM"}, []string{"threads_route", "sqlite_autoindex_opt_outs_1",
			"sqlite_autoindex_blocks_1", "sqlite_autoindex_inbox_states_1", "messages_provider_id"}},
		{"pool count", countAssignableSQL, []any{"a", "a", "a", "a"}, []string{"contacts_pick", "contacts_waiting",
			"sqlite_autoindex_opt_outs_1", "contacts_action_phone", "sqlite_autoindex_actions_1", "sqlite_autoindex_campaigns_1"}},
		{"contacts back from waiting", readmitSQL, []any{"a", "t", 10}, []string{"contacts_waiting (action_id=? AND waits_until>? AND waits_until<?)",
			"sqlite_autoindex_contacts_1 (id=?)"}},
		{"first contact waiting", firstWaitingSQL, []any{"a", "o"}, []string{"contacts_waiting (action_id=? AND waits_until>?)", "sqlite_autoindex_opt_outs_1"}},
		{"assigned queue", `SELECT id FROM contacts WHERE assigned_to = ? AND action_id = ? AND state = 'assigned'`, []any{"u", "a"}, []string{"contacts_assigned"}},
		{"claim queued texts", `UPDATE messages SET status = 'sending' WHERE id IN ` + inIDs + ` AND status = 'queued'`, []any{"[]"}, []string{"sqlite_autoindex_messages_1"}},
		{"record provider answers", setStatusesSQL, []any{"[]"}, []string{"sqlite_autoindex_messages_1"}},
		// An opt-out import: each thread of a list found by its key.
		{"cancel queued texts of threads", cancelQueuedSQL, []any{"e", "[]"}, []string{"messages_thread_initial (thread_id=?)"}},
		{"mark threads opted out", SetOptedOutSQL + `IN ` + inIDs, []any{"[]"}, []string{"sqlite_autoindex_threads_1 (id=?)"}},
		{"threads of a number", `SELECT id FROM threads WHERE organization_id = ? AND contact_phone = ?`, []any{"o", "+1"}, []string{"threads_route"}},
		{"Text Again pick", pickContactsSQL, []any{"a", "", "", "o", 64, "t"}, []string{"contacts_pick", "sqlite_autoindex_opt_outs_1",
			"threads_route", "messages_thread_initial"}},
		{"dispatcher queue", pendingMessagesSQL, []any{"queued", 10}, []string{"messages_pending", "sqlite_autoindex_threads_1"}},
		// Each page seeks to where the last one ended.
		{"this server's sending texts", ownSendingSQL, []any{"t", "m", 10}, []string{"messages_pending (status=? AND (created_at,id)>(?,?))",
			"sqlite_autoindex_threads_1"}},
		{"sending number", sendingNumberSQL, []any{"c", "u"}, []string{"sqlite_autoindex_number_assignments_1"}},
		{"opted out", `SELECT COUNT(*) FROM opt_outs WHERE organization_id = ? AND phone = ?`, []any{"o", "+1"}, []string{"sqlite_autoindex_opt_outs_1"}},
		{"blocked", `SELECT COUNT(*) FROM blocks WHERE user_id = ? AND phone = ?`, []any{"u", "+1"}, []string{"sqlite_autoindex_blocks_1"}},
		{"mutation applied once", `SELECT id, user_id, type, result, created_at FROM mutations WHERE id = ?`, []any{"m"}, []string{"sqlite_autoindex_mutations_1"}},
		{"inbound route", `SELECT ` + threadCols + ` FROM threads WHERE contact_phone = ? AND sending_number = ? AND last_outbound_at IS NOT NULL
		ORDER BY last_outbound_at DESC LIMIT 1`, []any{"+1", "+2"}, []string{"threads_route"}},
		{"inbound seen before", `SELECT ` + messageCols + ` FROM messages WHERE provider_id = ?`, []any{"SM"}, []string{"messages_provider_id"}},
		{"our number", `SELECT campaign_id FROM sending_numbers WHERE phone = ?`, []any{"+1"}, []string{"sqlite_autoindex_sending_numbers_1"}},
		// The Admin section, every 30 s in each admin's app.
		{"last replies of reported threads", lastInboundByThreadsSQL, []any{"[]"}, []string{"messages_thread_initial (thread_id=? AND initial=?)"}},
		{"open unroutable texts", UnroutableForCampaignSQL(MarkOpen), []any{"c", 200}, []string{"unroutable_open (campaign_id=?)"}},
		{"handled unroutable texts", UnroutableForCampaignSQL(MarkDone), []any{"c", 200}, []string{"unroutable_handled (campaign_id=?)"}},
		{"count of handled unroutable texts", UnroutableMarks.CountSQL(MarkDone), []any{"c"}, []string{"unroutable_handled (campaign_id=?)"}},
		{"count of reviewed abuse reports", AbuseReportMarks.CountSQL(MarkDone), []any{"c"}, []string{"abuse_reports_reviewed (campaign_id=?)"}},
		{"count of reviewed opt-ins", OptInMarks.CountSQL(MarkDone), []any{"c"}, []string{"opt_ins_reviewed (campaign_id=?)"}},
		{"count of open unroutable texts", UnroutableMarks.CountSQL(MarkOpen), []any{"c"}, []string{"unroutable_open (campaign_id=?)"}},
		{"count of open abuse reports", AbuseReportMarks.CountSQL(MarkOpen), []any{"c"}, []string{"abuse_reports_open (campaign_id=?)"}},
		{"count of open opt-ins", OptInMarks.CountSQL(MarkOpen), []any{"c"}, []string{"opt_ins_open (campaign_id=?)"}},
		// A page of opt-outs seeks to where the last one ended, in the index's order.
		{"opt-outs, first page", OptedOutThreadsSQL, OptedOutThreadsArgs("c", OptedOutCursor{}, 50), []string{"threads_opted_out (campaign_id=? AND (opted_out_at,id)<(?,?))",
			"sqlite_autoindex_opt_outs_1"}},
		{"opt-outs, a later page", OptedOutThreadsSQL, OptedOutThreadsArgs("c", OptedOutCursor{At: "t", ThreadID: "k"}, 50), []string{"threads_opted_out"}},
		{"count of opt-outs", CountOptedOutThreadsSQL, []any{"c"}, []string{"threads_opted_out (campaign_id=?)"}},
		{"mark threads opted out, at their opt-out's time", SetOptedOutSQL + `IN ` + inIDs, []any{"[]"}, []string{"sqlite_autoindex_opt_outs_1 (organization_id=? AND phone=?)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := st.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tt.sql, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			all := strings.Join(plan, "\n")
			// A subquery's rows (a page, LIMITed) read back from its co-routine.
			coroutines := map[string]bool{}
			for _, p := range plan {
				if name, ok := strings.CutPrefix(p, "CO-ROUTINE "); ok {
					coroutines["SCAN "+name] = true
				}
			}
			for _, p := range plan {
				// json_each is the id list passed as one parameter.
				if (strings.HasPrefix(p, "SCAN ") && !strings.Contains(p, "USING") && p != "SCAN CONSTANT ROW" && !coroutines[p] &&
					!strings.HasPrefix(p, "SCAN json_each VIRTUAL TABLE")) || strings.Contains(p, "TEMP B-TREE") {
					t.Errorf("plan has %q:\n%s", p, all)
				}
			}
			for _, idx := range tt.index {
				if !strings.Contains(all, idx) {
					t.Errorf("plan does not use %s:\n%s", idx, all)
				}
			}
		})
	}
}

// TestAppendFeedsKeepsOrder appends more rows than one statement holds
// and reads them back in order, each user's under its own seq.
func TestAppendFeedsKeepsOrder(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var rows []FeedRow
	for i := range 40 {
		user := []string{"u1", "u2"}[i%2]
		rows = append(rows, FeedRow{UserID: user, Kind: "message", EntityID: fmt.Sprintf("m%02d", i)})
	}
	err = st.Update(ctx, func(tx Tx) error {
		for _, u := range []string{"u1", "u2"} {
			if err := tx.CreateUser(ctx, User{ID: u, Name: u, Email: u + "@example.org", CreatedAt: time.Now()}); err != nil {
				return err
			}
		}
		if err := tx.AppendFeeds(ctx, time.Now()); err != nil {
			return err
		}
		return tx.AppendFeeds(ctx, time.Now(), rows...)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx Tx) error {
		for k, u := range []string{"u1", "u2"} {
			got, err := tx.FeedAfter(ctx, u, 0, 100)
			if err != nil {
				return err
			}
			if len(got) != 20 {
				t.Fatalf("%s has %d rows, want 20", u, len(got))
			}
			for i, r := range got {
				if want := fmt.Sprintf("m%02d", 2*i+k); r.EntityID != want || (i > 0 && r.Seq <= got[i-1].Seq) {
					t.Fatalf("%s row %d = %+v, want %s after seq %d", u, i, r, want, got[max(i-1, 0)].Seq)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A bad row (no such user) fails the whole statement, and the
	// transaction stores nothing.
	err = st.Update(ctx, func(tx Tx) error {
		return tx.AppendFeeds(ctx, time.Now(), FeedRow{UserID: "u1", Kind: "thread", EntityID: "x"}, FeedRow{UserID: "nobody", Kind: "thread", EntityID: "y"})
	})
	if err == nil {
		t.Fatal("a feed row for an unknown user was stored")
	}
	_ = st.View(ctx, func(tx Tx) error {
		got, _ := tx.FeedAfter(ctx, "u1", 0, 100)
		if len(got) != 20 {
			t.Errorf("u1 has %d rows after the failed append, want 20", len(got))
		}
		return nil
	})
}
