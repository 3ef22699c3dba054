package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestTwoServersShareFailedGuesses: on one PostgreSQL, an account's wrong
// passwords on server A count on server B too (NOTIFY), so the account
// gets 10 a quarter hour across both, not 10 on each; and a server does not
// count its own announcement a second time.
func TestTwoServersShareFailedGuesses(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	srvB, tsB := f.second()
	waitTokensLive(ctx, t, srvB)
	waitTokensLive(ctx, t, f.srv)
	_, u := f.user("target")
	key := "account:" + u.Email
	loginOn := func(base string) int {
		t.Helper()
		return rawLogin(t, base, u.Email, "not the password at all")
	}
	for i := range 6 {
		if s := loginOn(f.ts.URL); s != http.StatusUnauthorized {
			t.Fatalf("wrong password %d on A: %d", i+1, s)
		}
	}
	waitFailures(ctx, t, srvB, key, 6, "server B never heard of A's failures")
	for i := range 4 {
		if s := loginOn(tsB.URL); s != http.StatusUnauthorized {
			t.Fatalf("wrong password %d on B: %d", i+7, s)
		}
	}
	if s := loginOn(tsB.URL); s != http.StatusTooManyRequests {
		t.Fatalf("the 11th guess at the account, on B: %d, want 429", s)
	}
	waitFailures(ctx, t, f.srv, key, 10, "server A never heard of B's failures")
	time.Sleep(100 * time.Millisecond) // any echo of its own would have arrived
	if n := f.srv.LoginFailures(key); n != 10 {
		t.Fatalf("server A counts %d failures, want 10: its own announcements counted twice", n)
	}
	if s := loginOn(f.ts.URL); s != http.StatusTooManyRequests {
		t.Fatalf("the 12th guess, on A: %d, want 429", s)
	}
}

func waitFailures(ctx context.Context, t *testing.T, srv *server.Server, key string, n int, msg string) {
	t.Helper()
	for srv.LoginFailures(key) < n {
		if ctx.Err() != nil {
			t.Fatalf("%s (%d of %d)", msg, srv.LoginFailures(key), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// rawLogin signs in at the server at base and gives the answer's status.
func rawLogin(t *testing.T, base, email, password string) int {
	t.Helper()
	raw, _ := json.Marshal(api.LoginRequest{Email: email, Password: password})
	resp, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTakenEmailsSentAtOnceAreThrottledToo: sign-ups sent together all pass
// the address's check before any is found taken; those past the 10th are
// answered 429, not "taken".
func TestTakenEmailsSentAtOnceAreThrottledToo(t *testing.T) {
	f := newFixture(t)
	h := f.srv.Handler()
	_, known := f.user("known")
	const n = 30
	answers := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { answers <- signup(t, h, "203.0.113.77:4000", known.Email).Code })
	}
	wg.Wait()
	close(answers)
	count := map[int]int{}
	for c := range answers {
		count[c]++
	}
	if count[http.StatusConflict] > 10 || count[http.StatusConflict]+count[http.StatusTooManyRequests] != n {
		t.Fatalf("answers %v: at most 10 may say the email is taken, the rest 429", count)
	}
}
