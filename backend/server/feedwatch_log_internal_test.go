package server

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/testlog"
)

// downStore's feed listener cannot connect fails times (a database that
// is down), then listens until ctx ends.
type downStore struct {
	store.Store
	mu        sync.Mutex
	fails     int
	listening chan struct{}
}

func (d *downStore) ListenFeed(ctx context.Context, l store.Listeners) error {
	d.mu.Lock()
	if d.fails > 0 {
		d.fails--
		d.mu.Unlock()
		return errors.New("dial tcp 10.0.0.5:5432: connect: connection refused")
	}
	d.mu.Unlock()
	l.Ready()
	close(d.listening)
	<-ctx.Done()
	return ctx.Err()
}

// TestFeedListenerOutageLogsOnceAndRecovery: a database down for a while
// (each reconnection a second apart in production) gives one warning that
// the listener lost its connection, not one a second, and a line when it
// listens again, which is what an operator watching the log waits for.
func TestFeedListenerOutageLogsOnceAndRecovery(t *testing.T) {
	var down *downStore
	s, logs := loggingServer(t, func(st store.Store) store.Store {
		down = &downStore{Store: st, fails: 5, listening: make(chan struct{})}
		return down
	})
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan struct{})
	go func() { s.WatchFeed(ctx, time.Millisecond); close(watched) }()
	select {
	case <-down.listening:
	case <-time.After(10 * time.Second):
		t.Fatal("the listener never listened")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "feed listener: listening again") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-watched
	got := logs.String()
	if n := strings.Count(got, "feed listener: connection lost"); n != 1 {
		t.Errorf("%d \"connection lost\" lines for one outage, want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "feed listener: listening again") || !strings.Contains(got, `"failures":5`) {
		t.Errorf("no \"listening again\" line counting 5 failures:\n%s", got)
	}
}

// failingAnalyzer's looks for grown tables all fail, as on a database
// that is down.
type failingAnalyzer struct {
	store.Store
	looks chan struct{}
}

func (f failingAnalyzer) AnalyzeGrown(context.Context) ([]string, error) {
	select {
	case f.looks <- struct{}{}:
	default:
	}
	return nil, errors.New("list grown tables: connection refused")
}

// TestAnalyzerOutageWarnsOnce: the analyzer looks every second; a
// database down for an hour must not give 3,600 warnings.
func TestAnalyzerOutageWarnsOnce(t *testing.T) {
	var fa failingAnalyzer
	s, logs := loggingServer(t, func(st store.Store) store.Store {
		fa = failingAnalyzer{Store: st, looks: make(chan struct{})}
		return fa
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.RunAnalyzer(ctx); close(done) }()
	for range 3 {
		select {
		case <-fa.looks:
		case <-time.After(10 * time.Second):
			t.Fatal("the analyzer stopped looking")
		}
	}
	<-fa.looks // the third look's warning, if any, is written
	cancel()
	<-done
	if n := strings.Count(logs.String(), "analyze grown tables"); n != 1 {
		t.Errorf("%d warnings for 3 failed looks in a row, want 1:\n%s", n, logs.String())
	}
}

// loggingServer is a server on a fresh SQLite file seen through wrap, and
// the log it writes at info level.
func loggingServer(t *testing.T, wrap func(store.Store) store.Store) (*Server, *testlog.Buffer) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	netw := simnet.New(simnet.Config{}, zerolog.Nop())
	t.Cleanup(netw.Close)
	logs := &testlog.Buffer{}
	s, err := New(Config{Store: wrap(st), Provider: netw, Log: zerolog.New(logs).Level(zerolog.InfoLevel)})
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}
