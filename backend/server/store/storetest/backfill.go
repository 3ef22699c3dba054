package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeArrival is the last migration before 0011 recorded, with each
// inbound text, whom and which campaign it reached.
const BeforeArrival = 10

// ArrivalFixtureSQL fills a database migrated to BeforeArrival (either
// dialect) with what migration 0011 must backfill: a conversation of an
// archived campaign reassigned between two replies, another never
// reassigned, its sending number since taken over by a newer campaign,
// unroutable texts from before and after the take-over, and an opt-in.
var ArrivalFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('bo', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('bvol', 'Val Volunteer', 'bvol@example.org', 'h', '2026-01-01T00:00:00.000000000Z'),
		('badm', 'Ada Admin', 'badm@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, created_at) VALUES
		('bold', 'bo', 'Old season', '100001', 0, '2026-01-01T00:00:00.000000000Z'),
		('bnew', 'bo', 'New season', '100002', 1, '2026-06-01T00:00:00.000000000Z')`,
	`INSERT INTO actions (id, campaign_id, type, title, allow_free_text, creator_id, created_at) VALUES
		('bact', 'bold', 'p2p', 'GOTV', 1, 'badm', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO contacts (id, action_id, phone, state, created_at) VALUES
		('bk1', 'bact', '+14155550001', 'texted', '2026-01-01T00:00:00.000000000Z'),
		('bk2', 'bact', '+14155550002', 'texted', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO sending_numbers (phone, campaign_id, created_at) VALUES ('+12025550100', 'bnew', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number, last_message_at, created_at) VALUES
		('bk1', 'bact', 'bold', 'bo', 'badm', '+14155550001', '+12025550100', '2026-02-04T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z'),
		('bk2', 'bact', 'bold', 'bo', 'bvol', '+14155550002', '+12025550100', '2026-02-05T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z')`,
	`INSERT INTO messages (id, thread_id, direction, body, status, initial, sender_id, created_at) VALUES
		('bm1', 'bk1', 'out', 'Hi', 'delivered', 1, 'bvol', '2026-02-01T00:00:00.000000000Z'),
		('bm2', 'bk1', 'in', 'Who is asking?', 'received', 0, NULL, '2026-02-02T00:00:00.000000000Z'),
		('bm3', 'bk1', 'in', 'START', 'received', 0, NULL, '2026-02-04T00:00:00.000000000Z'),
		('bm4', 'bk2', 'in', 'Yes', 'received', 0, NULL, '2026-02-05T00:00:00.000000000Z')`,
	`INSERT INTO reassignments (id, thread_id, from_user_id, to_user_id, created_at) VALUES
		('br1', 'bk1', 'bvol', 'badm', '2026-02-03T00:00:00.000000000Z')`,
	`INSERT INTO unroutable_messages (id, from_phone, to_phone, body, received_at) VALUES
		('bu-before', '+14155550009', '+12025550100', 'before the take-over', '2026-03-01T00:00:00.000000000Z'),
		('bu-after', '+14155550009', '+12025550100', 'after the take-over', '2026-07-01T00:00:00.000000000Z'),
		('bu-none', '+14155550009', '+19995550000', 'to no pool', '2026-07-02T00:00:00.000000000Z')`,
	`INSERT INTO opt_ins (id, organization_id, phone, message_id, body, created_at) VALUES
		('boi', 'bo', '+14155550001', 'bm3', 'START', '2026-02-04T00:00:00.000000000Z')`,
}

// CheckArrivalBackfill checks st, opened on ArrivalFixtureSQL's database
// (and so migrated past 0011), for what the migration backfilled.
func CheckArrivalBackfill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	err := st.View(ctx, func(tx store.Tx) error {
		got := map[string]string{}
		if err := tx.EachMessageRow(ctx, "bact", func(m store.MessageRow) error {
			got[m.ID] = m.RoutedTo + "/" + m.VolunteerName
			return nil
		}); err != nil {
			return err
		}
		// bm2 came before the hand-over, bm3 after it.
		want := map[string]string{"bm1": "/Val Volunteer", "bm2": "bvol/Val Volunteer", "bm3": "badm/Ada Admin", "bm4": "bvol/Val Volunteer"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("messages after the backfill (routed to/volunteer) = %v, want %v", got, want)
		}
		un, err := tx.ListUnroutable(ctx, 10)
		if err != nil {
			return err
		}
		camps := map[string]string{}
		for _, u := range un {
			camps[u.ID] = u.CampaignID
		}
		// Older than the campaign whose pool has the number now: the
		// campaign that texted from it before.
		if want := map[string]string{"bu-before": "bold", "bu-after": "bnew", "bu-none": ""}; fmt.Sprint(camps) != fmt.Sprint(want) {
			t.Errorf("unroutable texts' campaigns after the backfill = %v, want %v", camps, want)
		}
		for campaign, want := range map[string]int{"bold": 1, "bnew": 0} {
			l, err := tx.OptIns(ctx, campaign, store.MarkAll, 10)
			if err != nil {
				return err
			}
			if len(l) != want {
				t.Errorf("opt-ins of %s after the backfill = %+v, want %d", campaign, l, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
