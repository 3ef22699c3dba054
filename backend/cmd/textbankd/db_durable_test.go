package main

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerCommandsCommitToTheDisk: an organizer command's store syncs
// each commit (a power cut after "Created account" keeps the account),
// serve's does not (it syncs what it answers, in groups). The store's
// TestSyncEachCommitSyncsTheWAL counts the syncs.
func TestOrganizerCommandsCommitToTheDisk(t *testing.T) {
	ctx := context.Background()
	dir := seedCampaign(t)
	for _, c := range []struct {
		name   string
		create bool
		want   bool
	}{{"organizer command", false, true}, {"serve", true, false}} {
		st, err := openDB(ctx, "", dir, c.create)
		if err != nil {
			t.Fatal(err)
		}
		synced, err := st.(*store.SQLite).EachCommitSynced(ctx)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if synced != c.want {
			t.Errorf("%s: each commit synced %v, want %v", c.name, synced, c.want)
		}
	}
}
