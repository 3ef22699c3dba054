package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/testlog"
)

// unopenedClient is a client on dir whose Start failed, as it does at
// launch: its error is returned, not fatal.
func unopenedClient(t *testing.T, url, dir string, log *testlog.Buffer) (*client.Client, error) {
	t.Helper()
	c, err := client.New(client.Config{DataDir: dir, ServerURL: url, Log: zerolog.New(log), Notify: func(client.Event) {},
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, c.Start(context.Background())
}

// A cache that cannot be opened at launch (here its file is a folder,
// which fails for root too) no longer ends the app (main.go exited, and a
// volunteer who started it from a menu saw nothing): Start says why in
// words, the window's status says so (Unopened, the Problem), each call
// says so too, the cause is logged once, and once the cause is gone the
// next call opens it, without a restart.
func TestStartWithAnUnopenableCacheSaysSoAndHeals(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, cache.FileName, "kept"), 0o700); err != nil {
		t.Fatal(err)
	}
	var logged testlog.Buffer
	c, err := unopenedClient(t, inst.URL, dir, &logged)
	const words = "Textbank could not open this computer's copy of your inbox. Try again in a moment"
	if err == nil || !strings.HasPrefix(err.Error(), words) {
		t.Fatalf("Start: %v, want the words %q", err, words)
	}
	for range 3 {
		st := c.Status(ctx)
		if !st.Unopened || !strings.HasPrefix(st.Problem, words) || st.SignedIn {
			t.Fatalf("status while the cache cannot be opened: %+v", st)
		}
	}
	if _, err := c.Campaigns(ctx); err == nil || !strings.HasPrefix(err.Error(), words) {
		t.Errorf("a call while the cache cannot be opened: %v", err)
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err == nil || !strings.HasPrefix(err.Error(), words) {
		t.Errorf("signing in while the cache cannot be opened: %v", err)
	}
	if shown, fault := client.Explain(err); !strings.HasPrefix(shown.Error(), words) || !fault {
		t.Errorf("explained: %v (fault %t)", shown, fault)
	}
	if n := strings.Count(logged.String(), "could not open the cache"); n != 1 || !strings.Contains(logged.String(), "is a directory") {
		t.Errorf("logged %d times, with the cause?\n%s", n, logged.String())
	}
	if _, err := os.Stat(filepath.Join(dir, cache.FileName, "kept")); err != nil {
		t.Errorf("what stood in the cache's place was touched: %v", err)
	}

	if err := os.RemoveAll(filepath.Join(dir, cache.FileName)); err != nil {
		t.Fatal(err)
	}
	st := c.Status(ctx)
	if st.Unopened || st.Problem != "" {
		t.Fatalf("status once the cause is gone: %+v", st)
	}
	// The window merges each status into the last: a false left out would
	// keep the words on screen.
	if raw, _ := json.Marshal(st); !strings.Contains(string(raw), `"unopened":false`) {
		t.Errorf("status JSON %s; want unopened sent when false", raw)
	}
	signInAndJoin(t, c)
	if camps, err := c.Campaigns(ctx); err != nil || len(camps) == 0 {
		t.Errorf("campaigns once healed: %v %v", camps, err)
	}
}

// A volunteer's cache that cannot be opened for a while (here its
// write-ahead log's name is taken by a folder) keeps everything: once the
// cause is gone, the next call resumes the saved sign-in with the inbox
// as it was.
func TestStartWithAnUnopenableCacheResumesTheSavedSignIn(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	first, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, first)
	camps, err := first.Campaigns(ctx)
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns %v %v", camps, err)
	}
	first.Close()
	blocker := filepath.Join(dir, cache.FileName+"-wal")
	if err := os.MkdirAll(filepath.Join(blocker, "kept"), 0o700); err != nil {
		t.Fatal(err)
	}
	var logged testlog.Buffer
	c, err := unopenedClient(t, inst.URL, dir, &logged)
	if err == nil {
		t.Fatal("Start opened a cache whose write-ahead log is a folder")
	}
	if st := c.Status(ctx); !st.Unopened || st.SignedIn {
		t.Fatalf("status while the cache cannot be opened: %+v", st)
	}
	if err := os.RemoveAll(blocker); err != nil {
		t.Fatal(err)
	}
	st := c.Status(ctx)
	if !st.SignedIn || st.User == nil || st.User.Email != demo.VolunteerEmail || st.Unopened {
		t.Fatalf("status once the cause is gone: %+v, want the saved sign-in resumed", st)
	}
	if got, err := c.Campaigns(ctx); err != nil || len(got) != len(camps) {
		t.Errorf("campaigns once healed: %v %v, want %d", got, err, len(camps))
	}
}

// A damaged cache file is said to be damaged, and left as it is: never
// opened as a new cache, never deleted. Set aside by the volunteer (or
// whoever helps them), the next call starts with a new one.
func TestStartWithADamagedCacheLeavesItAlone(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, cache.FileName)
	damaged := bytes.Repeat([]byte("not a database, but somebody's bytes\n"), 200)
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	var logged testlog.Buffer
	c, err := unopenedClient(t, inst.URL, dir, &logged)
	const words = "Textbank could not read its copy of your inbox on this computer: the file is damaged."
	if err == nil || !strings.HasPrefix(err.Error(), words) {
		t.Fatalf("Start: %v, want %q", err, words)
	}
	for range 3 {
		if st := c.Status(ctx); !st.Unopened || !strings.HasPrefix(st.Problem, words) {
			t.Fatalf("status: %+v", st)
		}
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err == nil {
		t.Fatal("signed in over a damaged cache")
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, damaged) {
		t.Fatalf("the damaged file was changed (%v)", err)
	}
	if err := os.Rename(path, path+".damaged"); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(ctx); st.Unopened || st.Problem != "" || st.SignedIn {
		t.Errorf("status once the file is set aside: %+v", st)
	}
}

// Closed (the app quitting), a client whose start failed opens nothing
// when a late call comes: it says it is not started.
func TestClosedUnopenedClientOpensNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, cache.FileName)
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	var logged testlog.Buffer
	c, err := unopenedClient(t, "http://127.0.0.1:9", dir, &logged)
	if err == nil {
		t.Fatal("Start opened a cache file that is a folder")
	}
	c.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Campaigns(ctx); !errors.Is(err, client.ErrStarting) {
		t.Errorf("a call after Close: %v, want ErrStarting", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a call after Close made the cache file (%v)", err)
	}
}
