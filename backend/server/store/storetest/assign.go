package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var assignTests = []test{
	{"assign/batch in list order, skipping opted out and refused", testAssignOrder},
	{"assign/numbers the organization texted within the 6-hour lock wait in the pool", testAssignSkipsRecentlyTexted},
	{"assign/contacts passed over until a time are read past, and come back then", testAssignWaits},
	{"assign/16 volunteers racing never share a contact", testAssignRace},
	{"assign/release returns unsent contacts to the pool", testRelease},
	{"assign/contact state and errors", testContactState},
}

func testAssignOrder(t *testing.T, st store.Store) {
	w := newWorld(t, st, "ord", 10)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[1].Phone, Reason: "stop", CreatedAt: t0})
	})
	var got []store.Contact
	var passed store.PassedOver
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		got, passed, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 3, 100, at(time.Hour), nil,
			func(c store.Contact) (bool, time.Time) { return c.ID != w.Contacts[2].ID, time.Time{} })
		return err
	})
	if passed != (store.PassedOver{Refused: 1}) {
		t.Errorf("passed over %+v, want 1 refused (contact 2, by keep)", passed)
	}
	want := []string{w.Contacts[0].ID, w.Contacts[3].ID, w.Contacts[4].ID}
	if ids := contactIDs(got); fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("assigned %v, want %v (list order, opted-out 1 and refused 2 skipped)", ids, want)
	}
	for _, c := range got {
		if c.State != store.ContactAssigned || c.AssignedTo != w.Volunteer.ID || c.AssignedAt == nil || !c.AssignedAt.Equal(at(time.Hour)) {
			t.Errorf("returned contact %s = state %q to %q at %v", c.ID, c.State, c.AssignedTo, c.AssignedAt)
		}
	}
	stored := get(t, st, func(ctx context.Context, tx store.Tx) (store.Contact, error) {
		return tx.ContactByID(ctx, w.Contacts[3].ID)
	})
	if stored.State != store.ContactAssigned || stored.AssignedTo != w.Volunteer.ID || stored.AssignedAt == nil || !stored.AssignedAt.Equal(at(time.Hour)) {
		t.Errorf("stored contact = state %q to %q at %v", stored.State, stored.AssignedTo, stored.AssignedAt)
	}
	unsent := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Contact, error) {
		return tx.AssignedUnsent(ctx, w.Action.ID, w.Volunteer.ID)
	})
	if len(unsent) != 3 {
		t.Errorf("AssignedUnsent = %v, want the 3 assigned", contactIDs(unsent))
	}
	// 10 contacts - 3 assigned - 1 opted out = 6 in the pool (the
	// opted-out one is never handed out; the one keep refused is).
	n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountAssignable(ctx, w.Action.ID) })
	if n != 6 {
		t.Errorf("CountAssignable = %d, want 6", n)
	}
	// maxScan bounds the rows read: with 2 it finds contact 5 and 6 only.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		got, _, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Admin.ID, 10, 2, at(time.Hour), nil, nil)
		return err
	})
	if ids := contactIDs(got); len(ids) != 2 || ids[0] != w.Contacts[2].ID {
		t.Errorf("with maxScan 2 assigned %v, want 2 starting at the refused contact 2", ids)
	}
}

