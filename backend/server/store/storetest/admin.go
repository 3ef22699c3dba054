package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var adminTests = []test{
	{"admin/unroutable texts marked handled and open again", testUnroutableHandled},
	{"admin/last reply of many threads in one read", testLastInboundByThreads},
	{"admin/abuse reports and opt-ins marked reviewed and open again", testReviewed},
	{"admin/an opt-out lifted on a START is kept, renewed ones stand", testLiftOptOut},
	{"admin/an opt-out keeps its source; a report's undone is kept", testOptOutSource},
	{"admin/a campaign's opted-out threads, paged newest first", testOptedOutThreads},
	{"admin/the newest open and reviewed STARTs of many numbers", testStartsOf},
	{"admin/campaigns a user is an admin of", testAdminCampaigns},
	{"admin/threads reassigned to an admin, listed and counted", testReassignedTo},
	{"admin/when a thread was last read by anyone who held it", testThreadReadAt},
	{"admin/a campaign's admins, in the order they became one", testCampaignAdmins},
}

// testThreadReadAt: a hand-over tells the new owner of the replies no one
// who held the thread read (server reassign). Held by the volunteer, then
// handed to the admin, it was last read when either of them last read it;
// a read by someone it was never handed to does not count.
func testThreadReadAt(t *testing.T, st store.Store) {
	w := newWorld(t, st, "tra-", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	outsider := store.User{ID: "tra-out", Name: "Otto", Email: "tra-out@example.org", PasswordHash: "h", CreatedAt: t0}
	readAt := func(ownerID string) string {
		t.Helper()
		got := get(t, st, func(ctx context.Context, tx store.Tx) (*time.Time, error) {
			return tx.ThreadReadAt(ctx, th.ID, ownerID)
		})
		if got == nil {
			return "never"
		}
		return got.Sub(t0).String()
	}
	read := func(userID string, d time.Duration) {
		t.Helper()
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			return tx.PutInboxState(ctx, store.InboxState{UserID: userID, ThreadID: th.ID, LastReadAt: ptr(at(d))})
		})
	}
	if got := readAt(w.Volunteer.ID); got != "never" {
		t.Fatalf("a thread no one opened was last read at %s", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, outsider) })
	read(outsider.ID, 5*time.Hour)
	read(w.Volunteer.ID, time.Hour)
	if got := readAt(w.Volunteer.ID); got != "1h0m0s" {
		t.Fatalf("read by its owner at 1h: last read at %s", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		th.OwnerID = w.Admin.ID
		if err := tx.UpdateThread(ctx, th); err != nil {
			return err
		}
		return tx.AddReassignment(ctx, store.Reassignment{ID: "tra-r1", ThreadID: th.ID, FromUserID: w.Volunteer.ID, ToUserID: w.Admin.ID, CreatedAt: at(90 * time.Minute)})
	})
	if got := readAt(w.Admin.ID); got != "1h0m0s" {
		t.Fatalf("handed to the admin, who never opened it: last read at %s, want the volunteer's 1h", got)
	}
	read(w.Admin.ID, 2*time.Hour)
	if got := readAt(w.Admin.ID); got != "2h0m0s" {
		t.Fatalf("then read by the admin at 2h: last read at %s", got)
	}
}

// testReassignedTo: the threads an admin holds because they were handed
// to them, newest hand-over first; counted alike past a list's limit. A
// thread handed on to someone else, or blocked, is not theirs to list.
func testReassignedTo(t *testing.T, st store.Store) {
	w := newWorld(t, st, "reas", 4)
	var ths []store.Thread
	for i := range 4 {
		ths = append(ths, w.thread(t, st, i, w.Admin.ID))
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, th := range ths[:3] {
			if err := tx.AddReassignment(ctx, store.Reassignment{ID: fmt.Sprintf("r%d", i), ThreadID: th.ID, FromUserID: w.Volunteer.ID,
				ToUserID: w.Admin.ID, CreatedAt: at(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		ths[2].Blocked = true
		return tx.UpdateThread(ctx, ths[2])
	})
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
		return tx.ReassignedTo(ctx, w.Admin.ID, w.Campaign.ID, 1)
	})
	n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
		return tx.CountReassignedTo(ctx, w.Admin.ID, w.Campaign.ID)
	})
	if len(list) != 1 || list[0].ID != ths[1].ID || n != 2 {
		t.Fatalf("ReassignedTo (limit 1) = %v, count %d; want %s (the newest not blocked) and 2", threadIDs(list), n, ths[1].ID)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
		return tx.CountReassignedTo(ctx, w.Volunteer.ID, w.Campaign.ID)
	}); n != 0 {
		t.Fatalf("the volunteer who handed them on counts %d", n)
	}
}

