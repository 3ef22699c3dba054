package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
)

// TestSignInsPerAccountBounded: every sign-in adds a token row, and a row
// nobody presents again used to stay for good, so a script signing in
// over and over with one account's password grew the tokens table without
// bound (the soak). Past server.MaxTokensPerUser a sign-in ends the
// account's least recently used sign-ins, here at once too (cached
// tokens forgotten), and leaves the rest and other accounts signed in.
func TestSignInsPerAccountBounded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first, u := f.user("pat")
	bystander, _ := f.user("sam")
	if _, err := first.Me(ctx); err != nil { // cached now
		t.Fatal(err)
	}
	const extra = 3
	var clients []*api.Client
	for range server.MaxTokensPerUser + extra {
		f.clock.Advance(time.Second) // a distinct sign-in time each
		clients = append(clients, f.login(u.Email, oldPassword))
	}
	// The sign-up's token and the first logins beyond the limit are gone.
	ended := append([]*api.Client{first}, clients[:extra]...)
	for i, c := range ended {
		if _, err := c.Me(ctx); !isStatus(err, http.StatusUnauthorized) {
			t.Errorf("sign-in %d of %d (oldest first) after %d more: %v, want 401", i, len(ended), server.MaxTokensPerUser, err)
		}
	}
	for i, c := range clients[extra:] {
		if _, err := c.Me(ctx); err != nil {
			t.Errorf("one of the %d newest sign-ins (%d) was ended: %v", server.MaxTokensPerUser, i, err)
		}
	}
	if _, err := bystander.Me(ctx); err != nil {
		t.Errorf("another account's sign-in was ended: %v", err)
	}
}