// testAssignSkipsRecentlyTexted: a number the organization sent an
// initial text at or after the lock's start (from any action: here the
// contact's own thread stands for it) is passed over and counted, and
// stays in the pool; an older text, another organization's text to the
// same number, or no lock given, do not hold a contact back.
func testAssignSkipsRecentlyTexted(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rct", 4)
	other := newWorld(t, st, "rc2", 1) // another organization; its contact 0 has w's contact 0's number
	initial := func(w world, i int, id string, when time.Time) {
		th := w.thread(t, st, i, w.Volunteer.ID)
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			return tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: th.ID, Direction: dirOut, Body: "Hi", Status: statusSent,
				Initial: true, SenderID: w.Volunteer.ID, CreatedAt: when})
		})
	}
	initial(w, 1, "rct-m1", at(time.Hour))     // inside the lock
	initial(w, 2, "rct-m2", t0)                // before it
	initial(other, 0, "rc2-m0", at(time.Hour)) // another organization's
	since := at(30 * time.Minute)
	var got []store.Contact
	var passed store.PassedOver
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		got, passed, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 10, 100, at(2*time.Hour), &since, nil)
		return err
	})
	want := []string{w.Contacts[0].ID, w.Contacts[2].ID, w.Contacts[3].ID}
	if ids := contactIDs(got); fmt.Sprint(ids) != fmt.Sprint(want) || passed != (store.PassedOver{Recent: 1, Waiting: 1}) {
		t.Fatalf("assigned %v, passed over %+v; want %v and 1 recent set waiting (contact 1, texted inside the lock)", ids, passed, want)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountAssignable(ctx, w.Action.ID) }); n != 1 {
		t.Errorf("pool = %d, want 1: the recently texted contact stays in it", n)
	}
	// It waits until the lock's end (its first text at 1 h, plus the
	// lock's 90 minutes here): a hand-out before then, with no lock, does
	// not read it; one then hands it out.
	back := at(2*time.Hour + 30*time.Minute)
	for _, c := range []struct {
		at     time.Time
		want   []string
		passed store.PassedOver
	}{
		{back.Add(-time.Minute), nil, store.PassedOver{First: store.Wait{ContactID: w.Contacts[1].ID, Until: back}}},
		{back, []string{w.Contacts[1].ID}, store.PassedOver{}},
	} {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			got, passed, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Admin.ID, 10, 100, c.at, nil, nil)
			return err
		})
		if ids := contactIDs(got); fmt.Sprint(ids) != fmt.Sprint(c.want) || passed != c.passed {
			t.Fatalf("at %v without a lock assigned %v, passed over %+v; want %v, %+v", c.at, ids, passed, c.want, c.passed)
		}
	}
}

