package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var accountTests = []test{
	{"accounts/users by id, email in any case, count", testUsers},
	{"accounts/tokens find their user, touch and delete", testTokens},
	{"accounts/a user signed out everywhere, a new password", testSignedOutEverywhere},
	{"accounts/a user renamed; signed out everywhere but one sign-in", testRenameAndKeepOneSignIn},
	{"accounts/a user's least recently used sign-ins trimmed", testTrimUserTokens},
	{"accounts/ended sign-ins deleted in batches, live ones kept", testDeleteEndedTokens},
	{"accounts/a sign-in's token or a new password only over the password checked, a change in flight waited for", testLoginToken},
}

func testUsers(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u := store.User{ID: "u1", Name: "Ann Example", Email: "Ann@Example.ORG", PasswordHash: "$2a$hash", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, u) })
	for _, by := range []func(tx store.Tx) (store.User, error){
		func(tx store.Tx) (store.User, error) { return tx.UserByID(ctx, "u1") },
		func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, "ann@example.org") },
		func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, "ANN@EXAMPLE.org") },
	} {
		got := get(t, st, func(_ context.Context, tx store.Tx) (store.User, error) { return by(tx) })
		if got.ID != "u1" || got.Name != u.Name || got.Email != "ann@example.org" || got.PasswordHash != u.PasswordHash || !got.CreatedAt.Equal(t0) {
			t.Errorf("user = %+v, want %+v with the email lower-cased", got, u)
		}
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{ID: "u2", Name: "Imposter", Email: "ANN@example.org", CreatedAt: t0})
	})
	if !errors.Is(err, store.ErrEmailTaken) {
		t.Errorf("second user with the email in other case: %v, want ErrEmailTaken", err)
	}
	for _, lookup := range []func(tx store.Tx) error{
		func(tx store.Tx) error { _, err := tx.UserByID(ctx, "nobody"); return err },
		func(tx store.Tx) error { _, err := tx.UserByEmail(ctx, "nobody@example.org"); return err },
	} {
		if err := st.View(ctx, lookup); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing user: %v, want ErrNotFound", err)
		}
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountUsers(ctx) }); n != 1 {
		t.Errorf("CountUsers = %d, want 1", n)
	}
}

func testTokens(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u := addUser(t, st, "tok")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateToken(ctx, "hash-1", u.ID, at(time.Hour))
	})
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "hash-1") }); got.ID != u.ID {
		t.Fatalf("UserByToken = %+v", got)
	}
	var used store.TokenTimes
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		_, used, err = tx.TokenUser(ctx, "hash-1")
		return err
	})
	if !used.LastUsed.Equal(at(time.Hour)) || !used.CreatedAt.Equal(at(time.Hour)) {
		t.Errorf("a token never used: %+v, want created and last used at its creation %v", used, at(time.Hour))
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.TouchToken(ctx, "hash-1", at(2*time.Hour)) })
	// A use moves the last use, never the sign-in: the absolute lifetime
	// is measured from that.
	want := store.TokenTimes{CreatedAt: at(time.Hour), LastUsed: at(2 * time.Hour)}
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		got, used, err := tx.TokenUser(ctx, "hash-1")
		if err != nil {
			return err
		}
		if got.ID != u.ID || !used.LastUsed.Equal(want.LastUsed) || !used.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("after TouchToken: user %s times %+v, want %+v", got.ID, used, want)
		}
		return nil
	})
	// The store's own lookup, without a transaction (both engines have
	// one; the server uses it on every request), reads the same.
	tr, ok := st.(interface {
		TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error)
	})
	if !ok {
		t.Fatalf("%T has no TokenUser of its own", st)
	}
	if got, used, err := tr.TokenUser(ctx, "hash-1"); err != nil || got.ID != u.ID || got.Email != u.Email ||
		!used.LastUsed.Equal(want.LastUsed) || !used.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("store TokenUser = %s, %s, %+v, %v; want %s times %+v", got.ID, got.Email, used, err, u.ID, want)
	}
	if _, _, err := tr.TokenUser(ctx, "no-such-hash"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store TokenUser of an unknown token: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.DeleteToken(ctx, "hash-1") })
	if _, _, err := tr.TokenUser(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("store TokenUser of a deleted token: %v, want ErrNotFound", err)
	}
	for name, fn := range map[string]func(tx store.Tx) error{
		"UserByToken": func(tx store.Tx) error { _, err := tx.UserByToken(ctx, "hash-1"); return err },
		"TokenUser":   func(tx store.Tx) error { _, _, err := tx.TokenUser(ctx, "hash-1"); return err },
		"DeleteToken": func(tx store.Tx) error { return tx.DeleteToken(ctx, "hash-1") },
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a deleted token: %v, want ErrNotFound", name, err)
		}
	}
}

