package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var inboxTests = []test{
	{"inbox/state and settings: missing reads as zero, put replaces", testInboxState},
	{"inbox/last answered: texts that went, not refused, failed or undelivered ones", testLastAnswered},
}

var optOutTests = []test{
	{"optouts/opt-outs hold across the organization, blocks per volunteer", testOptOutsAndBlocks},
	{"optouts/many numbers at once, as one by one", testAddOptOuts},
	{"optouts/many threads marked opted out at once, an opt-back-in forgotten", testSetOptedOut},
}

func testInboxState(t *testing.T, st store.Store) {
	w := newWorld(t, st, "inb", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	s := get(t, st, func(ctx context.Context, tx store.Tx) (store.InboxState, error) {
		return tx.InboxState(ctx, w.Volunteer.ID, th.ID)
	})
	if s != (store.InboxState{UserID: w.Volunteer.ID, ThreadID: th.ID}) {
		t.Fatalf("missing inbox state = %+v, want the zero state", s)
	}
	put := store.InboxState{UserID: w.Volunteer.ID, ThreadID: th.ID, LastReadAt: ptr(at(time.Hour)), Archived: true, ArchivedReason: "report",
		UnarchivedAt: ptr(at(30 * time.Minute))}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.PutInboxState(ctx, put) })
	s = get(t, st, func(ctx context.Context, tx store.Tx) (store.InboxState, error) {
		return tx.InboxState(ctx, w.Volunteer.ID, th.ID)
	})
	if s.LastReadAt == nil || !s.LastReadAt.Equal(at(time.Hour)) || !s.Archived || s.ArchivedReason != "report" ||
		s.UnarchivedAt == nil || !s.UnarchivedAt.Equal(at(30*time.Minute)) {
		t.Fatalf("inbox state = %+v, want %+v", s, put)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]store.InboxState, error) {
		return tx.InboxStates(ctx, w.Volunteer.ID, []string{th.ID})
	})[th.ID]; got.UnarchivedAt == nil || !got.UnarchivedAt.Equal(at(30*time.Minute)) || got.LastReadAt == nil || !got.Archived {
		t.Fatalf("InboxStates = %+v, want %+v", got, put)
	}
	// Put replaces every column, nil time included.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.PutInboxState(ctx, store.InboxState{UserID: w.Volunteer.ID, ThreadID: th.ID})
	})
	s = get(t, st, func(ctx context.Context, tx store.Tx) (store.InboxState, error) {
		return tx.InboxState(ctx, w.Volunteer.ID, th.ID)
	})
	if s.LastReadAt != nil || s.Archived || s.ArchivedReason != "" || s.UnarchivedAt != nil {
		t.Fatalf("after putting the zero state = %+v", s)
	}
	// Another user's state of the thread is theirs alone.
	if s := get(t, st, func(ctx context.Context, tx store.Tx) (store.InboxState, error) {
		return tx.InboxState(ctx, w.Admin.ID, th.ID)
	}); s.Archived {
		t.Fatalf("admin's state = %+v", s)
	}

	if set := get(t, st, func(ctx context.Context, tx store.Tx) (store.Settings, error) {
		return tx.Settings(ctx, w.Volunteer.ID)
	}); set != (store.Settings{UserID: w.Volunteer.ID}) {
		t.Fatalf("missing settings = %+v", set)
	}
	for _, auto := range []bool{true, false, true} {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			return tx.PutSettings(ctx, store.Settings{UserID: w.Volunteer.ID, AutoArchive: auto})
		})
		if set := get(t, st, func(ctx context.Context, tx store.Tx) (store.Settings, error) {
			return tx.Settings(ctx, w.Volunteer.ID)
		}); set.AutoArchive != auto {
			t.Fatalf("AutoArchive = %v after putting %v", set.AutoArchive, auto)
		}
	}
	if set := get(t, st, func(ctx context.Context, tx store.Tx) (store.Settings, error) { return tx.Settings(ctx, w.Admin.ID) }); set.AutoArchive {
		t.Fatal("one user's setting shows for another")
	}
}

