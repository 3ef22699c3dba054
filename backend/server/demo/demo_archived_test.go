package demo_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/store"
)

// An organizer trying the demo may archive its campaign; the demo's next
// start must still come up (it failed: "sending number +12025550180:
// already exists", the archived campaign keeping its numbers), with a new
// campaign on code 123456 holding the demo's numbers.
func TestDemoStartsAgainAfterItsCampaignWasArchived(t *testing.T) {
	ctx := testContext(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	first, err := democampaign.Seed(ctx, st, now)
	if err != nil {
		t.Fatal(err)
	}
	org, err := server.NewOrganizer(server.OrganizerConfig{Store: st, Now: func() time.Time { return now.Add(time.Hour) }, BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := org.ArchiveCampaign(ctx, democampaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	second, err := democampaign.Seed(ctx, st, now.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("seed after the demo campaign was archived: %v", err)
	}
	if second.CampaignID == first.CampaignID || second.JoinCode != democampaign.JoinCode {
		t.Fatalf("second seed = %+v, want a new campaign on %s (the first was %s)", second, democampaign.JoinCode, first.CampaignID)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		c, err := tx.CampaignByJoinCode(ctx, democampaign.JoinCode)
		if err != nil {
			return err
		}
		if c.ID != second.CampaignID || !c.Active {
			t.Errorf("code %s is campaign %+v, want the new active one %s", democampaign.JoinCode, c, second.CampaignID)
		}
		for _, n := range democampaign.SendingNumbers() {
			owner, err := tx.SendingNumberCampaign(ctx, n)
			if err != nil {
				return err
			}
			if owner != second.CampaignID {
				t.Errorf("number %s is campaign %s's, want the new demo campaign's", n, owner)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And a third start finds the new campaign, as any start after the first does.
	third, err := democampaign.Seed(ctx, st, now.Add(3*time.Hour))
	if err != nil || third != second {
		t.Fatalf("third seed = %+v, %v; want %+v", third, err, second)
	}
}
