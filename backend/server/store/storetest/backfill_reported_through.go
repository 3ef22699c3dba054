package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeReportedThrough is the last migration before 0033 kept how far
// into the contact's replies a thread's reports reach.
const BeforeReportedThrough = 32

// ReportedThroughFixtureSQL fills a database migrated to
// BeforeReportedThrough (either dialect): a thread with a report and one
// without.
var ReportedThroughFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('ro', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('radm', 'Ada Admin', 'radm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('rc', 'ro', 'Season', '300001', 1, '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at) VALUES
		('ract', 'rc', 'p2p', 'GOTV', 1, 'radm', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO contacts (id, action_id, phone, state, created_at) VALUES
		('rk1', 'ract', '+14155550031', 'texted', '2026-01-01T00:00:00.000000000Z'),
		('rk2', 'ract', '+14155550032', 'texted', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at, last_report_at, created_at) VALUES
		('rk1', 'ract', 'rc', 'ro', 'radm', '+14155550031', '+12025550130', '2026-02-02T00:00:00.000000000Z', '2026-02-03T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z'),
		('rk2', 'ract', 'rc', 'ro', 'radm', '+14155550032', '+12025550130', '2026-02-02T00:00:00.000000000Z', NULL, '2026-02-01T00:00:00.000000000Z')`,
}

// CheckReportedThrough checks st, opened on ReportedThroughFixtureSQL's
// database (and so migrated past 0033): a thread reported on before
// reaches as far as its last report, as a report decided every reply
// before it was filed until then (a likely opt-out it decided stays
// decided); one never reported on reaches no reply.
func CheckReportedThrough(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	want := map[string]*time.Time{"rk1": new(time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)), "rk2": nil}
	err := st.View(ctx, func(tx store.Tx) error {
		for id, w := range want {
			th, err := tx.ThreadByID(ctx, id)
			if err != nil {
				return err
			}
			if (th.ReportedThrough == nil) != (w == nil) || (w != nil && !th.ReportedThrough.Equal(*w)) {
				t.Errorf("thread %s after the migration: reported through %v, want %v", id, th.ReportedThrough, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