func testOptOutsAndBlocks(t *testing.T, st store.Store) {
	w := newWorld(t, st, "opt", 3)
	other := newWorld(t, st, "opt-other", 0)
	phone := w.Contacts[0].Phone
	first := store.OptOut{OrganizationID: w.Org.ID, Phone: phone, Reason: "STOP", SourceMessageID: "m1", CreatedAt: at(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.AddOptOut(ctx, first) })
	// A second opt-out of the number keeps the first (its reason and time).
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: phone, Reason: "manual", CreatedAt: at(2 * time.Hour)})
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, c := range []struct {
			org, phone string
			want       bool
		}{{w.Org.ID, phone, true}, {other.Org.ID, phone, false}, {w.Org.ID, w.Contacts[1].Phone, false}} {
			got, err := tx.IsOptedOut(ctx, c.org, c.phone)
			if err != nil {
				return err
			}
			if got != c.want {
				t.Errorf("IsOptedOut(%s, %s) = %v, want %v", c.org, c.phone, got, c.want)
			}
		}
		set, err := tx.OptedOutPhones(ctx, w.Org.ID)
		if err != nil {
			return err
		}
		if _, ok := set[phone]; !ok || len(set) != 1 {
			t.Errorf("OptedOutPhones = %v, want {%s}", set, phone)
		}
		var listed []store.OptOut
		if err := tx.EachOptOut(ctx, w.Org.ID, func(o store.OptOut) error { listed = append(listed, o); return nil }); err != nil {
			return err
		}
		if len(listed) != 1 || listed[0].Reason != "STOP" || listed[0].SourceMessageID != "m1" || !listed[0].CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("EachOptOut = %+v, want the first opt-out only", listed)
		}
		return nil
	})
	// An opted-out number is never handed out for texting.
	var got []store.Contact
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		got, _, err = tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 10, 100, t0, nil, nil)
		return err
	})
	for _, c := range got {
		if c.Phone == phone {
			t.Errorf("opted-out contact %s handed out", c.ID)
		}
	}
	if len(got) != 2 {
		t.Errorf("assigned %d, want the 2 not opted out", len(got))
	}

	b := store.Block{UserID: w.Volunteer.ID, Phone: w.Contacts[1].Phone, OrganizationID: w.Org.ID, ContactID: w.Contacts[1].ID,
		Reason: "abusive", SourceMessageID: "m2", CreatedAt: at(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.AddBlock(ctx, b); err != nil {
			return err
		}
		return tx.AddBlock(ctx, b) // twice is once
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, c := range []struct {
			user, phone string
			want        bool
		}{{w.Volunteer.ID, b.Phone, true}, {w.Admin.ID, b.Phone, false}, {w.Volunteer.ID, phone, false}} {
			got, err := tx.IsBlocked(ctx, c.user, c.phone)
			if err != nil {
				return err
			}
			if got != c.want {
				t.Errorf("IsBlocked(%s, %s) = %v, want %v", c.user, c.phone, got, c.want)
			}
		}
		// A block is the volunteer's: the number stays textable for others.
		if opted, err := tx.IsOptedOut(ctx, w.Org.ID, b.Phone); err != nil || opted {
			t.Errorf("a block opted the number out (%v, %v)", opted, err)
		}
		return nil
	})
}

