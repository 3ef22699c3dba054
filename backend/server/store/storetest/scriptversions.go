package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testScriptVersions: the versions of response scripts an edit replaced
// read back per action and script, newest first, from a time on, tags
// and all (none as none); the action reads back when its scripts were last
// retired (never for one not edited; no create or update sets it); a later
// retirement forgets every action's versions retired before the bound it
// is given, and keeps the rest.
func testScriptVersions(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rsv", 0)
	other := store.Action{ID: "rsv-other", CampaignID: w.Campaign.ID, Type: "p2p", Title: "Other", CreatorID: w.Admin.ID, CreatedAt: t0}
	retiredAt := func(id string) string {
		t.Helper()
		a := get(t, st, func(ctx context.Context, tx store.Tx) (store.Action, error) { return tx.ActionByID(ctx, id) })
		if a.ScriptsRetiredAt == nil {
			return "never"
		}
		return a.ScriptsRetiredAt.Sub(t0).String()
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateAction(ctx, other); err != nil {
			return err
		}
		// Set by nothing but a retirement: a create or update leaves it.
		other.ScriptsRetiredAt = ptr(at(time.Hour))
		return tx.UpdateAction(ctx, other)
	})
	if got := retiredAt(other.ID); got != "never" {
		t.Errorf("an action never edited has its scripts retired at %s, want never", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.RetireResponseScripts(ctx, w.Action.ID, []store.ResponseScript{
			{ID: "r1", Body: "Thanks, {first_name}!", Tags: []string{"thanked", "vote"}},
			{ID: "r2", Body: "Bye"},
		}, at(time.Hour), t0); err != nil {
			return err
		}
		if err := tx.RetireResponseScripts(ctx, w.Action.ID, []store.ResponseScript{{ID: "r1", Body: "Thanks!"}}, at(2*time.Hour), t0); err != nil {
			return err
		}
		return tx.RetireResponseScripts(ctx, other.ID, []store.ResponseScript{{ID: "r1", Body: "Other's"}}, at(2*time.Hour), t0)
	})
	versions := func(action, script string, since time.Time) string {
		t.Helper()
		var out []string
		for _, v := range get(t, st, func(ctx context.Context, tx store.Tx) ([]store.ScriptVersion, error) {
			return tx.ResponseScriptVersions(ctx, action, script, since)
		}) {
			out = append(out, fmt.Sprintf("%s %q %v until %v", v.ID, v.Body, v.Tags, v.RetiredAt.Sub(t0)))
		}
		return fmt.Sprint(out)
	}
	if got := retiredAt(w.Action.ID); got != "2h0m0s" {
		t.Errorf("the action's scripts last retired at %s, want 2h0m0s (its second edit)", got)
	}
	// An edit dated earlier (another server's clock behind, or this one's
	// stepped back) keeps its version, and leaves the later time.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.RetireResponseScripts(ctx, w.Action.ID, []store.ResponseScript{{ID: "r4", Body: "Skewed"}}, at(90*time.Minute), t0)
	})
	if got := retiredAt(w.Action.ID); got != "2h0m0s" {
		t.Errorf("after an edit dated 1h30m the action's scripts last retired at %s, want 2h0m0s still", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		a, err := tx.ActionByID(ctx, w.Action.ID)
		if err != nil {
			return err
		}
		a.ScriptsRetiredAt = nil
		return tx.UpdateAction(ctx, a)
	})
	if got := retiredAt(w.Action.ID); got != "2h0m0s" {
		t.Errorf("after an update of the action its scripts last retired at %s, want 2h0m0s still", got)
	}
	if got, want := versions(w.Action.ID, "r1", t0), `[r1 "Thanks!" [] until 2h0m0s r1 "Thanks, {first_name}!" [thanked vote] until 1h0m0s]`; got != want {
		t.Errorf("versions of r1 =\n %s\nwant\n %s", got, want)
	}
	if got, want := versions(w.Action.ID, "r1", at(2*time.Hour)), `[r1 "Thanks!" [] until 2h0m0s]`; got != want {
		t.Errorf("versions of r1 retired from the second edit on = %s, want %s", got, want)
	}
	if got, want := versions(w.Action.ID, "r2", t0), `[r2 "Bye" [] until 1h0m0s]`; got != want {
		t.Errorf("versions of r2 = %s, want %s", got, want)
	}
	if vs := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.ScriptVersion, error) {
		return tx.ResponseScriptVersions(ctx, w.Action.ID, "r2", t0)
	}); len(vs) != 1 || vs[0].Tags != nil {
		t.Errorf("a version without tags reads back %+v, want Tags nil", vs)
	}
	if got := versions(w.Action.ID, "r3", t0); got != "[]" {
		t.Errorf("versions of a script never edited = %s, want none", got)
	}
	// A third edit, of the other action, forgets what was retired before
	// the second hour, of every action.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.RetireResponseScripts(ctx, other.ID, []store.ResponseScript{{ID: "r9", Body: "Later"}}, at(3*time.Hour), at(90*time.Minute))
	})
	if got, want := versions(w.Action.ID, "r1", t0), `[r1 "Thanks!" [] until 2h0m0s]`; got != want {
		t.Errorf("versions of r1 after the bound moved = %s, want %s", got, want)
	}
	if got := versions(w.Action.ID, "r2", t0); got != "[]" {
		t.Errorf("versions of r2 after the bound moved past it = %s, want none", got)
	}
	if got, want := versions(other.ID, "r1", t0), `[r1 "Other's" [] until 2h0m0s]`; got != want {
		t.Errorf("versions of the other action's r1 = %s, want %s", got, want)
	}
}
