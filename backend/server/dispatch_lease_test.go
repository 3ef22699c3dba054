package server_test

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestLeaseEndLeavesTextsToTheTakeover: the database cuts the connection
// holding the server's instance lock while two provider calls are under
// way (dispatch_lease.go). The calls are cancelled, their texts left
// sending (neither failed nor unknown, though the calls failed), and once
// the old key has been free for the grace the texts are taken over (here
// by the same server, its new key), looked up, and sent, each once more.
func TestLeaseEndLeavesTextsToTheTakeover(t *testing.T) {
	logs := &logLines{}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(logs)})
	if f.pgURL == "" {
		t.Skip("a store of one server (SQLite) has no lease")
	}
	f.st.(*postgres.Store).SetAdoptGrace(time.Second)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, u := f.member("vera", cf)
	gate := f.faults.hold()
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	f.faults.waitCalls(t, 2)

	pgtest.CutLocks(t, f.pgURL)
	logs.waitFor(t, "call cancelled: this server's claim on the text ended")
	// Both calls are cancelled at once; give the second's log a moment.
	time.Sleep(100 * time.Millisecond)
	for _, id := range ids {
		if s := messageStatus(t, f, id).Status; s != api.StatusSending {
			t.Fatalf("text %s is %s after its call was cancelled by the lease's end, want sending", id, s)
		}
	}
	close(gate)

	deadline := time.Now().Add(30 * time.Second)
	for _, id := range ids {
		for {
			m := messageStatus(t, f, id)
			if m.Status == api.StatusSent && m.ProviderID != "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("text %s is %s 30 s after the cut, want sent once taken over", id, m.Status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	for _, p := range contactPhones(cf) {
		// The cancelled call, then the one after the lookup.
		if n := f.faults.callsTo[p]; n != 2 {
			t.Fatalf("the provider was called %d times for %s, want the cancelled call and one more (all: %v)", n, p, f.faults.callsTo)
		}
	}
	if got := len(f.net.Sent()); got != 2 {
		t.Fatalf("the network carried %d texts, want 2", got)
	}
}
