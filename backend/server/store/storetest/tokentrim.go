package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testTrimUserTokens: a user's tokens past the newest few by last use (a
// token never used by its sign-in) are deleted and named; the kept ones and
// another user's are untouched, and trimming again deletes nothing. The
// sign-in just made is kept even when it looks oldest (a clock stepped
// back made it).
func testTrimUserTokens(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u, other := addUser(t, st, "trimmed"), addUser(t, st, "untrimmed")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		// tt-0 is the oldest sign-in but used last; tt-1 the next oldest.
		for i, h := range []string{"tt-0", "tt-1", "tt-2", "tt-3", "tt-4"} {
			if err := tx.CreateToken(ctx, h, u.ID, at(time.Duration(i)*time.Hour)); err != nil {
				return err
			}
		}
		if err := tx.CreateToken(ctx, "tt-theirs", other.ID, at(0)); err != nil {
			return err
		}
		return tx.TouchToken(ctx, "tt-0", at(10*time.Hour))
	})
	trim := func(newest string) []string {
		var gone []string
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			gone, err = tx.TrimUserTokens(ctx, u.ID, 3, newest)
			return err
		})
		slices.Sort(gone)
		return gone
	}
	if gone := trim("tt-4"); !slices.Equal(gone, []string{"tt-1", "tt-2"}) {
		t.Errorf("TrimUserTokens(3) deleted %v, want the two least recently used, [tt-1 tt-2]", gone)
	}
	for _, h := range []string{"tt-0", "tt-3", "tt-4", "tt-theirs"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); err != nil {
			t.Errorf("token %s after TrimUserTokens: %v, want kept", h, err)
		}
	}
	for _, h := range []string{"tt-1", "tt-2"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after TrimUserTokens: %v, want ErrNotFound", h, err)
		}
	}
	if gone := trim("tt-4"); len(gone) != 0 {
		t.Errorf("TrimUserTokens again deleted %v, want nothing", gone)
	}
	// A sign-in made with the clock an hour behind: it stays, the least
	// recently used of the others goes.
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateToken(ctx, "tt-5", u.ID, at(-time.Hour)) })
	if gone := trim("tt-5"); !slices.Equal(gone, []string{"tt-3"}) {
		t.Errorf("TrimUserTokens(3) with the new sign-in oldest deleted %v, want [tt-3]", gone)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, "tt-5"); return err }); err != nil {
		t.Errorf("the sign-in just made after TrimUserTokens: %v, want kept", err)
	}
}

// testDeleteEndedTokens: tokens idle past idleBefore (one never used by its
// sign-in) or made before madeBefore go, by batches of at most limit,
// each named once; a live token goes in neither, nor one used exactly at
// idleBefore (a token ends after its last use plus the idle limit, not
// at it).
func testDeleteEndedTokens(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	u := addUser(t, st, "ended")
	idleBefore, madeBefore := at(20*time.Hour), at(2*time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, k := range []struct {
			hash       string
			made, used time.Duration // used 0: never
		}{
			{"te-idle", 3 * time.Hour, 10 * time.Hour},
			{"te-never-used", 5 * time.Hour, 0},
			{"te-lifetime", time.Hour, 30 * time.Hour},
			{"te-live", 15 * time.Hour, 30 * time.Hour},
			{"te-live-new", 25 * time.Hour, 0},
			{"te-used-at-the-edge", 3 * time.Hour, 20 * time.Hour},
		} {
			if err := tx.CreateToken(ctx, k.hash, u.ID, at(k.made)); err != nil {
				return err
			}
			if k.used > 0 {
				if err := tx.TouchToken(ctx, k.hash, at(k.used)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	purge := func() []string {
		var gone []string
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			gone, err = tx.DeleteEndedTokens(ctx, idleBefore, madeBefore, 2)
			return err
		})
		return gone
	}
	first, second := purge(), purge()
	if len(first) != 2 || len(second) != 1 {
		t.Errorf("DeleteEndedTokens(limit 2) twice deleted %v then %v, want 2 then 1", first, second)
	}
	gone := slices.Sorted(slices.Values(append(first, second...)))
	if !slices.Equal(gone, []string{"te-idle", "te-lifetime", "te-never-used"}) {
		t.Errorf("DeleteEndedTokens deleted %v, want [te-idle te-lifetime te-never-used]", gone)
	}
	if again := purge(); len(again) != 0 {
		t.Errorf("DeleteEndedTokens again deleted %v, want nothing", again)
	}
	for _, h := range []string{"te-live", "te-live-new", "te-used-at-the-edge"} {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); err != nil {
			t.Errorf("token %s after DeleteEndedTokens: %v, want kept", h, err)
		}
	}
	for _, h := range gone {
		if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, h); return err }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s after DeleteEndedTokens: %v, want ErrNotFound", h, err)
		}
	}
}
