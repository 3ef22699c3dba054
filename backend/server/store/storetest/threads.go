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

var threadTests = []test{
	{"threads/round trip, update, duplicates", testThreadRoundTrip},
	{"threads/inbound routing: the last text to the contact from our number", testRouteThread},
	{"threads/inbound dedupe by provider id, repeated unroutable", testInboundDedupe},
	{"threads/one webhook delivered by 8 racing requests stores one text", testInboundRace},
	{"threads/by phone, inactive, initial texts since", testThreadQueries},
	{"threads/inactive: an unarchive or a report since the cutoff is activity", testInactiveActivity},
	{"threads/message media in order", testMedia},
	{"threads/children oldest first, ties by id", testThreadChildren},
}

var numberTests = []test{
	{"numbers/pool shared evenly, one per volunteer", testSendingNumbers},
	{"numbers/moved out of an archived campaign", testMoveSendingNumber},
	{"numbers/removed from the pool: given to nobody, conversations keep it, added back", testRemoveSendingNumber},
	{"numbers/what a number received stays with its campaign", testArrivalCampaign},
}

func testThreadRoundTrip(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "thr", 2)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, th.ID) })
	if got.ActionID != th.ActionID || got.CampaignID != th.CampaignID || got.OrganizationID != th.OrganizationID ||
		got.OwnerID != th.OwnerID || got.ContactName != th.ContactName || got.ContactPhone != th.ContactPhone ||
		got.SendingNumber != th.SendingNumber || !got.LastMessageAt.Equal(th.LastMessageAt) || !got.CreatedAt.Equal(th.CreatedAt) ||
		got.LastInboundAt != nil || got.LastOutboundAt != nil || got.LastReportAt != nil || got.ReportedThrough != nil || got.AnsweredThrough != nil || got.OptedOut || got.Blocked ||
		got.OptedBackInAt != nil || got.OptedBackInBy != "" || got.OptOutUndone {
		t.Fatalf("thread round trip:\n got %+v\nwant %+v", got, th)
	}
	th.OwnerID = w.Admin.ID
	th.LastMessageAt = at(time.Hour)
	th.LastInboundAt, th.LastOutboundAt, th.LastReportAt = ptr(at(time.Hour)), ptr(at(50*time.Minute)), ptr(at(55*time.Minute))
	th.ReportedThrough = ptr(at(45 * time.Minute)) // a reply before the report was filed (55)
	th.OptedOut, th.Blocked = true, true
	th.OptedBackInAt, th.OptedBackInBy, th.OptOutUndone = ptr(at(40*time.Minute)), w.Admin.ID, true
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateThread(ctx, th) })
	got = get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, th.ID) })
	if got.OwnerID != w.Admin.ID || !got.LastMessageAt.Equal(at(time.Hour)) || got.LastInboundAt == nil || !got.LastInboundAt.Equal(at(time.Hour)) ||
		got.LastOutboundAt == nil || !got.LastOutboundAt.Equal(at(50*time.Minute)) || got.LastReportAt == nil ||
		!got.LastReportAt.Equal(at(55*time.Minute)) || got.ReportedThrough == nil || !got.ReportedThrough.Equal(at(45*time.Minute)) || !got.OptedOut || !got.Blocked ||
		got.OptedBackInAt == nil || !got.OptedBackInAt.Equal(at(40*time.Minute)) || got.OptedBackInBy != w.Admin.ID || !got.OptOutUndone {
		t.Fatalf("after UpdateThread = %+v", got)
	}
	// Clearing a time stores no time.
	th.LastReportAt, th.ReportedThrough, th.AnsweredThrough, th.OptedBackInAt, th.OptedBackInBy, th.OptOutUndone = nil, nil, nil, nil, "", false
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateThread(ctx, th) })
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, th.ID) }); got.LastReportAt != nil || got.ReportedThrough != nil || got.AnsweredThrough != nil ||
		got.OptedBackInAt != nil || got.OptedBackInBy != "" || got.OptOutUndone {
		t.Fatalf("LastReportAt = %v, opted back in %v by %q after clearing them", got.LastReportAt, got.OptedBackInAt, got.OptedBackInBy)
	}
	for name, fn := range map[string]func(tx store.Tx) error{
		"a second thread for the contact": func(tx store.Tx) error { return tx.CreateThread(ctx, th) },
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("%s: %v, want ErrDuplicate", name, err)
		}
	}
	for name, fn := range map[string]func(tx store.Tx) error{
		"ThreadByID":   func(tx store.Tx) error { _, err := tx.ThreadByID(ctx, "nope"); return err },
		"UpdateThread": func(tx store.Tx) error { return tx.UpdateThread(ctx, store.Thread{ID: "nope", LastMessageAt: t0}) },
		"MessageByID":  func(tx store.Tx) error { _, err := tx.MessageByID(ctx, "nope"); return err },
		"ReportByID":   func(tx store.Tx) error { _, err := tx.ReportByID(ctx, "nope"); return err },
		"SetMessageStatus": func(tx store.Tx) error {
			return tx.SetMessageStatus(ctx, "nope", statusSent, "", "", nil)
		},
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a missing one: %v, want ErrNotFound", name, err)
		}
	}
	m := store.Message{ID: "msg", ThreadID: th.ID, Direction: dirOut, Body: "Hi ☃ — 你好", Status: statusQueued, Initial: true,
		SenderID: w.Volunteer.ID, CreatedAt: at(time.Minute)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateMessage(ctx, m) })
	gm := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, "msg") })
	if gm.ThreadID != m.ThreadID || gm.Direction != dirOut || gm.Body != m.Body || gm.Status != statusQueued || !gm.Initial ||
		gm.SenderID != m.SenderID || gm.ProviderID != "" || gm.Error != "" || gm.SentAt != nil || !gm.CreatedAt.Equal(m.CreatedAt) {
		t.Fatalf("message round trip:\n got %+v\nwant %+v", gm, m)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateMessage(ctx, m) }); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("a message id twice: %v, want ErrDuplicate", err)
	}
	r := store.Report{ID: "rep", ThreadID: th.ID, UserID: w.Volunteer.ID, Values: map[string]string{"vote": "yes", "note": "ça va"}, SubmittedAt: at(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateReport(ctx, r) })
	gr := get(t, st, func(ctx context.Context, tx store.Tx) (store.Report, error) { return tx.ReportByID(ctx, "rep") })
	if gr.ThreadID != r.ThreadID || gr.UserID != r.UserID || fmt.Sprint(gr.Values) != fmt.Sprint(r.Values) || !gr.SubmittedAt.Equal(r.SubmittedAt) {
		t.Fatalf("report round trip:\n got %+v\nwant %+v", gr, r)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateReport(ctx, r) }); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("a report id twice: %v, want ErrDuplicate", err)
	}
}

