package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

const busyBody = `{"error":{"code":"server_busy","message":"the campaign server is busy; trying again in a moment may work"}}`

// busyServer answers the first busy requests 503 server_busy (Retry-After
// 1), then what ok writes; it counts every request.
func busyServer(t *testing.T, busy int32, status int, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= busy {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(busyBody))
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestOneOffCallsAskAgainWhenBusy: a sign-in the server turned away as busy
// (it did nothing with it) is asked again after a short wait and succeeds;
// a server busy past the tries gives its busy words; other refusals, and
// the sync engine's own calls, are asked once.
func TestOneOffCallsAskAgainWhenBusy(t *testing.T) {
	ctx := context.Background()
	t.Run("busy twice, then signed in", func(t *testing.T) {
		srv, n := busyServer(t, 2, 200, `{"token":"tok","user":{"id":"u1","name":"Vera"}}`)
		began := time.Now()
		// The window hears of each wait, to say "Server busy, trying again".
		var waits []time.Duration
		ctx := api.OnBusyRetry(ctx, func(d time.Duration) { waits = append(waits, d) })
		out, err := api.NewClient(srv.URL, srv.Client()).Login(ctx, api.LoginRequest{Email: "vera@example.org", Password: "a long passphrase"})
		if err != nil || out.Token != "tok" || n.Load() != 3 {
			t.Fatalf("login = %+v, %v after %d requests; want signed in on the third", out, err, n.Load())
		}
		if len(waits) != 2 || waits[0] < 500*time.Millisecond || waits[0] > time.Second {
			t.Fatalf("busy waits heard %v, want two of 0.5-1 s", waits)
		}
		// Two waits of half to all of Retry-After (1 s).
		if took := time.Since(began); took < time.Second || took > 5*time.Second {
			t.Fatalf("took %v, want two waits of 0.5-1 s", took)
		}
	})
	t.Run("busy every time", func(t *testing.T) {
		srv, n := busyServer(t, 100, 200, `{}`)
		_, err := api.NewClient(srv.URL, srv.Client()).Join(ctx, "123456")
		if !errors.Is(err, api.ErrServerBusy) || n.Load() != 3 {
			t.Fatalf("join = %v after %d requests; want busy after 3", err, n.Load())
		}
		// Past the tries, plain words: not the server's offer to try again
		// in a moment, which the app has spent.
		var ae *api.APIError
		if msg := err.Error(); !errors.As(err, &ae) || !strings.Contains(msg, "still busy after 3 tries") || strings.Contains(msg, "trying again in a moment") {
			t.Fatalf("join's words %q; want that the server is still busy after the tries", msg)
		}
	})
	t.Run("a busy answer that took the whole budget is not asked again", func(t *testing.T) {
		// As the server's sign-in queue answers: busy only after the
		// request waited its whole turn.
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			time.Sleep(300 * time.Millisecond)
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(busyBody))
		}))
		t.Cleanup(srv.Close)
		c := api.NewClient(srv.URL, srv.Client())
		api.SetBusyBudget(c, 250*time.Millisecond)
		_, err := c.Login(ctx, api.LoginRequest{Email: "vera@example.org", Password: "a long passphrase"})
		if !errors.Is(err, api.ErrServerBusy) || n.Load() != 1 {
			t.Fatalf("login = %v after %d requests; want busy after 1", err, n.Load())
		}
		if msg := err.Error(); !strings.Contains(msg, "still busy after a long wait") {
			t.Fatalf("login's words %q; want that the server is still busy after a long wait", msg)
		}
		// A budget that holds one more wait (0.5-1 s at Retry-After 5, capped
		// at 2 s, halved) asks once more, and no third time.
		n.Store(0)
		api.SetBusyBudget(c, 300*time.Millisecond+2100*time.Millisecond)
		if _, err := c.Login(ctx, api.LoginRequest{Email: "vera@example.org", Password: "a long passphrase"}); !strings.Contains(errText(err), "still busy after 2 tries") || n.Load() != 2 {
			t.Fatalf("login = %v after %d requests; want busy after 2", err, n.Load())
		}
	})
	t.Run("another refusal is not asked again", func(t *testing.T) {
		srv, n := busyServer(t, 0, 401, `{"error":{"code":"bad_credentials","message":"Wrong email or password"}}`)
		_, err := api.NewClient(srv.URL, srv.Client()).Login(ctx, api.LoginRequest{Email: "vera@example.org", Password: "wrong"})
		if !api.IsCode(err, api.CodeBadCredentials) || n.Load() != 1 {
			t.Fatalf("login = %v after %d requests; want bad credentials after 1", err, n.Load())
		}
	})
	t.Run("sync and push are the engine's to retry", func(t *testing.T) {
		srv, n := busyServer(t, 100, 200, `{}`)
		c := api.NewClient(srv.URL, srv.Client())
		if _, err := c.Sync(ctx, 0, 0); !errors.Is(err, api.ErrServerBusy) {
			t.Fatalf("sync = %v, want busy", err)
		}
		if _, err := c.PushMutations(ctx, []api.Mutation{{ID: "m1"}}); !errors.Is(err, api.ErrServerBusy) || n.Load() != 2 {
			t.Fatalf("push = %v after %d requests; want busy, each asked once", err, n.Load())
		}
	})
	t.Run("a cancelled wait ends at once", func(t *testing.T) {
		srv, n := busyServer(t, 100, 200, `{}`)
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		began := time.Now()
		_, err := api.NewClient(srv.URL, srv.Client()).Batch(ctx, "a1")
		if !errors.Is(err, api.ErrServerBusy) || n.Load() != 1 || time.Since(began) > time.Second {
			t.Fatalf("batch = %v after %d requests in %v; want busy at once", err, n.Load(), time.Since(began))
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// readsServer answers the first refused requests 429 too_many_requests
// with Retry-After retry, as the server refuses a user's reads past their
// reads in flight, then an empty admin overview; it counts every request.
func readsServer(t *testing.T, refused int32, retry string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= refused {
			w.Header().Set("Retry-After", retry)
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"too_many_requests","message":"2 pulls or Admin section reads of this account are already being answered; try again in 1 second"}}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestAdminReadsAskAgainPastReadsInFlight: an Admin section read refused
// 429 too_many_requests for the user's reads in flight (Retry-After 1) is
// asked again after the wait, as a busy answer is, so the window does not
// show "try again in 1 second" when its refresh meets a pull; a write so
// refused (a proxy's limit: the server refuses no write for reads) and a
// long wait (a proxy's limit) are the user's to read, not asked again.
func TestAdminReadsAskAgainPastReadsInFlight(t *testing.T) {
	ctx := context.Background()
	t.Run("refused twice, then read", func(t *testing.T) {
		srv, n := readsServer(t, 2, "1")
		if _, err := api.NewClient(srv.URL, srv.Client()).AdminOverview(ctx, "c1"); err != nil || n.Load() != 3 {
			t.Fatalf("overview = %v after %d requests; want read on the third", err, n.Load())
		}
	})
	t.Run("refused every time", func(t *testing.T) {
		srv, n := readsServer(t, 100, "1")
		_, err := api.NewClient(srv.URL, srv.Client()).AdminResults(ctx, "c1")
		if !api.IsCode(err, api.CodeTooManyRequests) || n.Load() != 3 || !strings.Contains(errText(err), "still busy after 3 tries") {
			t.Fatalf("results = %v after %d requests; want refused after 3, saying so", err, n.Load())
		}
	})
	t.Run("a write is asked once", func(t *testing.T) {
		srv, n := readsServer(t, 100, "1")
		if _, err := api.NewClient(srv.URL, srv.Client()).SetUnroutableHandled(ctx, "c1", "u1", true); !api.IsCode(err, api.CodeTooManyRequests) || n.Load() != 1 {
			t.Fatalf("mark = %v after %d requests; want refused after 1", err, n.Load())
		}
	})
	t.Run("a long wait is asked once", func(t *testing.T) {
		srv, n := readsServer(t, 100, "120")
		if _, err := api.NewClient(srv.URL, srv.Client()).AdminOverview(ctx, "c1"); !api.IsCode(err, api.CodeTooManyRequests) || n.Load() != 1 {
			t.Fatalf("overview = %v after %d requests; want refused after 1", err, n.Load())
		}
	})
}
