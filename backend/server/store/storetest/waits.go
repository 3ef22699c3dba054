package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testAssignWaits: contacts a hand-out passes over until a time (outside
// texting hours) wait out of the pick, so the next hand-out reads past
// them to the contacts further on, instead of stopping at its bound on the
// same ones every time; they count in the pool, and come back when their
// time comes.
func testAssignWaits(t *testing.T, st store.Store) {
	w := newWorld(t, st, "wait", 10)
	opens := at(3 * time.Hour)
	// Contacts 0-4 are asleep until 3 h; the others may be texted.
	asleep := map[string]bool{}
	for _, c := range w.Contacts[:5] {
		asleep[c.ID] = true
	}
	keep := func(c store.Contact) (bool, time.Time) {
		if asleep[c.ID] {
			return false, opens
		}
		return true, time.Time{}
	}
	assign := func(when time.Time, keep store.Keep) ([]string, store.PassedOver) {
		t.Helper()
		var got []store.Contact
		var passed store.PassedOver
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			got, passed, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 2, 3, when, nil, keep)
			return err
		})
		return contactIDs(got), passed
	}
	ids := func(is ...int) string {
		var out []string
		for _, i := range is {
			out = append(out, w.Contacts[i].ID)
		}
		return fmt.Sprint(out)
	}
	// Its bound of 3 rows: 0-2, each passed over and set waiting.
	got, passed := assign(at(time.Hour), keep)
	if len(got) != 0 || passed != (store.PassedOver{Refused: 3, Waiting: 3, Bounded: true}) {
		t.Fatalf("first hand-out assigned %v, passed over %+v; want none, 3 set waiting, stopped at its bound", got, passed)
	}
	// The next reads past them: 3 and 4 wait, 5 is handed out.
	got, passed = assign(at(time.Hour), keep)
	if fmt.Sprint(got) != ids(5) || passed != (store.PassedOver{Refused: 2, Waiting: 2, Bounded: true}) {
		t.Fatalf("second hand-out assigned %v, passed over %+v; want contact 5, 2 set waiting, stopped at its bound", got, passed)
	}
	// Waiting contacts are still to be texted: 10 less the one handed out.
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountAssignable(ctx, w.Action.ID) }); n != 9 {
		t.Errorf("pool = %d, want 9: the waiting contacts count in it", n)
	}
	// A minute before their time they are not read; at it, back in list order.
	got, passed = assign(opens.Add(-time.Minute), nil)
	if fmt.Sprint(got) != ids(6, 7) || passed != (store.PassedOver{}) {
		t.Fatalf("before their time assigned %v, passed over %+v; want 6 and 7", got, passed)
	}
	got, passed = assign(opens, nil)
	if fmt.Sprint(got) != ids(0, 1) || passed != (store.PassedOver{}) {
		t.Fatalf("at their time assigned %v, passed over %+v; want 0 and 1, back first", got, passed)
	}
	// A walk stopped at its bound with rows left is Bounded; one that read
	// the pool to its end (the next) is not.
	got, passed = assign(opens, func(store.Contact) (bool, time.Time) { return false, time.Time{} })
	if len(got) != 0 || passed != (store.PassedOver{Refused: 3, Bounded: true}) {
		t.Fatalf("refusing all assigned %v, passed over %+v; want none, 3 refused, bounded", got, passed)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		got2, passed2, err := tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 10, 100, opens, nil,
			func(store.Contact) (bool, time.Time) { return false, time.Time{} })
		if err == nil && (len(got2) != 0 || passed2 != (store.PassedOver{Refused: 5})) {
			return fmt.Errorf("the whole pool refused: assigned %v, passed over %+v; want 5 refused (2-4, 8, 9), not bounded", contactIDs(got2), passed2)
		}
		return err
	})
	// An action's update (its hours may have changed) brings every waiting
	// contact of it back, to be read under the new hours.
	// Each waits a minute longer than the one before it in the list; once
	// every one left waits, the hand-out reads no row and names the first
	// back, an opted-out number's contact (2, the earliest) left aside.
	position := map[string]int{}
	for i, c := range w.Contacts {
		position[c.ID] = i
	}
	later := func(c store.Contact) (bool, time.Time) {
		return false, opens.Add(24*time.Hour + time.Duration(position[c.ID])*time.Minute)
	}
	for _, want := range []int{3, 2} { // 2, 3 and 4 (the bound), then 8 and 9
		if got, passed = assign(opens, later); len(got) != 0 || passed.Waiting != want || passed.First != (store.Wait{}) {
			t.Fatalf("setting contacts waiting assigned %v, passed over %+v; want none, %d set waiting", got, passed, want)
		}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[2].Phone, Reason: "stop", CreatedAt: t0})
	})
	got, passed = assign(opens, later)
	if want := (store.Wait{ContactID: w.Contacts[3].ID, Until: opens.Add(24*time.Hour + 3*time.Minute)}); len(got) != 0 ||
		passed.First.ContactID != want.ContactID || !passed.First.Until.Equal(want.Until) || passed.Waiting != 0 {
		t.Fatalf("with every contact left waiting assigned %v, passed over %+v; want none read, contact 3 first back (2 opted out)", got, passed)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateAction(ctx, w.Action) })
	if got, passed = assign(opens, nil); fmt.Sprint(got) != ids(3, 4) {
		t.Fatalf("after the action's update assigned %v, passed over %+v; want 3 and 4 back (2 opted out)", got, passed)
	}
}
