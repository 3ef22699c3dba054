package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeFoldedSearch is the last migration before 0039 gave campaigns the
// folded copies of their name and issue that search matches.
const BeforeFoldedSearch = 38

// FoldedSearchFixtureSQL fills a database migrated to BeforeFoldedSearch
// (either dialect): campaigns with accents in their name or issue, written
// as SQL wrote them then, unfolded.
var FoldedSearchFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('fo', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, issue, join_code, public, active, created_at) VALUES
		('fname', 'fo', 'Élection Ñandú', '', '310001', 1, 1, '2026-01-01T00:00:00.000000000Z'),
		('fissue', 'fo', 'Plain', 'ÜBER Campaña', '310002', 1, 1, '2026-01-01T00:00:00.000000000Z'),
		('fpriv', 'fo', 'Campaña Privada', '', '310003', 0, 1, '2026-01-01T00:00:00.000000000Z')`,
}

// CheckFoldedSearchBackfill checks st, opened on FoldedSearchFixtureSQL's
// database (and so migrated past 0039 and folded by Open): the campaigns
// from before are found without their accents, by name and by issue, as
// those written since; the private one still only by its code; and
// folding again (each Open does) changes nothing.
func CheckFoldedSearchBackfill(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	search := func(q string) string {
		var got string
		if err := st.View(ctx, func(tx store.Tx) error {
			cs, err := tx.SearchCampaigns(ctx, "nobody", q, 10)
			for _, c := range cs {
				got += c.ID + " "
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	for q, want := range map[string]string{
		"election nandu": "fname ",
		"uber campana":   "fissue ",
		"campana":        "fissue ",
		"310003":         "fpriv ",
		"":               "fissue fname ", // by name: "Plain", "Élection Ñandú"
	} {
		if got := search(q); got != want {
			t.Errorf("after the migration, SearchCampaigns(%q) = %q, want %q", q, got, want)
		}
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.FoldUnfoldedCampaigns(ctx); err != nil {
			return fmt.Errorf("fold again: %w", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := search("campana"); got != "fissue " {
		t.Errorf("folded twice, SearchCampaigns(campana) = %q, want fissue", got)
	}
}