// testRouteThread: a reply goes to the thread of the last text sent to
// that contact from that number, whatever the campaign.
func testRouteThread(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	a := newWorld(t, st, "rta", 2)
	b := newWorld(t, st, "rtb", 2)
	// Contact 0 of a and of b have one phone (worlds number their contacts
	// alike); b's is texted from a's number too, later: b's thread wins.
	if a.Contacts[0].Phone != b.Contacts[0].Phone {
		t.Fatal("the worlds' contacts should share phones")
	}
	ta := a.thread(t, st, 0, a.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		c := b.Contacts[0]
		return tx.CreateThread(ctx, store.Thread{ID: c.ID, ActionID: b.Action.ID, CampaignID: b.Campaign.ID, OrganizationID: b.Org.ID,
			OwnerID: b.Volunteer.ID, ContactPhone: c.Phone, SendingNumber: a.Number, LastMessageAt: at(time.Minute), CreatedAt: at(time.Minute)})
	})
	route := func() (string, error) {
		var id string
		err := st.View(ctx, func(tx store.Tx) error {
			th, err := tx.RouteThread(ctx, a.Contacts[0].Phone, a.Number)
			id = th.ID
			return err
		})
		return id, err
	}
	// Nothing texted yet: no route.
	if _, err := route(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("route before any text: %v, want ErrNotFound", err)
	}
	setOut := func(id string, when time.Time) {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			th, err := tx.ThreadByID(ctx, id)
			if err != nil {
				return err
			}
			th.LastOutboundAt, th.LastMessageAt = &when, when
			return tx.UpdateThread(ctx, th)
		})
	}
	setOut(ta.ID, at(time.Hour))
	if id, err := route(); err != nil || id != ta.ID {
		t.Fatalf("route = %q, %v; want %s", id, err, ta.ID)
	}
	setOut(b.Contacts[0].ID, at(time.Hour+time.Microsecond))
	if id, err := route(); err != nil || id != b.Contacts[0].ID {
		t.Fatalf("route after a later text from the same number = %q, %v; want rtb-same-phone", id, err)
	}
	// Another of our numbers, or another contact: no route.
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.RouteThread(ctx, a.Contacts[0].Phone, b.Number); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("route from another number: %v, want ErrNotFound", err)
		}
		if _, err := tx.RouteThread(ctx, a.Contacts[1].Phone, a.Number); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("route of an untexted contact: %v, want ErrNotFound", err)
		}
		return nil
	})
}