// testAdminCampaigns: a user's admin campaigns are those where their role
// is admin, never one they only volunteer in nor another admin's.
func testAdminCampaigns(t *testing.T, st store.Store) {
	w := newWorld(t, st, "ac-", 0)
	other := newWorld(t, st, "ac-other-", 0)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		// w's admin volunteers in the other campaign.
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: other.Campaign.ID, UserID: w.Admin.ID, Role: store.RoleVolunteer, CreatedAt: t0})
		return err
	})
	admins := func(userID string) string {
		return fmt.Sprint(get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) { return tx.AdminCampaigns(ctx, userID) }))
	}
	if got, want := admins(w.Admin.ID), fmt.Sprint([]string{w.Campaign.ID}); got != want {
		t.Errorf("admin's campaigns %s, want %s", got, want)
	}
	if got := admins(w.Volunteer.ID); got != "[]" {
		t.Errorf("volunteer's admin campaigns %s, want none", got)
	}
	if got := admins("ac-nobody"); got != "[]" {
		t.Errorf("unknown user's admin campaigns %s, want none", got)
	}
}

// testUnroutableHandled: an admin marks an unroutable text handled; the
// campaign's open and handled lists and the count of handled ones follow,
// the text is kept, a second mark keeps who and when of the first, and
// marking it open again forgets both. An unknown text is ErrNotFound and
// changes nothing.
func testUnroutableHandled(t *testing.T, st store.Store) {
	w := newWorld(t, st, "uh-", 0)
	other := newWorld(t, st, "uh-other-", 0)
	texts := []store.Unroutable{
		{ID: "uh-1", From: "+14155550101", To: w.Number, Body: "first", ReceivedAt: at(time.Hour), CampaignID: w.Campaign.ID},
		{ID: "uh-2", ProviderID: "SM-uh-2", From: "+14155550102", To: w.Number, Body: "second", ReceivedAt: at(2 * time.Hour), CampaignID: w.Campaign.ID},
		{ID: "uh-3", From: "+14155550103", To: other.Number, Body: "theirs", ReceivedAt: at(3 * time.Hour), CampaignID: other.Campaign.ID},
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, u := range texts {
			if err := tx.AddUnroutable(ctx, u); err != nil {
				return err
			}
		}
		return tx.SetMarked(ctx, store.UnroutableMarks, "uh-1", true, w.Admin.ID, at(4*time.Hour))
	})
	list := func(campaignID string, which store.MarkFilter) string {
		got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) {
			return tx.UnroutableForCampaign(ctx, campaignID, which, 10)
		})
		var out []string
		for _, u := range got {
			out = append(out, u.ID)
		}
		return fmt.Sprint(out)
	}
	count := func(campaignID string) int {
		return get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
			return tx.CountMarked(ctx, store.UnroutableMarks, store.MarkDone, campaignID)
		})
	}
	byID := func(id string) store.Unroutable {
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.Unroutable, error) { return tx.UnroutableByID(ctx, id) })
	}
	check := func(open, handled string, n int) {
		t.Helper()
		if got := list(w.Campaign.ID, store.MarkOpen); got != open {
			t.Errorf("open texts %s, want %s", got, open)
		}
		if got := list(w.Campaign.ID, store.MarkDone); got != handled {
			t.Errorf("handled texts %s, want %s", got, handled)
		}
		if got := list(w.Campaign.ID, store.MarkAll); got != "[uh-2 uh-1]" {
			t.Errorf("all texts %s, want both, newest first", got)
		}
		if got := count(w.Campaign.ID); got != n {
			t.Errorf("%d handled texts, want %d", got, n)
		}
		if got := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
			return tx.CountMarked(ctx, store.UnroutableMarks, store.MarkOpen, w.Campaign.ID)
		}); got != 2-n {
			t.Errorf("%d open texts, want %d", got, 2-n)
		}
	}
	check("[uh-2]", "[uh-1]", 1)
	if got := list(other.Campaign.ID, store.MarkOpen); got != "[uh-3]" || count(other.Campaign.ID) != 0 {
		t.Errorf("the other campaign's open texts %s, want its own, none handled", got)
	}
	u := byID("uh-1")
	if u.Handled.By != w.Admin.ID || !u.Handled.At.Equal(at(4*time.Hour)) || u.Body != "first" || u.CampaignID != w.Campaign.ID {
		t.Errorf("handled text %+v, want handled by %s at %v", u, w.Admin.ID, at(4*time.Hour))
	}
	if u := byID("uh-2"); u.Handled.By != "" || !u.Handled.At.IsZero() || u.ProviderID != "SM-uh-2" || !u.ReceivedAt.Equal(at(2*time.Hour)) {
		t.Errorf("open text %+v", u)
	}

	// Marking it again, by another admin later, keeps the first mark.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMarked(ctx, store.UnroutableMarks, "uh-1", true, w.Volunteer.ID, at(5*time.Hour))
	})
	if u := byID("uh-1"); u.Handled.By != w.Admin.ID || !u.Handled.At.Equal(at(4*time.Hour)) {
		t.Errorf("marked twice: %+v, want the first mark kept", u)
	}
	// Open again: who and when are gone, the text stays.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMarked(ctx, store.UnroutableMarks, "uh-1", false, w.Admin.ID, at(6*time.Hour))
	})
	if u := byID("uh-1"); u.Handled.By != "" || !u.Handled.At.IsZero() {
		t.Errorf("marked open: %+v", u)
	}
	check("[uh-2 uh-1]", "[]", 0)

	// From textbankd's command line, which is no account: handled, by
	// nobody (handled_by NULL); listed and counted as handled; open again.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMarked(ctx, store.UnroutableMarks, "uh-2", true, "", at(6*time.Hour))
	})
	if u := byID("uh-2"); u.Handled.By != "" || !u.Handled.At.Equal(at(6*time.Hour)) {
		t.Errorf("marked from the command line: %+v, want handled at %v by no account", u, at(6*time.Hour))
	}
	check("[uh-1]", "[uh-2]", 1)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMarked(ctx, store.UnroutableMarks, "uh-2", false, "", at(7*time.Hour))
	})
	check("[uh-2 uh-1]", "[]", 0)

	ctx := ctxT(t)
	for _, fn := range []func(tx store.Tx) error{
		func(tx store.Tx) error {
			return tx.SetMarked(ctx, store.UnroutableMarks, "uh-none", true, w.Admin.ID, at(7*time.Hour))
		},
		func(tx store.Tx) error { _, err := tx.UnroutableByID(ctx, "uh-none"); return err },
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown text: %v, want ErrNotFound", err)
		}
	}
	check("[uh-2 uh-1]", "[]", 0)
}

