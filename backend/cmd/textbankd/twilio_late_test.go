package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/testlog"
)

const lateSID, lateToken = "AC0123456789abcdef0123456789abcdef", "5ecret5ecret5ecret5ecret5ecret55"

// quickTwilioChecks shortens the start wait and the background re-checks
// for one test.
func quickTwilioChecks(t *testing.T) {
	start, lo, hi := twilioStartWait, twilioRecheckMin, twilioRecheckMax
	twilioStartWait, twilioRecheckMin, twilioRecheckMax = 100*time.Millisecond, 20*time.Millisecond, 40*time.Millisecond
	t.Cleanup(func() { twilioStartWait, twilioRecheckMin, twilioRecheckMax = start, lo, hi })
}

// slowTwilio is the Fetch Account stand-in (twilioAccount) behind a
// gate: the first `unavailable` requests are answered 503 (Twilio's
// trouble), and every answer waits until release is closed (a slow or
// stalled Twilio). asked counts the requests, dropped those the caller
// gave up on while held.
type slowTwilio struct {
	url     string
	release chan struct{}
	asked   atomic.Int32
	dropped atomic.Int32
}

func newSlowTwilio(t *testing.T, token string, unavailable int32, held bool) *slowTwilio {
	t.Helper()
	s := &slowTwilio{release: make(chan struct{})}
	if !held {
		close(s.release)
	}
	account := twilioAccount(lateSID, token)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.asked.Add(1)
		select {
		case <-s.release:
		case <-r.Context().Done():
			s.dropped.Add(1)
			return
		}
		if n <= unavailable {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"code": 20500, "message": "Service unavailable", "status": 503}`)
			return
		}
		account(w, r)
	}))
	s.url = ts.URL
	t.Cleanup(ts.Close)
	// Before ts.Close (cleanups run last first): a held answer must not
	// keep Close waiting.
	t.Cleanup(func() { s.open() })
	return s
}

func (s *slowTwilio) open() {
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

// startServe runs serve --provider twilio against apiURL; done gets its
// exit code.
func startServe(t *testing.T, ctx context.Context, apiURL string) (*testlog.Buffer, chan int) {
	t.Helper()
	logs := &testlog.Buffer{}
	done := make(chan int, 1)
	ctx, cancel := context.WithCancel(ctx)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "data"),
			"--provider", "twilio", "--twilio-account-sid", lateSID, "--public-url", "https://texts.example.org",
			"--twilio-api-url", apiURL}, io.Discard, logs, envOf(map[string]string{"TEXTBANK_TWILIO_AUTH_TOKEN": lateToken}))
	}()
	// Serve ended before quickTwilioChecks puts its waits back (cleanups
	// run last first): a test that failed early, serve still starting,
	// would otherwise race it for them.
	t.Cleanup(func() {
		cancel()
		select {
		case <-ended:
		case <-time.After(time.Minute):
			t.Error("serve did not stop within a minute of its test's end")
		}
	})
	return logs, done
}

// serveStartWait bounds a test's wait for serve to say it serves: not a
// timing goal (make bench has those), only a bound for a start that hangs,
// so a machine loaded by other suites does not fail a start that came.
const serveStartWait = time.Minute

// awaitLog waits until the log says want; serve must not stop meanwhile.
func awaitLog(t *testing.T, logs *testlog.Buffer, done chan int, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(logs.String(), want) {
		select {
		case code := <-done:
			t.Fatalf("serve stopped (exit %d) before the log said %q: %s", code, want, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log did not say %q within %s: %s", want, within, logs.String())
		}
	}
}

// TestServeDoesNotWaitForASlowTwilio: a Twilio that has not answered the
// account check does not keep the server from serving past the short start
// wait; its refusal arriving later stops the server non-zero, naming what
// to fix (never the token), as a start would have.
func TestServeDoesNotWaitForASlowTwilio(t *testing.T) {
	quickTwilioChecks(t)
	tw := newSlowTwilio(t, "another0token0another0token0abcd", 0, true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs, done := startServe(t, ctx, tw.url)
	awaitLog(t, logs, done, "textbankd serving", serveStartWait)
	if !strings.Contains(logs.String(), "Twilio has not answered the account check yet") {
		t.Errorf("the log does not say Twilio has not answered yet: %s", logs.String())
	}
	tw.open() // Twilio answers now: 401, 20003
	select {
	case code := <-done:
		if code != exitRefused {
			t.Fatalf("serve stopped with exit %d after Twilio refused the credentials; want %d, which its supervisor does not restart", code, exitRefused)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("still serving after Twilio refused the credentials: %s", logs.String())
	}
	out := logs.String()
	for _, want := range []string{"after the server had started", `"level":"error"`, "do not go together", lateSID, "Twilio Console"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q: %s", want, out)
		}
	}
	if strings.Contains(out, lateToken) {
		t.Errorf("the log shows the auth token: %s", out)
	}
}

// TestStoppingServeCancelsTheAccountCheck: serve stopping while Twilio
// has not answered the account check cancels the request, rather than
// leaving it running up to twilio-go's 15 s after serve has returned.
func TestStoppingServeCancelsTheAccountCheck(t *testing.T) {
	quickTwilioChecks(t)
	tw := newSlowTwilio(t, lateToken, 0, true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs, done := startServe(t, ctx, tw.url)
	awaitLog(t, logs, done, "textbankd serving", serveStartWait)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve stopped with exit %d: %s", code, logs.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
	deadline := time.Now().Add(2 * time.Second)
	for tw.dropped.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the account check (%d asked) still runs 2 s after serve stopped", tw.asked.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServeChecksTwilioAgainUntilItAnswers: a Twilio that answers 503 at
// start is asked again in the background; its later 401 stops the server.
// One that answers in time with the right credentials leaves it serving.
func TestServeChecksTwilioAgainUntilItAnswers(t *testing.T) {
	quickTwilioChecks(t)
	t.Run("refused later", func(t *testing.T) {
		tw := newSlowTwilio(t, "another0token0another0token0abcd", 2, false)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		logs, done := startServe(t, ctx, tw.url)
		select {
		case code := <-done:
			if code == 0 {
				t.Fatal("exit 0 after Twilio refused the credentials")
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("still serving after Twilio came back refusing the credentials: %s", logs.String())
		}
		out := logs.String()
		if !strings.Contains(out, "textbankd serving") || !strings.Contains(out, "checking again in the background") {
			t.Errorf("want it served, saying it checks again, before stopping: %s", out)
		}
		if n := tw.asked.Load(); n != 3 {
			t.Errorf("Twilio asked %d times; want the two 503s and the 401", n)
		}
	})
	t.Run("accepted later", func(t *testing.T) {
		tw := newSlowTwilio(t, lateToken, 1, false)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		logs, done := startServe(t, ctx, tw.url)
		awaitLog(t, logs, done, "Twilio accepted the account SID and auth token", serveStartWait)
		time.Sleep(100 * time.Millisecond) // a few re-check periods: no more asking once answered
		if n := tw.asked.Load(); n != 2 {
			t.Errorf("Twilio asked %d times; want the 503 and the answer", n)
		}
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("exit %d after a clean stop: %s", code, logs.String())
		}
	})
}