// testInboundDedupe: a webhook delivered twice stores its text once. The
// server looks the provider id up first; the store also refuses a second
// message with the id, and a second unroutable text with it.
func testInboundDedupe(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "dup", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	in := store.Message{ID: "in-1", ThreadID: th.ID, Direction: dirIn, Body: "Who is this?", Status: statusRecv,
		ProviderID: "SM123", CreatedAt: at(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateMessage(ctx, in) })
	got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) {
		return tx.MessageByProviderID(ctx, "SM123")
	})
	if got.ID != "in-1" || got.Direction != dirIn {
		t.Fatalf("MessageByProviderID = %+v", got)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.MessageByProviderID(ctx, "SM999"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown provider id: %v, want ErrNotFound", err)
	}
	again := in
	again.ID = "in-2"
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateMessage(ctx, again) }); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("a second message with provider id SM123: %v, want ErrDuplicate", err)
	}
	// Outbound messages without a provider id yet are many.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i := range 3 {
			if err := tx.CreateMessage(ctx, store.Message{ID: fmt.Sprintf("out-%d", i), ThreadID: th.ID, Direction: dirOut,
				Body: "x", Status: statusQueued, CreatedAt: at(time.Minute)}); err != nil {
				return err
			}
		}
		return nil
	})
	// Giving a second message the provider id of the first is refused too.
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.SetMessageStatus(ctx, "out-0", statusSent, "SM123", "", ptr(at(time.Hour)))
	}); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("SetMessageStatus with a taken provider id: %v, want ErrDuplicate", err)
	}

	u := store.Unroutable{ID: "un-1", ProviderID: "SM555", From: "+14155550000", To: w.Number, Body: "hello?", ReceivedAt: at(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.AddUnroutable(ctx, u) })
	dupU := u
	dupU.ID = "un-2"
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.AddUnroutable(ctx, dupU) }); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("the same unroutable text twice: %v, want ErrDuplicate", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		// Without a provider id (the simulated network may not give one)
		// texts are all kept.
		for i := range 2 {
			if err := tx.AddUnroutable(ctx, store.Unroutable{ID: fmt.Sprintf("un-np-%d", i), From: "+14155550001", To: w.Number,
				Body: "hi", ReceivedAt: at(time.Duration(2+i) * time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) { return tx.ListUnroutable(ctx, 10) })
	if len(list) != 3 || list[0].ID != "un-np-1" || list[2].ID != "un-1" {
		t.Fatalf("ListUnroutable = %+v, want 3, newest first", list)
	}
	if l := list[2]; l.ProviderID != "SM555" || l.From != u.From || l.To != u.To || l.Body != u.Body || !l.ReceivedAt.Equal(u.ReceivedAt) {
		t.Fatalf("unroutable round trip = %+v, want %+v", l, u)
	}
	if list[0].ProviderID != "" {
		t.Fatalf("unroutable without provider id reads %q", list[0].ProviderID)
	}
	if l := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) { return tx.ListUnroutable(ctx, 1) }); len(l) != 1 {
		t.Fatalf("ListUnroutable limit 1 = %d rows", len(l))
	}
}

