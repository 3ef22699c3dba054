package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestTokenCacheForgetsAndLapses(t *testing.T) {
	c := newTokenCache(false)
	now := time.Now()
	u := store.User{ID: "u1", Name: "Vera"}
	_, _, gen := c.get("h", now)
	c.put("h", u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	if e, ok, _ := c.get("h", now); !ok || e.user.ID != "u1" {
		t.Fatalf("cached token not found: %+v %v", e, ok)
	}
	c.touched("h", now.Add(time.Hour))
	if e, _, _ := c.get("h", now); !e.times.LastUsed.Equal(now.Add(time.Hour)) {
		t.Fatalf("touch not kept: %v", e.times.LastUsed)
	}
	if _, ok, _ := c.get("h", now.Add(tokenCacheFor+time.Second)); ok {
		t.Fatal("an entry outlived tokenCacheFor")
	}

	// A request that read the token before a sign-out committed must not
	// put it back after the sign-out forgot it.
	_, _, gen = c.get("h", now)
	c.forget("h")
	c.put("h", u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	if _, ok, _ := c.get("h", now); ok {
		t.Fatal("a token read before its sign-out was cached after it")
	}

	// An empty hash (a TRUNCATE announced) forgets every token.
	for _, h := range []string{"a", "b"} {
		_, _, gen := c.get(h, now)
		c.put(h, u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	}
	c.forget("")
	if _, ok, _ := c.get("a", now); ok || len(c.m) != 0 {
		t.Fatalf("forget(\"\") left %d tokens", len(c.m))
	}

	// On a shared database an entry lives tokenCacheForShared.
	shared := newTokenCache(true)
	shared.listening(true)
	_, _, gen = shared.get("h", now)
	shared.put("h", u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	if _, ok, _ := shared.get("h", now.Add(tokenCacheForShared-time.Millisecond)); !ok {
		t.Fatal("a shared entry lapsed early")
	}
	if _, ok, _ := shared.get("h", now.Add(tokenCacheForShared+time.Millisecond)); ok {
		t.Fatal("a shared entry outlived tokenCacheForShared")
	}

	for i := range tokenCacheMax + 10 {
		_, _, gen := c.get("x", now)
		c.put(fmt.Sprint(i), u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	}
	if len(c.m) > tokenCacheMax {
		t.Fatalf("cache holds %d tokens, bound is %d", len(c.m), tokenCacheMax)
	}
}

// sharedStore stands for a database other servers write too: its feed
// listener connects (ready), announces the token hashes sent on gone, and
// loses its connection when lose is closed.
type sharedStore struct {
	store.Store
	ready chan struct{}
	gone  chan string
	lose  chan struct{}
}

func (f sharedStore) ListenFeed(ctx context.Context, l store.Listeners) error {
	l.Ready()
	close(f.ready)
	for {
		select {
		case h := <-f.gone:
			l.Gone(h)
		case <-f.lose:
			return errors.New("connection lost")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TestSharedDatabaseCachesTokensWhileListening: on a database other servers
// share, tokens are cached only while the feed listener hears their
// sign-outs; one it announces is forgotten, and a lost connection empties
// the cache and stops it.
func TestSharedDatabaseCachesTokensWhileListening(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	netw := simnet.New(simnet.Config{}, zerolog.Nop())
	defer netw.Close()
	alone, err := New(Config{Store: st, Provider: netw, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	fake := sharedStore{Store: st, ready: make(chan struct{}), gone: make(chan string), lose: make(chan struct{})}
	shared, err := New(Config{Store: fake, Provider: netw, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	u := store.User{ID: "u1", Name: "Vera"}
	cached := func(s *Server, h string) bool {
		_, ok, _ := s.tokens.get(h, now)
		return ok
	}
	put := func(s *Server, h string) {
		_, _, gen := s.tokens.get(h, now)
		s.tokens.put(h, u, store.TokenTimes{CreatedAt: now, LastUsed: now}, gen, now)
	}
	put(alone, "h")
	put(shared, "h")
	if !cached(alone, "h") || cached(shared, "h") {
		t.Fatalf("before listening: cached alone %v, shared %v; want alone only", cached(alone, "h"), cached(shared, "h"))
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watched := make(chan struct{})
	go func() { shared.WatchFeed(ctx, time.Hour); close(watched) }()
	<-fake.ready
	put(shared, "h")
	put(shared, "k")
	if !cached(shared, "h") || !cached(shared, "k") {
		t.Fatal("while listening, the shared database's tokens are not cached")
	}
	fake.gone <- "h"
	fake.gone <- "zz" // handled in order: "h" is forgotten once this is taken
	if cached(shared, "h") || !cached(shared, "k") {
		t.Fatalf("after h was announced changed: cached h %v, k %v; want k only", cached(shared, "h"), cached(shared, "k"))
	}

	close(fake.lose)
	deadline := time.Now().Add(5 * time.Second)
	for cached(shared, "k") {
		if time.Now().After(deadline) {
			t.Fatal("the cache outlived the listener's connection")
		}
		time.Sleep(time.Millisecond)
	}
	put(shared, "k")
	if cached(shared, "k") {
		t.Fatal("a token was cached while nobody listened")
	}
	cancel()
	<-watched
}
