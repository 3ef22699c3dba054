package client_test

import (
	"context"
	"encoding/json"
	"fmt"
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
			failPush(w)
		case "/api/v1/sync":
			_, _ = io.WriteString(w, `{"changes":[],"cursor":3,"more":false}`)
		case "/api/v1/events":
			holdStream(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close) // after the client, which holds a stream open
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	var skew atomic.Int64 // the outbox's clock ahead of the wall's
	c := startWithReply(t, dir, srv.URL, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
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

// TestDiscardAReplyTheServerSavedAfterAll: a server that saves the reply
// and answers 500 all the same (a fault after its commit); its pull brings
// the reply back as sent. Discard then discards nothing: it says so in
// words, the reply shows sent, and the outbox is empty.
func TestDiscardAReplyTheServerSavedAfterAll(t *testing.T) {
	ctx := context.Background()
	var saved atomic.Pointer[api.Mutation]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/mutations":
			var req api.MutationsRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err == nil && len(req.Mutations) > 0 {
				saved.Store(&req.Mutations[0])
			}
			failPush(w)
		case "/api/v1/sync":
			m := saved.Load()
			if m == nil || r.URL.Query().Get("cursor") == "4" {
				_, _ = fmt.Fprintf(w, `{"changes":[],"cursor":%s,"more":false}`, r.URL.Query().Get("cursor"))
				return
			}
			data, _ := json.Marshal(api.Message{ID: m.MessageID, ThreadID: "k1", Direction: api.DirOutbound, Body: m.Body, Status: api.StatusSent, CreatedAt: m.CreatedAt})
			_ = json.NewEncoder(w).Encode(api.SyncResponse{Cursor: 4, Changes: []api.Change{{Version: 4, Kind: api.KindMessage, ID: m.MessageID, Data: data}}})
		case "/api/v1/events":
			holdStream(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close) // after the client, which holds a stream open
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	var skew atomic.Int64
	c := startWithReply(t, dir, srv.URL, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
	var item client.PendingMutation
	deadline := time.Now().Add(10 * time.Second)
	for !item.Discardable {
		if time.Now().After(deadline) {
			t.Fatalf("%+v: never discardable", item)
		}
		time.Sleep(10 * time.Millisecond)
		items, err := c.Outbox(ctx)
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox %+v %v; want the reply", items, err)
		}
		if item = items[0]; item.Faults > 0 && skew.Load() == 0 {
			skew.Add(int64(cache.FaultSpan))
		}
	}
	const after = "Nothing was discarded: the campaign server saved this change after all, so it is shown as the server has it, and the changes after it are on their way"
	if err := c.DiscardFailing(ctx, item.ID); err == nil || err.Error() != after {
		t.Fatalf("discard a saved reply: %v; want %q", err, after)
	}
	if items, err := c.Outbox(ctx); err != nil || len(items) != 0 {
		t.Fatalf("outbox %+v %v; want empty", items, err)
	}
	v, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	last := v.Messages[len(v.Messages)-1]
	if last.Body != "Hello Ada" || last.Status != api.StatusSent || last.Error != "" || last.Pending {
		t.Fatalf("the saved reply %+v; want sent, as the server has it", last)
	}
}

// TestDiscardAChangeWaitingOffline: a change that waits because the
// server cannot be reached, however long and often, may not be discarded.
func TestDiscardAChangeWaitingOffline(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now: offline
	dir := t.TempDir()
	cacheWithSession(t, dir, url)
	c := startWithReply(t, dir, url, func() time.Time { return time.Now().Add(24 * time.Hour) })
	deadline := time.Now().Add(10 * time.Second)
	for {
		items, err := c.Outbox(ctx)
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox %+v %v; want the reply", items, err)
		}
		if items[0].Faults != 0 || items[0].Discardable {
			t.Fatalf("%+v: offline counted as the server's fault", items[0])
		}
		if st := c.Status(ctx); st.Connection == "offline" {
			const stillOnItsWay = "Only a change the campaign server has failed to save for some minutes can be discarded; this one is still on its way"
			if err := c.DiscardFailing(ctx, items[0].ID); err == nil || err.Error() != stillOnItsWay {
				t.Fatalf("discard a change waiting offline: %v; want %q", err, stillOnItsWay)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never offline")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if items, err := c.Outbox(ctx); err != nil || len(items) != 1 || items[0].Rejected {
		t.Fatalf("outbox %+v %v; want the reply still waiting", items, err)
	}
	if v, err := c.Thread(ctx, "k1"); err != nil || !v.Messages[len(v.Messages)-1].Pending {
		t.Fatalf("thread %+v %v; want the reply still pending", v, err)
	}
}

// startWithReply starts a client on the cache in dir, talking to serverURL
// with quick retries and the outbox's clock now (the wall's if nil), and
// queues a reply to k1 ("Hello Ada"); it is closed with the test.
func startWithReply(t *testing.T, dir, serverURL string, now func() time.Time) *client.Client {
	t.Helper()
	c := started(t, client.Config{DataDir: dir, ServerURL: serverURL, Log: zerolog.Nop(),
		PollInterval: 20 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 20 * time.Millisecond, Now: now})
	if err := c.SendReply(context.Background(), "k1", "Hello Ada", ""); err != nil {
		t.Fatal(err)
	}
	return c
}

// failPush answers a push as the server does a fault of its own.
func failPush(w http.ResponseWriter) {
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = io.WriteString(w, `{"error":{"code":"internal","message":"the server failed to handle POST /api/v1/mutations; try again"}}`)
}

// holdStream opens an event stream and keeps it, silent, until the client
// goes.
func holdStream(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}