// testInboundRace is Twilio retrying a webhook while the first delivery is
// still being handled (or two servers behind a balancer each getting one):
// the look-up-then-insert of the server may interleave, and the store must
// then refuse the second insert with ErrDuplicate, not store the text twice.
func testInboundRace(t *testing.T, st store.Store) {
	w := newWorld(t, st, "irace", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			err := st.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.MessageByProviderID(ctx, "SMrace"); err == nil {
					return nil // a repeat: already stored
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if err := tx.CreateMessage(ctx, store.Message{ID: fmt.Sprintf("race-%d", i), ThreadID: th.ID, Direction: dirIn,
					Body: "yes", Status: statusRecv, ProviderID: "SMrace", CreatedAt: t0}); err != nil {
					return err
				}
				return tx.AddUnroutable(ctx, store.Unroutable{ID: fmt.Sprintf("race-u-%d", i), ProviderID: "SMrace-u",
					From: th.ContactPhone, To: w.Number, Body: "yes", ReceivedAt: t0})
			})
			if err != nil && !errors.Is(err, store.ErrDuplicate) {
				t.Errorf("delivery %d: %v, want success or ErrDuplicate", i, err)
			}
		})
	}
	wg.Wait()
	msgs := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]store.Message, error) {
		ids := make([]string, 8)
		for i := range ids {
			ids[i] = fmt.Sprintf("race-%d", i)
		}
		return tx.MessagesByIDs(ctx, ids)
	})
	if len(msgs) != 1 {
		t.Fatalf("the text is stored %d times, want once", len(msgs))
	}
	if un := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Unroutable, error) { return tx.ListUnroutable(ctx, 10) }); len(un) != 1 {
		t.Fatalf("the unroutable copy is stored %d times, want once", len(un))
	}
}