// testAddOptOuts: an import's opt-outs, many in one call, are what
// AddOptOut makes one by one: new ones with the reason and time, one there
// already kept with its first reason and time and renewed, a number twice
// in the list once (not renewed by itself), another organization untouched.
func testAddOptOuts(t *testing.T, st store.Store) {
	w := newWorld(t, st, "optm", 3)
	other := newWorld(t, st, "optm-other", 0)
	p0, p1, p2 := w.Contacts[0].Phone, w.Contacts[1].Phone, w.Contacts[2].Phone
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: p0, Reason: "STOP", SourceMessageID: "m1", CreatedAt: at(time.Hour)})
	})
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.AddOptOuts(ctx, w.Org.ID, nil, "imported", ""); err != nil {
			return err
		}
		// Each number its own time (moved from another tool, the list
		// gives them); p1 twice keeps its first.
		return tx.AddOptOuts(ctx, w.Org.ID, []store.PhoneAt{{Phone: p0, At: at(2 * time.Hour)},
			{Phone: p1, At: at(2 * time.Hour)}, {Phone: p2, At: at(-48 * time.Hour)}, {Phone: p1, At: at(3 * time.Hour)}}, "imported from list.csv", "list.csv")
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		// The list's file is kept apart (ImportedFrom), the STOP's kept none.
		for _, c := range []struct {
			phone, reason, source, file string
			created, renewed            time.Time
		}{
			{p0, "STOP", "m1", "", at(time.Hour), at(2 * time.Hour)},
			{p1, "imported from list.csv", "", "list.csv", at(2 * time.Hour), time.Time{}},
			{p2, "imported from list.csv", "", "list.csv", at(-48 * time.Hour), time.Time{}},
		} {
			o, err := tx.OptOutOf(ctx, w.Org.ID, c.phone)
			if err != nil {
				return err
			}
			if o.Reason != c.reason || o.SourceMessageID != c.source || o.ImportedFrom != c.file || !o.CreatedAt.Equal(c.created) || !o.RenewedAt.Equal(c.renewed) {
				t.Errorf("opt-out of %s = %+v, want reason %q, source %q, file %q, created %v, renewed %v", c.phone, o, c.reason, c.source, c.file, c.created, c.renewed)
			}
		}
		set, err := tx.OptedOutPhones(ctx, other.Org.ID)
		if err != nil {
			return err
		}
		if len(set) != 0 {
			t.Errorf("another organization has opt-outs %v", set)
		}
		return nil
	})
}

func testLastAnswered(t *testing.T, st store.Store) {
	w := newWorld(t, st, "answ", 3)
	went := w.thread(t, st, 0, w.Volunteer.ID)
	failed := w.thread(t, st, 1, w.Volunteer.ID)
	none := w.thread(t, st, 2, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range []store.Message{
			{ID: "a1", ThreadID: went.ID, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)},
			{ID: "a2", ThreadID: went.ID, Direction: dirIn, Body: "When?", Status: statusRecv, CreatedAt: at(2 * time.Hour)},
			{ID: "a3", ThreadID: went.ID, Direction: dirOut, Body: "Tuesday", Status: statusQueued, SenderID: w.Volunteer.ID, CreatedAt: at(3 * time.Hour)},
			{ID: "b1", ThreadID: failed.ID, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)},
			{ID: "b2", ThreadID: failed.ID, Direction: dirOut, Body: "Hello?", Status: "failed", Error: "30006", SenderID: w.Volunteer.ID, CreatedAt: at(3 * time.Hour)},
			{ID: "b3", ThreadID: failed.ID, Direction: dirOut, Body: "Anyone?", Status: "undelivered", SenderID: w.Volunteer.ID, CreatedAt: at(4 * time.Hour)},
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]time.Time, error) {
		return tx.LastAnswered(ctx, []string{went.ID, failed.ID, none.ID})
	})
	if len(got) != 2 || !got[went.ID].Equal(at(3*time.Hour)) || !got[failed.ID].Equal(at(time.Hour)) {
		t.Fatalf("LastAnswered = %v, want %s at +3h (queued counts), %s at +1h (failed, undelivered do not), %s absent",
			got, went.ID, failed.ID, none.ID)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]time.Time, error) {
		return tx.LastAnswered(ctx, nil)
	}); len(got) != 0 {
		t.Fatalf("LastAnswered of no threads = %v", got)
	}
}