// testAssignRace is Text Again pressed by 16 volunteers at once, each in
// a loop until the pool is empty: every contact is handed out exactly once.
func testAssignRace(t *testing.T, st store.Store) {
	const volunteers, pool = 16, 200
	w := newWorld(t, st, "race", pool)
	users := make([]store.User, volunteers)
	for i := range users {
		users[i] = addUser(t, st, fmt.Sprintf("racer%02d", i))
	}
	ctx := ctxT(t)
	var mu sync.Mutex
	owner := map[string]string{}
	var dup []string
	var wg sync.WaitGroup
	errs := make(chan error, volunteers)
	for _, u := range users {
		wg.Go(func() {
			for {
				var got []store.Contact
				err := st.Update(ctx, func(tx store.Tx) error {
					var err error
					got, _, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, u.ID, 3, 1000, at(time.Hour), nil, nil)
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("%s: %w", u.ID, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, c := range got {
					if prev, ok := owner[c.ID]; ok {
						dup = append(dup, fmt.Sprintf("%s to %s and %s", c.ID, prev, u.ID))
					}
					owner[c.ID] = u.ID
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(dup) > 0 {
		t.Fatalf("contacts handed out twice: %v", dup)
	}
	if len(owner) != pool {
		t.Fatalf("%d contacts handed out, want all %d", len(owner), pool)
	}
	// The store agrees with what each volunteer was told.
	stored := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]store.Contact, error) {
		return tx.ContactsByIDs(ctx, contactIDs(w.Contacts))
	})
	for id, who := range owner {
		if c := stored[id]; c.AssignedTo != who || c.State != store.ContactAssigned {
			t.Errorf("contact %s stored as %q to %q, but %s was told it is theirs", id, c.State, c.AssignedTo, who)
		}
	}
}

func testRelease(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rel", 4)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, _, err := tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 3, 100, t0, nil, nil); err != nil {
			return err
		}
		// One of the three is texted: it stays with the volunteer.
		return tx.SetContactState(ctx, w.Contacts[0].ID, store.ContactTexted)
	})
	var released []string
	// Named contacts only: the texted one and one never assigned are not
	// this volunteer's to release.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		released, err = tx.ReleaseContacts(ctx, w.Action.ID, w.Volunteer.ID, []string{w.Contacts[2].ID, w.Contacts[0].ID, w.Contacts[3].ID})
		return err
	})
	if fmt.Sprint(released) != fmt.Sprint([]string{w.Contacts[2].ID}) {
		t.Fatalf("released %v naming contacts 2, 0 and 3, want contact 2", released)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		released, err = tx.ReleaseContacts(ctx, w.Action.ID, w.Volunteer.ID, nil)
		return err
	})
	if fmt.Sprint(released) != fmt.Sprint([]string{w.Contacts[1].ID}) {
		t.Fatalf("released %v, want contact 1 (2 was released before)", released)
	}
	c := get(t, st, func(ctx context.Context, tx store.Tx) (store.Contact, error) {
		return tx.ContactByID(ctx, w.Contacts[1].ID)
	})
	if c.State != store.ContactReleased || c.AssignedTo != "" || c.AssignedAt != nil {
		t.Errorf("released contact = %q to %q at %v", c.State, c.AssignedTo, c.AssignedAt)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountAssignable(ctx, w.Action.ID) }); n != 3 {
		t.Errorf("pool = %d after release, want 3 (two released, one never taken)", n)
	}
	// Released contacts are handed out again, in list order.
	var again []store.Contact
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		again, _, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Admin.ID, 1, 100, t0, nil, nil)
		return err
	})
	if ids := contactIDs(again); len(ids) != 1 || ids[0] != w.Contacts[1].ID {
		t.Errorf("after release assigned %v, want contact 1", ids)
	}
	// The pool's count leaves out numbers opted out of the organization:
	// no hand-out gives them to anyone.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[3].Phone, Reason: "test", CreatedAt: t0})
	})
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountAssignable(ctx, w.Action.ID) }); n != 1 {
		t.Errorf("pool = %d with one of its two numbers opted out, want 1", n)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		ids, err := tx.ReleaseContacts(ctx, w.Action.ID, "nobody", nil)
		if len(ids) != 0 {
			t.Errorf("releasing for a user with none released %v", ids)
		}
		return err
	})
}

func testContactState(t *testing.T, st store.Store) {
	w := newWorld(t, st, "cst", 2)
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Contact, error) {
		return tx.ContactByID(ctx, w.Contacts[1].ID)
	})
	want := w.Contacts[1]
	if got.ID != want.ID || got.ActionID != want.ActionID || got.FirstName != want.FirstName || got.LastName != want.LastName ||
		got.Phone != want.Phone || got.Zip != want.Zip || got.ExternalID != want.ExternalID || got.ScriptIndex != want.ScriptIndex ||
		got.State != store.ContactUnassigned || got.AssignedTo != "" || got.AssignedAt != nil || !got.CreatedAt.Equal(want.CreatedAt) ||
		fmt.Sprint(got.Fields) != fmt.Sprint(want.Fields) {
		t.Errorf("contact round trip:\n got %+v\nwant %+v", got, want)
	}
	ctx := ctxT(t)
	err := st.View(ctx, func(tx store.Tx) error { _, err := tx.ContactByID(ctx, "missing"); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing contact: %v, want ErrNotFound", err)
	}
	err = st.Update(ctx, func(tx store.Tx) error { return tx.SetContactState(ctx, "missing", store.ContactTexted) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("state of a missing contact: %v, want ErrNotFound", err)
	}
	dup := w.Contacts[0]
	dup.ID = "another"
	err = st.Update(ctx, func(tx store.Tx) error { return tx.CreateContact(ctx, dup) })
	if !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("second contact with the same phone in the action: %v, want ErrDuplicate", err)
	}
}

func contactIDs(cs []store.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
