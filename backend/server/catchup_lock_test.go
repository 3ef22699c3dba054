package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms/twilio"
	"github.com/textbank/textbank/backend/testlog"
)

// TestStartCatchUpSkippedWhileAnotherServerLists: on PostgreSQL a start's
// catch-up round runs on one server of a database at a time (an advisory
// lock). Server B's round is listing (Twilio's stand-in holds B's list
// request) when server A starts: A's round skips, lists nothing, stores
// nothing and notes no time listed, and says so at info, where the
// operator reads what a start did; B's round, let go, stores the reply.
// SQLite has no such lock: one server has its database.
func TestStartCatchUpSkippedWhileAnotherServerLists(t *testing.T) {
	pgtest.Require(t)
	ctx := context.Background()
	var logs testlog.Buffer
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs)})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, assigned, ours := texted(t, f, cf, 1)
	sid := "SM" + strings.Repeat("9", 32)
	raw := &rawTwilio{pages: map[string]string{"0": page("",
		twilioMsg(sid, assigned[0].Phone, ours, "Count me in", "inbound", f.clock.Now().Add(-time.Minute), 0))}}
	listing, release := make(chan struct{}), make(chan struct{})
	var first, let sync.Once
	letGo := func() { let.Do(func() { close(release) }) }
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first.Do(func() { close(listing); <-release })
		raw.serve(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(letGo) // before ts.Close: a held request would keep it waiting
	p, err := twilio.New(twilio.Config{AccountSID: catchSID, AuthToken: catchToken, PublicURL: "https://texts.example.org",
		APIURL: ts.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	b, _ := f.second()
	type round struct {
		res server.CatchUpResult
		err error
	}
	bDone := make(chan round, 1)
	go func() {
		res, err := b.CatchUpInbound(ctx, p)
		bDone <- round{res, err}
	}()
	select {
	case <-listing:
	case <-time.After(10 * time.Second):
		t.Fatal("server B's round never asked Twilio's list")
	}

	res, err := f.srv.CatchUpInbound(ctx, p)
	if err != nil || !res.Skipped || res.Found != 0 || res.New != 0 {
		t.Fatalf("server A's start round while B lists: %+v, %v; want it skipped, nothing found", res, err)
	}
	if q := raw.asked(); len(q) != 0 {
		t.Errorf("server A asked Twilio's list while B listed: %q", q)
	}
	if at := listedTo(t, f.st); !at.IsZero() {
		t.Errorf("server A's skipped round noted the texts listed to %v", at)
	}
	if err := f.st.View(ctx, func(tx store.Tx) error { _, err := tx.MessageByProviderID(ctx, sid); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the reply is stored before B's round ends: %v", err)
	}
	var said string
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, "another server is listing") {
			said = line
		}
	}
	if !strings.Contains(said, `"level":"info"`) || !strings.Contains(said, `"periodic":false`) {
		t.Errorf("server A's log, want the skipped start round at info:\n%s", logs.String())
	}

	letGo()
	bRound := <-bDone
	if bRound.err != nil || bRound.res.Skipped || bRound.res.New != 1 {
		t.Fatalf("server B's round: %+v, %v; want the reply stored", bRound.res, bRound.err)
	}
	if err := f.st.View(ctx, func(tx store.Tx) error { _, err := tx.MessageByProviderID(ctx, sid); return err }); err != nil {
		t.Errorf("the reply after B's round: %v", err)
	}
}
