package sync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sync"
)

// TestBareProxy429IsHonoured: a reverse proxy answering every request with
// a bare 429 and Retry-After: 1 (no Textbank body) reads as "slow down",
// and neither the rounds nor the event stream ask again sooner than it
// said, though the engine's own backoff is 10 ms.
func TestBareProxy429IsHonoured(t *testing.T) {
	var streams, rounds atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/events" {
			streams.Add(1)
		} else {
			rounds.Add(1)
		}
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := cache.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	eng := sync.New(sync.Config{Cache: c, API: api.NewClient(srv.URL, srv.Client()), Log: zerolog.Nop(),
		PollInterval: 10 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 10 * time.Millisecond})
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	time.Sleep(1500 * time.Millisecond)
	st := eng.Status()
	cancel()
	<-done
	// In 1.5 s: the first ask and one after the 1 s wait, each.
	if n := streams.Load(); n > 2 {
		t.Errorf("%d event streams asked for; Retry-After: 1 allows 2", n)
	}
	if n := rounds.Load(); n > 2 {
		t.Errorf("%d sync requests; Retry-After: 1 allows 2", n)
	}
	if !st.Throttled || !strings.Contains(st.LastError, "slow down") {
		t.Errorf("status %+v; want throttled, in slow-down words", st)
	}
}