func testSignedOutEverywhere(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u, other := addUser(t, st, "everywhere"), addUser(t, st, "bystander")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, tok := range [][2]string{{"laptop", u.ID}, {"desktop", u.ID}, {"theirs", other.ID}} {
			if err := tx.CreateToken(ctx, tok[0], tok[1], at(time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	signOut := func() int {
		var n int
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			n, err = tx.DeleteUserTokens(ctx, u.ID, "")
			return err
		})
		return n
	}
	signIns := func() [2]int {
		var n [2]int
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			n[0], n[1], err = tx.CountSignIns(ctx)
			return err
		})
		return n
	}
	if n := signIns(); n != [2]int{2, 3} {
		t.Errorf("CountSignIns = %d accounts, %d sign-ins; want 2, 3", n[0], n[1])
	}
	if n := signOut(); n != 2 {
		t.Errorf("DeleteUserTokens = %d, want 2", n)
	}
	for _, h := range []string{"laptop", "desktop"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after DeleteUserTokens: %v, want ErrNotFound", h, err)
		}
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "theirs") }); got.ID != other.ID {
		t.Errorf("another user's token after DeleteUserTokens: %+v", got)
	}
	if n := signOut(); n != 0 {
		t.Errorf("DeleteUserTokens again = %d, want 0", n)
	}
	if n := signIns(); n != [2]int{1, 1} {
		t.Errorf("CountSignIns after one account's sign-out = %d accounts, %d sign-ins; want 1, 1 (the account without any not counted)", n[0], n[1])
	}

	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.SetPasswordHash(ctx, u.ID, "new-hash") })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, u.ID) }); got.PasswordHash != "new-hash" {
		t.Errorf("password hash after SetPasswordHash: %q", got.PasswordHash)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, other.ID) }); got.PasswordHash == "new-hash" {
		t.Error("SetPasswordHash changed another user's password")
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.SetPasswordHash(ctx, "no-such-user", "x") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPasswordHash of no user: %v, want ErrNotFound", err)
	}
}

// testLoginToken: a sign-in's token is made only while the password hash
// it checked is the user's; a password change committing while the token
// is being made wins (it ended every sign-in), whichever engine.
func testLoginToken(t *testing.T, st store.Store) {
	u := addUser(t, st, "logintok") // password hash "h"
	ctx := ctxT(t)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-1", u.ID, "h", at(time.Hour))
	})
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "login-1") }); got.ID != u.ID {
		t.Fatalf("UserByToken of a sign-in = %+v", got)
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-2", u.ID, "another", at(time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a token for a password that is not the user's: %v, want ErrNotFound", err)
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateLoginToken(ctx, "login-3", "nobody", "h", at(time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a token for no user: %v, want ErrNotFound", err)
	}
	// A change in flight: it sets the new hash and ends the sign-ins, then
	// waits; a sign-in that checked the old hash makes its token meanwhile.
	inside, finish := make(chan struct{}), make(chan struct{})
	changed := make(chan error, 1)
	go func() {
		changed <- st.Update(ctx, func(tx store.Tx) error {
			if err := tx.SetPasswordHash(ctx, u.ID, "h2"); err != nil {
				return err
			}
			if _, err := tx.DeleteUserTokens(ctx, u.ID, ""); err != nil {
				return err
			}
			close(inside)
			<-finish
			return nil
		})
	}()
	<-inside
	login := make(chan error, 1)
	go func() {
		login <- st.Update(ctx, func(tx store.Tx) error {
			return tx.CreateLoginToken(ctx, "login-4", u.ID, "h", at(2*time.Hour))
		})
	}()
	time.Sleep(200 * time.Millisecond) // the sign-in reaches its insert (PostgreSQL) or the writer's queue (SQLite)
	close(finish)
	if err := <-changed; err != nil {
		t.Fatal(err)
	}
	if err := <-login; !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a sign-in with the old password during the change: %v, want ErrNotFound", err)
	}
	// A change checked against the old hash does not land over the new one.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.ReplacePasswordHash(ctx, u.ID, "h", "h3") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("replacing a hash that changed: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.ReplacePasswordHash(ctx, u.ID, "h2", "h3") })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, u.ID) }); got.PasswordHash != "h3" {
		t.Fatalf("after replacing h2: %q", got.PasswordHash)
	}
	for _, h := range []string{"login-1", "login-4"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after the change: %v, want ErrNotFound", h, err)
		}
	}
}
