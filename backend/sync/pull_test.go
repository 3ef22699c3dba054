package sync_test

import (
	"context"
	"fmt"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sync"
)

func TestPullInSmallPagesAppliesEverythingOnce(t *testing.T) {
	ctx := context.Background()
	// Contacts answer after an hour: the server holds still while we compare.
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, MinDelay: time.Hour, MaxDelay: time.Hour}, pageLimit: 2})
	q := h.batch()
	for _, a := range q[:4] {
		h.send(a)
	}
	eventually(t, "sends pushed", 10*time.Second, func() bool { return h.pending() == 0 })

	// snapshot is everything the inbox shows, as text.
	snapshot := func(c *cache.Cache) string {
		var b strings.Builder
		cur, _ := c.Cursor(ctx)
		camps, _ := c.Campaigns(ctx)
		acts, _ := c.Actions(ctx, h.inst.Info.CampaignID)
		queue, _ := c.Assignments(ctx, h.inst.Info.ActionID)
		counts, _ := c.Counts(ctx, "")
		rows, _ := c.Threads(ctx, cache.ThreadQuery{Filter: "all", Limit: 500})
		fmt.Fprintf(&b, "cursor %d\ncampaigns %v\nactions %v\nqueue %v\ncounts %v\n", cur, camps, acts, queue, counts)
		for _, r := range rows {
			d, _ := c.Thread(ctx, r.ID)
			fmt.Fprintf(&b, "thread %+v\n", r)
			for _, m := range d.Messages {
				fmt.Fprintf(&b, "  message %s %s %q %s initial=%v pending=%v\n", m.ID, m.Direction, m.Body, m.Status, m.Initial, m.Pending)
			}
		}
		return b.String()
	}
	pullFresh := func(limit int) *cache.Cache {
		c, err := cache.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		e := sync.New(sync.Config{Cache: c, API: h.api, Log: zerolog.Nop(), PageLimit: limit})
		if err := e.PullNow(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Texts move from queued to sent just after the push; retry until the
	// server has settled and all three agree on the cursor.
	var small, big, live string
	for try := 0; try < 50; try++ {
		if err := h.engine.PullNow(ctx); err != nil {
			t.Fatal(err)
		}
		live, small, big = snapshot(h.cache), snapshot(pullFresh(1)), snapshot(pullFresh(1000))
		if live == big && small == big {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if small != big {
		t.Fatalf("pages of 1 differ from one page:\n%s\nvs\n%s", small, big)
	}
	if live != big {
		t.Fatalf("the live cache (pages of 2, optimistic sends) differs from a fresh pull:\n%s\nvs\n%s", live, big)
	}
	if want := 4 + demo.SeededThreads(); strings.Count(big, "thread ") != want || strings.Count(big, "initial=true") != want {
		t.Fatalf("want %d threads with one first text each:\n%s", want, big)
	}
}

// A page the server answered before a push was applied, but which lands
// after the push left the outbox, must not show the older state: here the
// volunteer's own settings change flipping back until the next pull.
func TestPagePredatingAPushIsAskedForAgain(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	// Another desktop turns Automatic Archive on...
	on := api.Settings{AutoArchive: true}
	res, err := h.api.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSettings, CreatedAt: time.Now(), Settings: &on}})
	if err != nil || len(res.Results) != 1 || res.Results[0].Status != api.ResultApplied {
		t.Fatalf("other desktop: %+v %v", res, err)
	}
	// ...and this one, not having heard, turns it off.
	if err := h.cache.SetAutoArchive(ctx, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	fetched, release := h.gate.holdNextSync()
	pulled := make(chan error, 1)
	go func() { pulled <- h.engine.PullNow(ctx) }()
	<-fetched // the page says "on", and is on its way
	if err := h.engine.PushNow(ctx); err != nil {
		t.Fatal(err)
	}
	syncsBefore := h.gate.syncs.Load()
	close(release)
	if err := <-pulled; err != nil {
		t.Fatal(err)
	}
	if n := h.gate.syncs.Load() - syncsBefore; n < 1 {
		t.Fatalf("the page that predates the push was applied, not asked for again (%d more syncs)", n)
	}
	if s, err := h.cache.LocalSettings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings after the pull %+v %v: the older page won", s, err)
	}
}

// A volunteer pushing while every page is on the wire cannot starve the
// pull: after three pages a push overtook, the fourth is fetched with
// pushes held back, applied, and the push waiting meanwhile goes through
// right after.
func TestPullIsNotStarvedByPushes(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	var mu gosync.Mutex
	on := false
	pushed := make(chan error, 8)
	overtake := func() {
		mu.Lock()
		on = !on
		v := on
		mu.Unlock()
		if err := h.cache.SetAutoArchive(ctx, v, time.Now()); err != nil {
			t.Error(err)
			return
		}
		// Waited for only while it can land before the page: on the held
		// fetch the push must wait for the page, which waits for this
		// answer. (A sleep of 50 ms was too short once the push syncs
		// the cache first, on a loaded machine.)
		own := make(chan struct{})
		go func() {
			err := h.engine.PushNow(ctx)
			close(own)
			pushed <- err
		}()
		select {
		case <-own:
		case <-time.After(time.Second):
		}
	}
	h.gate.onSync.Store(&overtake)
	syncsBefore := h.gate.syncs.Load()
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.gate.onSync.Store(nil)
	if n := h.gate.syncs.Load() - syncsBefore; n != 4 {
		t.Fatalf("%d fetches of one page; want 3 overtaken and 1 held", n)
	}
	for range 4 {
		select {
		case err := <-pushed:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a push never went through after the held fetch")
		}
	}
	if n := h.pending(); n != 0 {
		t.Fatalf("%d mutations still pending", n)
	}
	if s, err := h.cache.LocalSettings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings %+v %v; the last change (off) should show", s, err)
	}
}
