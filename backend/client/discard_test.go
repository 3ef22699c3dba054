package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
)

// TestDiscardAReplyTheServerKeepsFailing: a server that fails every push
// with a fault of its own; the Outbox offers to discard the reply once it
// has failed cache.FaultsBeforeDiscard times over cache.FaultSpan, not
// before, and discarding
// it leaves it in its thread marked not sent and the outbox empty. Bad
// ids are refused in words.
func TestDiscardAReplyTheServerKeepsFailing(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/mutations":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"code":"internal","message":"the server failed to handle POST /api/v1/mutations; try again"}}`)
		case "/api/v1/sync":
			_, _ = io.WriteString(w, `{"changes":[],"cursor":3,"more":false}`)
		case "/api/v1/events":
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	var skew atomic.Int64 // the outbox's clock ahead of the wall's
	c, err := client.New(client.Config{DataDir: dir, ServerURL: srv.URL, Log: zerolog.Nop(),
		PollInterval: 20 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 20 * time.Millisecond,
		Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendReply(ctx, "k1", "Hello Ada", ""); err != nil {
		t.Fatal(err)
	}
	outbox := func() client.PendingMutation {
		t.Helper()
		items, err := c.Outbox(ctx)
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox %+v %v; want the reply", items, err)
		}
		return items[0]
	}
	first := outbox()
	const stillOnItsWay = "Only a change the campaign server has failed to save for some minutes can be discarded; this one is still on its way"
	deadline := time.Now().Add(10 * time.Second)
	for item := outbox(); item.Faults < cache.FaultsBeforeDiscard; item = outbox() {
		if time.Now().After(deadline) {
			t.Fatalf("%+v: faults never counted", item)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Failed for seconds, however often: not yet.
	if item := outbox(); item.Discardable {
		t.Fatalf("%+v: discardable after seconds", item)
	}
	if err := c.DiscardFailing(ctx, first.ID); err == nil || err.Error() != stillOnItsWay {
		t.Fatalf("discard too soon: %v; want %q", err, stillOnItsWay)
	}
	skew.Add(int64(cache.FaultSpan))
	for item := outbox(); !item.Discardable; item = outbox() {
		if time.Now().After(deadline) {
			t.Fatalf("%+v: never discardable", item)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if item := outbox(); item.Faults < cache.FaultsBeforeDiscard || item.Rejected {
		t.Fatalf("%+v; want pending with %d faults or more", item, cache.FaultsBeforeDiscard)
	}
	const stuck = "The campaign server could not save one of your changes, and the ones after it wait. The Outbox lets you discard it."
	for st := c.Status(ctx); st.Problem != stuck; st = c.Status(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("status %+v; want the problem to send the volunteer to the Outbox", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := c.DiscardFailing(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if items, err := c.Outbox(ctx); err != nil || len(items) != 0 {
		t.Fatalf("outbox after discarding %+v %v; want empty", items, err)
	}
	v, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	last := v.Messages[len(v.Messages)-1]
	if last.Body != "Hello Ada" || last.Status != api.StatusFailed || last.Error != client.DiscardedWords || last.Pending {
		t.Fatalf("the discarded reply %+v; want kept, not sent, saying why", last)
	}
	const gone = "That change is no longer waiting: it has reached the campaign server or was discarded already"
	for _, id := range []string{first.ID, "no-such-change", ""} {
		if err := c.DiscardFailing(ctx, id); err == nil || err.Error() != gone {
			t.Fatalf("discard %q: %v; want %q", id, err, gone)
		}
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("status %+v; want nothing waiting", st)
	}
}