func testThreadQueries(t *testing.T, st store.Store) {
	w := newWorld(t, st, "tq", 3)
	t0th := w.thread(t, st, 0, w.Volunteer.ID) // last message at +1m
	t1th := w.thread(t, st, 1, w.Volunteer.ID)
	t2th := w.thread(t, st, 2, w.Admin.ID)
	other := newWorld(t, st, "tq-other-org", 1)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		t1th.LastMessageAt = at(10 * 24 * time.Hour)
		if err := tx.UpdateThread(ctx, t1th); err != nil {
			return err
		}
		// The owner archived thread 2: the archiver leaves it.
		if err := tx.PutInboxState(ctx, store.InboxState{UserID: w.Admin.ID, ThreadID: t2th.ID, Archived: true, ArchivedReason: "user"}); err != nil {
			return err
		}
		// Someone else's archive of thread 0 does not count.
		if err := tx.PutInboxState(ctx, store.InboxState{UserID: w.Admin.ID, ThreadID: t0th.ID, Archived: true, ArchivedReason: "user"}); err != nil {
			return err
		}
		return tx.CreateMessage(ctx, store.Message{ID: "init", ThreadID: t0th.ID, Direction: dirOut, Body: "Hi", Status: statusSent,
			Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)})
	})
	inactive := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
		return tx.InactiveThreads(ctx, at(24*time.Hour), 10)
	})
	if len(inactive) != 1 || inactive[0].ID != t0th.ID {
		t.Errorf("InactiveThreads = %v, want only thread 0 (1 is recent, 2 archived by its owner)", threadIDs(inactive))
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
		return tx.InactiveThreads(ctx, at(time.Minute), 10)
	}); len(got) != 0 {
		t.Errorf("InactiveThreads before the cutoff's instant = %v, want none (strictly before)", threadIDs(got))
	}
	byPhone := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
		return tx.ThreadsByPhone(ctx, w.Org.ID, w.Contacts[1].Phone)
	})
	if len(byPhone) != 1 || byPhone[0].ID != t1th.ID {
		t.Errorf("ThreadsByPhone = %v, want thread 1", threadIDs(byPhone))
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
		return tx.ThreadsByPhone(ctx, other.Org.ID, w.Contacts[1].Phone)
	}); len(got) != 0 {
		t.Errorf("ThreadsByPhone in another organization = %v", threadIDs(got))
	}
	for _, c := range []struct {
		org, phone string
		since      time.Time
		want       bool
	}{
		{w.Org.ID, w.Contacts[0].Phone, at(time.Hour), true}, // at the instant counts
		{w.Org.ID, w.Contacts[0].Phone, at(time.Hour + time.Microsecond), false},
		{w.Org.ID, w.Contacts[0].Phone, t0, true},
		{other.Org.ID, w.Contacts[0].Phone, t0, false},
		{w.Org.ID, w.Contacts[1].Phone, t0, false},
	} {
		got := get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) {
			return tx.InitialSentSince(ctx, c.org, c.phone, c.since)
		})
		if got != c.want {
			t.Errorf("InitialSentSince(%s, %s, %v) = %v, want %v", c.org, c.phone, c.since, got, c.want)
		}
	}
}

func threadIDs(ths []store.Thread) []string {
	out := make([]string, len(ths))
	for i, th := range ths {
		out[i] = th.ID
	}
	return out
}

// testThreadChildren: a thread's reports come oldest first and, of two
// filed in one instant, the smaller id first (whatever order they were
// stored in): the order the latest-reports export merges by, so that what
// the server takes as a thread's newest values (withdrawing an Opt Out on
// a lift) is the same on both engines.
func testThreadChildren(t *testing.T, st store.Store) {
	w := newWorld(t, st, "tc", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, r := range []store.Report{
			{ID: "tc-rep-b", ThreadID: th.ID, UserID: w.Volunteer.ID, Values: map[string]string{"vote": "yes"}, SubmittedAt: at(2 * time.Minute)},
			{ID: "tc-rep-a", ThreadID: th.ID, UserID: w.Admin.ID, Values: map[string]string{"vote": "no"}, SubmittedAt: at(2 * time.Minute)},
			{ID: "tc-rep-z", ThreadID: th.ID, UserID: w.Volunteer.ID, Values: map[string]string{"vote": "maybe"}, SubmittedAt: at(time.Minute)},
		} {
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
		}
		for _, m := range []store.Message{
			{ID: "tc-m-2", ThreadID: th.ID, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Minute)},
			{ID: "tc-m-1", ThreadID: th.ID, Direction: dirIn, Body: "Yes", Status: statusRecv, ProviderID: "SMtc1", RoutedTo: w.Volunteer.ID, CreatedAt: at(2 * time.Minute)},
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		msgs, reports, err := tx.ThreadChildren(ctx, th.ID)
		if err != nil {
			return err
		}
		if fmt.Sprint(msgs) != "[tc-m-2 tc-m-1]" {
			t.Errorf("ThreadChildren messages = %v, want [tc-m-2 tc-m-1] (oldest first)", msgs)
		}
		if fmt.Sprint(reports) != "[tc-rep-z tc-rep-a tc-rep-b]" {
			t.Errorf("ThreadChildren reports = %v, want [tc-rep-z tc-rep-a tc-rep-b] (oldest first, a tie by id)", reports)
		}
		return nil
	})
}
