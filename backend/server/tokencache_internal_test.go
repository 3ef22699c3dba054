package server

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestTokenCacheForgetsAndLapses(t *testing.T) {
	c := newTokenCache()
	now := time.Now()
	u := store.User{ID: "u1", Name: "Vera"}
	_, _, gen := c.get("h", now)
	c.put("h", u, now, gen, now)
	if e, ok, _ := c.get("h", now); !ok || e.user.ID != "u1" {
		t.Fatalf("cached token not found: %+v %v", e, ok)
	}
	c.touched("h", now.Add(time.Hour))
	if e, _, _ := c.get("h", now); !e.lastUsed.Equal(now.Add(time.Hour)) {
		t.Fatalf("touch not kept: %v", e.lastUsed)
	}
	if _, ok, _ := c.get("h", now.Add(tokenCacheFor+time.Second)); ok {
		t.Fatal("an entry outlived tokenCacheFor")
	}

	// A request that read the token before a sign-out committed must not
	// put it back after the sign-out forgot it.
	_, _, gen = c.get("h", now)
	c.forget("h")
	c.put("h", u, now, gen, now)
	if _, ok, _ := c.get("h", now); ok {
		t.Fatal("a token read before its sign-out was cached after it")
	}

	for i := range tokenCacheMax + 10 {
		_, _, gen := c.get("x", now)
		c.put(fmt.Sprint(i), u, now, gen, now)
	}
	if len(c.m) > tokenCacheMax {
		t.Fatalf("cache holds %d tokens, bound is %d", len(c.m), tokenCacheMax)
	}
}

// sharedStore stands for a database other servers write too.
type sharedStore struct{ store.Store }

func (sharedStore) ListenFeed(ctx context.Context, ready func(), poke func(string)) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestTokensAreNotCachedOnASharedDatabase(t *testing.T) {
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
	shared, err := New(Config{Store: sharedStore{st}, Provider: netw, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if alone.tokens == nil || shared.tokens != nil {
		t.Fatalf("token cache: alone %v, shared %v; want one only alone", alone.tokens != nil, shared.tokens != nil)
	}
}
