package sync_test

import (
	"context"
	gosync "sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sync"
)

// TestFirstPullStoppedAfterAPageAnnouncesNoHistory: the app's first pull of
// an account's history, many pages long, stops after its first page (the
// app quit or crashed: that page and its cursor are saved). The next run
// pulls the rest, and the replies in it are history, not news: before, the
// cursor being past 0 made them all new replies, each a notification.
// Once that pull has completed, a reply that comes later is news.
func TestFirstPullStoppedAfterAPageAnnouncesNoHistory(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}})
	for _, a := range h.batch()[:3] {
		h.send(a)
	}
	eventually(t, "three texts sent", 10*time.Second, func() bool { return h.pending() == 0 && len(h.inst.Network.Sent()) >= 3 })
	sent := h.inst.Network.Sent()
	say := func(o sms.Outbound, body string) {
		t.Helper()
		if err := h.inst.Server.Receive(ctx, sms.Inbound{ProviderID: body, From: o.To, To: o.From, Body: body, ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	for i, o := range sent[:3] {
		say(o, "old reply "+string(rune('a'+i)))
	}

	// Another computer signs in: its first pull applies one page and stops.
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	page, err := h.api.Sync(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !page.More {
		t.Fatal("the history fits one page of one change")
	}
	if _, err := c.ApplyPage(ctx, page); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The next run: the same cache file, a new engine.
	if c, err = cache.Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	var mu gosync.Mutex
	var news []cache.NewInbound
	all := false
	e := sync.New(sync.Config{Cache: c, API: h.api, Log: zerolog.Nop(), PageLimit: 2, OnChange: func(s sync.ChangeSummary) {
		mu.Lock()
		defer mu.Unlock()
		news = append(news, s.NewInbound...)
		all = all || s.All
	}})
	if err := e.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(news) != 0 || !all {
		t.Errorf("the rest of a first pull told %d replies as news, all changed %v: want none, and all", len(news), all)
	}
	news = nil
	mu.Unlock()
	if up, err := c.CaughtUp(ctx); err != nil || !up {
		t.Fatalf("caught up after the pull: %v, %v", up, err)
	}

	say(sent[0], "a new reply")
	if err := e.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(news) != 1 || news[0].Body != "a new reply" {
		t.Fatalf("after the first pull: news %+v, want the new reply", news)
	}
}
