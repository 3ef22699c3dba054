package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
	"github.com/textbank/textbank/backend/testlog"
)

// catchStandIn is Twilio's API answering raw's pages, and the provider
// that asks it.
func catchStandIn(t *testing.T, raw *rawTwilio) *twilio.Provider {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(raw.serve))
	t.Cleanup(ts.Close)
	p, err := twilio.New(twilio.Config{AccountSID: catchSID, AuthToken: catchToken, PublicURL: "https://texts.example.org",
		APIURL: ts.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// listedSince is the DateSent> a list query asked for.
func listedSince(t *testing.T, query string) time.Time {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339, q.Get("DateSent>"))
	if err != nil {
		t.Fatalf("the list was asked %q: %v", query, err)
	}
	return at
}

func listedTo(t *testing.T, st store.Store) time.Time {
	t.Helper()
	var at time.Time
	if err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		at, err = tx.InboundListedTo(context.Background())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return at
}

// TestCatchUpWhileServing: a reply Twilio could not post to the webhook
// while the server runs (only the stand-in has it) is stored by the next
// periodic round, which lists from where the last round began (less the
// margin for clock skew). Rounds that find one began a moment ago list
// nothing: with the server's clock standing still, the start's round is
// the only list asked. Without the periodic rounds the reply waits for a
// restart.
func TestCatchUpWhileServing(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, assigned, ours := texted(t, f, cf, 1)
	raw := &rawTwilio{pages: map[string]string{"0": page("")}}
	p := catchStandIn(t, raw)
	started := f.clock.Now()
	done := make(chan struct{})
	go func() { defer close(done); f.srv.RunInboundCatchUp(ctx, p, 20*time.Millisecond) }()
	t.Cleanup(func() { stop(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for listedTo(t, f.st).IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("the start's round noted nothing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // ten intervals, the clock standing still
	if q := raw.asked(); len(q) != 1 {
		t.Fatalf("the list was asked %d times with no time passing, want once (the start's): %q", len(q), q)
	}

	sid := "SM" + strings.Repeat("7", 32)
	raw.set(map[string]string{"0": page("", twilioMsg(sid, assigned[0].Phone, ours, "Count me in", "inbound", started.Add(time.Minute), 0))})
	f.clock.Advance(5 * time.Minute)
	for {
		var err error
		_ = f.st.View(ctx, func(tx store.Tx) error { _, err = tx.MessageByProviderID(ctx, sid); return err })
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrNotFound) || time.Now().After(deadline) {
			t.Fatalf("the reply the webhook missed is not stored by a periodic round: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	q := raw.asked()
	if since := listedSince(t, q[len(q)-1]); !since.Equal(started.Add(-10 * time.Minute)) {
		t.Errorf("the periodic round listed since %v, want %v (the start's round, less 10 minutes)", since, started.Add(-10*time.Minute))
	}
	for !listedTo(t, f.st).Equal(started.Add(5 * time.Minute)) {
		if time.Now().After(deadline) {
			t.Fatalf("listed to %v, want %v (the periodic round's start)", listedTo(t, f.st), started.Add(5*time.Minute))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCatchUpReachesBack: a start's round lists from where the last
// complete round began, however long ago (a server down over a weekend),
// within a week; 24 hours when the database does not say. Each case is
// how far the texts were listed and a reply Twilio holds; the stand-in
// lists it whatever the date asked, and the provider drops what is dated
// before. With the fixed 24 hours, the reply of two days ago is lost.
func TestCatchUpReachesBack(t *testing.T) {
	tests := []struct {
		name     string
		listedTo time.Duration // before now; 0: none noted
		reply    time.Duration // before now
		since    time.Duration // before now
		stored   bool
		warn     string
	}{
		{"unknown: a day", 0, 23 * time.Hour, 24 * time.Hour, true, ""},
		{"unknown: not two days", 0, 48 * time.Hour, 24 * time.Hour, false, ""},
		{"down three days", 72 * time.Hour, 48 * time.Hour, 72*time.Hour + 10*time.Minute, true, ""},
		{"down a moment", time.Minute, 30 * time.Second, 11 * time.Minute, true, ""},
		{"our clock went back", -time.Hour, 5 * time.Minute, 10 * time.Minute, true, ""},
		{"down ten days: a week", 240 * time.Hour, 6 * 24 * time.Hour, 7 * 24 * time.Hour, true, "longer ago than it reaches back"},
		{"down ten days: not eight", 240 * time.Hour, 8 * 24 * time.Hour, 7 * 24 * time.Hour, false, "longer ago than it reaches back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			var logs testlog.Buffer
			f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs)})
			cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
			_, assigned, ours := texted(t, f, cf, 1)
			now := f.clock.Now()
			if tt.listedTo != 0 {
				f.update(func(tx store.Tx) error { return tx.NoteInboundListed(ctx, now.Add(-tt.listedTo)) })
			}
			sid := "SM" + strings.Repeat("8", 32)
			raw := &rawTwilio{pages: map[string]string{"0": page("", twilioMsg(sid, assigned[0].Phone, ours, "Yes", "inbound", now.Add(-tt.reply), 0))}}
			res, err := f.srv.CatchUpInbound(ctx, catchStandIn(t, raw))
			if err != nil {
				t.Fatal(err)
			}
			if q := raw.asked(); len(q) != 1 || !listedSince(t, q[0]).Equal(now.Add(-tt.since)) {
				t.Fatalf("the list was asked %q, want once since %v", q, now.Add(-tt.since))
			}
			if stored := res.New == 1; stored != tt.stored {
				t.Errorf("the reply of %v ago stored: %v, want %v", tt.reply, stored, tt.stored)
			}
			if got := listedTo(t, f.st); !got.Equal(now) && !(tt.listedTo < 0 && got.Equal(now.Add(-tt.listedTo))) {
				t.Errorf("listed to %v after the round, want %v (its start)", got, now)
			}
			if has := strings.Contains(logs.String(), "inbound catch-up: the texts were last listed"); has != (tt.warn != "") {
				t.Errorf("the warning of texts past the reach logged: %v, want %v:\n%s", has, tt.warn != "", logs.String())
			}
		})
	}
}

// TestCatchUpFallsShort: a round whose list Twilio fails leaves how far
// the texts are listed as it was, so the next round lists the same time
// again; a round's pages hold 5000 texts a number for each day it reaches
// back, and one whose pages cannot hold a number's texts says how many
// numbers were cut short. Without the check the cut is silent.
func TestCatchUpFallsShort(t *testing.T) {
	ctx := context.Background()
	var logs testlog.Buffer
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs)})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, _, ours := texted(t, f, cf, 1)
	now := f.clock.Now()
	before := now.Add(-72 * time.Hour)
	f.update(func(tx store.Tx) error { return tx.NoteInboundListed(ctx, before) })

	raw := &rawTwilio{fail: true}
	p := catchStandIn(t, raw)
	if _, err := f.srv.CatchUpInbound(ctx, p); err == nil {
		t.Fatal("a round whose list failed said nothing")
	}
	if got := listedTo(t, f.st); !got.Equal(before) {
		t.Fatalf("after a failed round listed to %v, want %v still", got, before)
	}
	if !strings.Contains(logs.String(), "inbound catch-up stopped short") {
		t.Errorf("no warning of the failed round:\n%s", logs.String())
	}

	// Six pages of our own texts from the number (none a reply) of a
	// minute ago: more than a day's 5 pages hold.
	pages := map[string]string{}
	for pg := range 6 {
		var msgs []map[string]any
		for i := range 1000 {
			msgs = append(msgs, twilioMsg("SM"+strings.Repeat("0", 26)+itoa(100000+pg*1000+i), ours, "+14155550100", "Hi", "outbound-api", now.Add(-time.Minute), 0))
		}
		next := ""
		if pg < 5 {
			next = "/2010-04-01/Accounts/" + catchSID + "/Messages.json?Page=" + itoa(pg+1)
		}
		pages[itoa(pg)] = page(next, msgs...)
	}
	round := func() (server.CatchUpResult, []string) {
		t.Helper()
		raw.mu.Lock()
		raw.fail, raw.pages, raw.queries = false, pages, nil
		raw.mu.Unlock()
		res, err := f.srv.CatchUpInbound(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return res, raw.asked()
	}
	// Three days back (the failed round's): 20 pages, which hold them.
	if res, q := round(); res.Cut != 0 || len(q) != 6 || !listedSince(t, q[0]).Equal(before.Add(-10*time.Minute)) {
		t.Fatalf("a round three days back over 6000 texts: %+v, asked %q; want none cut short, 6 pages since %v", res, q, before.Add(-10*time.Minute))
	}
	if strings.Contains(logs.String(), "numbers_cut_short") {
		t.Errorf("a warning of numbers cut short when none was:\n%s", logs.String())
	}
	// An hour on, an hour back: 5 pages and one more text.
	f.clock.Advance(time.Hour)
	if res, q := round(); res.Cut != 1 || res.Found != 0 || len(q) != 6 {
		t.Fatalf("a round an hour back over 6000 texts: %+v, asked %d pages; want 1 number cut short, none found, 6 pages", res, len(q))
	}
	if !strings.Contains(logs.String(), `"numbers_cut_short":1`) {
		t.Errorf("no warning naming the numbers cut short:\n%s", logs.String())
	}
}

// routeCounter counts the texts offered to the inbound write path: each
// reply's route is read in its write transaction (ReceiveOnce).
type routeCounter struct {
	store.Store
	n atomic.Int64
}

type countingTx struct {
	store.Tx
	n *atomic.Int64
}

func (c countingTx) RouteInbound(ctx context.Context, contactPhone, sendingNumber, providerID string) (store.InboundRoute, error) {
	c.n.Add(1)
	return c.Tx.RouteInbound(ctx, contactPhone, sendingNumber, providerID)
}

func (w *routeCounter) Update(ctx context.Context, fn func(store.Tx) error) error {
	return w.Store.Update(ctx, func(tx store.Tx) error { return fn(countingTx{tx, &w.n}) })
}

func (w *routeCounter) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	counted := make([]func(store.Tx) error, len(fns))
	for i, fn := range fns {
		counted[i] = func(tx store.Tx) error { return fn(countingTx{tx, &w.n}) }
	}
	return w.Store.UpdateEach(ctx, counted)
}

// TestCatchUpStoredTextsCostARead: the texts a round lists again (the
// webhook stored them, or an earlier round: every round lists its margin
// again) are found stored by one read, not offered to the write path one
// by one: a round over 30 stored replies and a new one offers the new one
// only. Without the read it offers 31.
func TestCatchUpStoredTextsCostARead(t *testing.T) {
	ctx := context.Background()
	counter := &routeCounter{}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { counter.Store = st; return counter }})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, assigned, ours := texted(t, f, cf, 1)
	at := f.clock.Now().Add(-time.Minute)
	var msgs []map[string]any
	for i := range 31 {
		sid := "SM" + strings.Repeat("0", 30) + itoa(10+i)
		msgs = append(msgs, twilioMsg(sid, assigned[0].Phone, ours, "Reply "+itoa(i), "inbound", at, 0))
		if i > 0 {
			if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: sid, From: assigned[0].Phone, To: ours, Body: "Reply " + itoa(i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := counter.n.Load()
	res, err := f.srv.CatchUpInbound(ctx, catchStandIn(t, &rawTwilio{pages: map[string]string{"0": page("", msgs...)}}))
	if err != nil || res.Found != 31 || res.New != 1 {
		t.Fatalf("%+v, %v; want 31 found, 1 new", res, err)
	}
	if n := counter.n.Load() - before; n != 1 {
		t.Fatalf("the round offered %d texts to the write path, want 1 (the new one)", n)
	}
}