// testLastInboundByThreads: the contact's latest text of each thread, as
// reading the whole thread finds it: outbound texts do not count, a thread
// with no reply and an unknown id are left out.
func testLastInboundByThreads(t *testing.T, st store.Store) {
	w := newWorld(t, st, "li-", 3)
	a := w.thread(t, st, 0, w.Volunteer.ID)
	b := w.thread(t, st, 1, w.Volunteer.ID)
	c := w.thread(t, st, 2, w.Volunteer.ID)
	msg := func(id string, th store.Thread, dir, body string, d time.Duration) store.Message {
		m := store.Message{ID: id, ThreadID: th.ID, Direction: dir, Body: body, Status: statusRecv, CreatedAt: at(d)}
		if dir == dirOut {
			m.Status, m.SenderID, m.Initial = statusSent, w.Volunteer.ID, id == "li-a0" || id == "li-c0"
		} else {
			m.RoutedTo = w.Volunteer.ID
		}
		return m
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range []store.Message{
			msg("li-a0", a, dirOut, "Hi A", time.Hour),
			msg("li-a1", a, dirIn, "who?", 2*time.Hour),
			msg("li-a3", a, dirIn, "stop texting me", 4*time.Hour),
			msg("li-a2", a, dirIn, "hello?", 3*time.Hour), // stored later, older
			msg("li-a4", a, dirOut, "Sorry!", 5*time.Hour),
			msg("li-b1", b, dirIn, "only a reply", 2*time.Hour),
			msg("li-c0", c, dirOut, "Hi C", time.Hour),
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	got := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]string, error) {
		return tx.LastInboundByThreads(ctx, []string{a.ID, b.ID, c.ID, "li-nothread", a.ID})
	})
	want := map[string]string{a.ID: "stop texting me", b.ID: "only a reply"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LastInboundByThreads = %v, want %v", got, want)
	}
	none := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]string, error) {
		return tx.LastInboundByThreads(ctx, nil)
	})
	if none == nil || len(none) != 0 {
		t.Errorf("LastInboundByThreads(nil) = %#v, want an empty map", none)
	}
}
