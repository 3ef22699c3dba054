package postgres_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestEndedTokensPurgedByTwoServersAtOnce: servers sharing a database may
// purge ended tokens at the same moment (each runs the hourly purge; the
// advisory lock keeps them apart only while both hold their connection).
// Their batches take turns under the write lock: neither fails, every
// ended token goes, and none is named by both (each server forgets and
// announces only what it deleted).
func TestEndedTokensPurgedByTwoServersAtOnce(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	ctx := t.Context()
	made := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var all []string
	err := a.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "u", Name: "U", Email: "u@example.org", PasswordHash: "h", CreatedAt: made}); err != nil {
			return err
		}
		for i := range 60 {
			h := fmt.Sprintf("ended-%02d", i)
			all = append(all, h)
			if err := tx.CreateToken(ctx, h, "u", made); err != nil {
				return err
			}
		}
		return tx.CreateToken(ctx, "live", "u", made.Add(2*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	named := make([][]string, 2)
	for i, st := range []store.Store{a, b} {
		wg.Go(func() {
			for {
				var gone []string
				err := st.Update(ctx, func(tx store.Tx) (err error) {
					gone, err = tx.DeleteEndedTokens(ctx, made.Add(time.Hour), made, 3)
					return err
				})
				if err != nil {
					t.Errorf("server %d's purge: %v", i, err)
					return
				}
				if len(gone) == 0 {
					return
				}
				named[i] = append(named[i], gone...)
			}
		})
	}
	wg.Wait()
	both := slices.Concat(named...)
	slices.Sort(both)
	if !slices.Equal(both, all) {
		t.Errorf("the two servers purged %v and %v; want each of the %d ended tokens once", named[0], named[1], len(all))
	}
	if err := b.View(ctx, func(tx store.Tx) error { _, err := tx.UserByToken(ctx, "live"); return err }); err != nil {
		t.Errorf("the live token after both purges: %v", err)
	}
}
