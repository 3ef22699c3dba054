package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testRenameAndKeepOneSignIn: a user renamed reads back by id, email and
// token with the new name, others unchanged; signing out everywhere but
// one sign-in (a password changed from that one) keeps it alone.
func testRenameAndKeepOneSignIn(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u, other := addUser(t, st, "renamed"), addUser(t, st, "unrenamed")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, tok := range [][2]string{{"rn-here", u.ID}, {"rn-laptop", u.ID}, {"rn-phone", u.ID}, {"rn-theirs", other.ID}} {
			if err := tx.CreateToken(ctx, tok[0], tok[1], at(time.Hour)); err != nil {
				return err
			}
		}
		return tx.RenameUser(ctx, u.ID, "Renée Newname")
	})
	for name, read := range map[string]func(tx store.Tx) (store.User, error){
		"UserByID":    func(tx store.Tx) (store.User, error) { return tx.UserByID(ctx, u.ID) },
		"UserByEmail": func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, u.Email) },
		"UserByToken": func(tx store.Tx) (store.User, error) { return tx.UserByToken(ctx, "rn-here") },
	} {
		got := get(t, st, func(_ context.Context, tx store.Tx) (store.User, error) { return read(tx) })
		if got.Name != "Renée Newname" || got.Email != u.Email || got.PasswordHash != u.PasswordHash {
			t.Errorf("%s after the rename: %+v", name, got)
		}
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.User, error) { return tx.UserByID(ctx, other.ID) }); got.Name != other.Name {
		t.Errorf("another user renamed too: %+v", got)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.RenameUser(ctx, "no-such-user", "X") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RenameUser of no user: %v, want ErrNotFound", err)
	}
	var n int
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		n, err = tx.DeleteUserTokens(ctx, u.ID, "rn-here")
		return err
	})
	if n != 2 {
		t.Errorf("DeleteUserTokens keeping one = %d, want the 2 others", n)
	}
	for h, want := range map[string]error{"rn-here": nil, "rn-laptop": store.ErrNotFound, "rn-phone": store.ErrNotFound, "rn-theirs": nil} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, want) {
			t.Errorf("token %s after signing out all but rn-here: %v, want %v", h, err, want)
		}
	}
}
