package sync_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	gosync "sync"
	"sync/atomic"
	"testing"
)

// gate is a reverse proxy in front of the real server that can play dead:
// while down it drops every connection without an answer (what a client
// sees when the server is gone), and it can lose the answer to a push after
// the server has applied it (what a client sees when the network dies
// mid-request).
type gate struct {
	srv   *httptest.Server
	proxy *httputil.ReverseProxy
	down  atomic.Bool
	// busy answers every request as a server at its connection cap does
	// (503 server_busy, Retry-After: 1); setting it cuts the open streams.
	busy atomic.Bool
	// dropPushAnswers is how many POST /mutations answers to lose.
	dropPushAnswers atomic.Int32
	// throttlePushes is how many POST /mutations to refuse as the server's
	// push limit does (429, Retry-After: 1), without passing them on.
	throttlePushes atomic.Int32
	pushes         atomic.Int32
	// failPushes answers every POST /mutations as the server does a fault
	// of its own (500 internal), without passing it on.
	failPushes atomic.Bool
	// poison, when set, answers as failPushes does every POST /mutations
	// whose body holds it (a message id): a change the server fails every
	// time, pushed with others or alone.
	poison atomic.Pointer[string]
	// savePoison, when set, passes on every POST /mutations whose body
	// holds it, so the server applies it, and answers 500 internal all the
	// same: a server whose fault comes after its commit.
	savePoison atomic.Pointer[string]
	// failSyncs answers every GET /sync as the server does a fault of its
	// own: with failPushes, a server failing everything (an outage).
	failSyncs atomic.Bool
	// throttleStreams is how many GET /events to refuse as a proxy's
	// request limit does (a bare 429, Retry-After: 1).
	throttleStreams atomic.Int32
	// hold, when set, keeps the next sync page: the server answers at
	// once, and the answer reaches the client only when hold.release is
	// closed (a page that was on the wire while something else happened).
	hold  atomic.Pointer[heldPage]
	syncs atomic.Int32
	// onSync, when set, runs after the server answered a sync page and
	// before the answer goes to the client.
	onSync atomic.Pointer[func()]

	mu      gosync.Mutex
	streams map[*context.CancelFunc]struct{}
}

func newGate(t *testing.T, upstream string) *gate {
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{proxy: httputil.NewSingleHostReverseProxy(u), streams: map[*context.CancelFunc]struct{}{}}
	g.proxy.ErrorLog = log.New(io.Discard, "", 0)
	g.srv = httptest.NewServer(g)
	t.Cleanup(func() {
		g.setDown(true)
		g.srv.CloseClientConnections()
		g.srv.Close()
	})
	return g
}

func (g *gate) URL() string { return g.srv.URL }

// setBusy answers every request busy (true) or passes them on again.
func (g *gate) setBusy(busy bool) {
	g.busy.Store(busy)
	if busy {
		g.mu.Lock()
		for c := range g.streams {
			(*c)()
		}
		g.mu.Unlock()
	}
}

// setDown plays dead (true) or comes back (false). Going down also cuts the
// open event streams.
func (g *gate) setDown(down bool) {
	g.down.Store(down)
	if down {
		g.mu.Lock()
		for c := range g.streams {
			(*c)()
		}
		g.mu.Unlock()
		g.srv.CloseClientConnections()
	}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.down.Load() {
		hangUp(w)
		return
	}
	if g.busy.Load() {
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error":{"code":"server_busy","message":"the campaign server is too busy to take another connection right now; try again in a moment"}}`)
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == "/api/v1/sync" {
		g.syncs.Add(1)
		if f := g.onSync.Load(); f != nil {
			rec := httptest.NewRecorder()
			g.proxy.ServeHTTP(rec, r)
			(*f)()
			relay(w, rec)
			return
		}
		if h := g.hold.Swap(nil); h != nil {
			rec := httptest.NewRecorder()
			g.proxy.ServeHTTP(rec, r)
			close(h.fetched)
			<-h.release
			relay(w, rec)
			return
		}
	}
	if r.URL.Path == "/api/v1/events" && g.throttleStreams.Load() > 0 {
		g.throttleStreams.Add(-1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if r.URL.Path == "/api/v1/sync" && g.failSyncs.Load() {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"error":{"code":"internal","message":"the server failed to handle GET /api/v1/sync; try again"}}`)
		return
	}
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/mutations" {
		g.pushes.Add(1)
		poisoned := false
		if p := g.poison.Load(); p != nil {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			poisoned = bytes.Contains(body, []byte(*p))
		}
		if p := g.savePoison.Load(); p != nil {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if bytes.Contains(body, []byte(*p)) {
				rec := httptest.NewRecorder()
				g.proxy.ServeHTTP(rec, r)
				poisoned = true
			}
		}
		if g.failPushes.Load() || poisoned {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"code":"internal","message":"the server failed to handle POST /api/v1/mutations; try again"}}`)
			return
		}
		if g.throttlePushes.Load() > 0 {
			g.throttlePushes.Add(-1)
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"error":{"code":"too_many_requests","message":"too many changes sent too fast; they are kept, try again in 1 second"}}`)
			return
		}
		if g.dropPushAnswers.Load() > 0 {
			g.dropPushAnswers.Add(-1)
			// Let the server apply it, then lose its answer.
			rec := httptest.NewRecorder()
			g.proxy.ServeHTTP(rec, r)
			hangUp(w)
			return
		}
	}
	ctx, cancel := context.WithCancel(r.Context())
	g.mu.Lock()
	g.streams[&cancel] = struct{}{}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.streams, &cancel)
		g.mu.Unlock()
		cancel()
	}()
	g.proxy.ServeHTTP(w, r.WithContext(ctx))
}

// relay writes an answer recorded from the server to the client.
func relay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

type heldPage struct{ fetched, release chan struct{} }

// holdNextSync keeps the next sync page on the wire until release is closed;
// fetched is closed once the server has answered it.
func (g *gate) holdNextSync() (fetched, release chan struct{}) {
	h := &heldPage{fetched: make(chan struct{}), release: make(chan struct{})}
	g.hold.Store(h)
	return h.fetched, h.release
}

func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}
