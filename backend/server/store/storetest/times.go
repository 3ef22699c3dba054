package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var timeTests = []test{
	{"times/UTC out, microseconds kept, nil stays nil", testTimeRoundTrip},
	{"times/order by times a microsecond apart", testTimeOrder},
}

// testTimeRoundTrip: whatever zone a time comes in, it reads back as the
// same instant in UTC with its microseconds (the server truncates its clock
// to microseconds, the precision of PostgreSQL's timestamps); the wire
// formats these times, so the zone shows.
func testTimeRoundTrip(t *testing.T, st store.Store) {
	w := newWorld(t, st, "tim", 2)
	zone := time.FixedZone("UTC-7", -7*3600)
	local := time.Date(2026, 7, 4, 23, 59, 59, 999999000, zone) // the next day in UTC
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "tz", Name: "TZ", Email: "tz@example.org", CreatedAt: local}); err != nil {
			return err
		}
		th := store.Thread{ID: w.Contacts[0].ID, ActionID: w.Action.ID, CampaignID: w.Campaign.ID, OrganizationID: w.Org.ID, OwnerID: "tz",
			ContactPhone: w.Contacts[0].Phone, SendingNumber: w.Number, LastMessageAt: local, LastInboundAt: ptr(local.Add(time.Microsecond)),
			CreatedAt: local}
		if err := tx.CreateThread(ctx, th); err != nil {
			return err
		}
		return tx.CreateMessage(ctx, store.Message{ID: "tm", ThreadID: th.ID, Direction: dirOut, Body: "x", Status: statusSent,
			CreatedAt: local, SentAt: ptr(local.Add(2 * time.Microsecond))})
	})
	check := func(what string, got time.Time, want time.Time) {
		t.Helper()
		if !got.Equal(want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
		if got.Location() != time.UTC {
			t.Errorf("%s is in %v, want UTC", what, got.Location())
		}
		if got.Format(time.RFC3339Nano) != want.UTC().Format(time.RFC3339Nano) {
			t.Errorf("%s formats as %s, want %s", what, got.Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
		}
	}
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		u, err := tx.UserByID(ctx, "tz")
		if err != nil {
			return err
		}
		check("user created", u.CreatedAt, local)
		th, err := tx.ThreadByID(ctx, w.Contacts[0].ID)
		if err != nil {
			return err
		}
		check("thread last message", th.LastMessageAt, local)
		if th.LastInboundAt == nil {
			t.Fatal("LastInboundAt lost")
		}
		check("thread last inbound", *th.LastInboundAt, local.Add(time.Microsecond))
		if th.LastOutboundAt != nil || th.LastReportAt != nil {
			t.Errorf("nil times read back as %v, %v", th.LastOutboundAt, th.LastReportAt)
		}
		m, err := tx.MessageByID(ctx, "tm")
		if err != nil {
			return err
		}
		check("message created", m.CreatedAt, local)
		if m.SentAt == nil {
			t.Fatal("SentAt lost")
		}
		check("message sent", *m.SentAt, local.Add(2*time.Microsecond))
		ths, err := tx.ThreadsByIDs(ctx, []string{th.ID})
		if err != nil {
			return err
		}
		check("thread by ids", ths[th.ID].LastMessageAt, local)
		c, err := tx.ContactByID(ctx, w.Contacts[1].ID)
		if err != nil {
			return err
		}
		if c.AssignedAt != nil {
			t.Errorf("unassigned contact's AssignedAt = %v", c.AssignedAt)
		}
		check("contact created", c.CreatedAt, w.Contacts[1].CreatedAt)
		return nil
	})
	// The zero time (a Go default nobody set) survives too.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateOrganization(ctx, store.Organization{ID: "zero", Name: "Zero"})
	})
	if o := get(t, st, func(ctx context.Context, tx store.Tx) (store.Organization, error) {
		return tx.OrganizationByID(ctx, "zero")
	}); !o.CreatedAt.IsZero() {
		t.Errorf("zero time read back as %v", o.CreatedAt)
	}
}

// testTimeOrder: rows ordered or filtered by time keep times a microsecond
// apart, and across a day boundary in any zone, in order.
func testTimeOrder(t *testing.T, st store.Store) {
	w := newWorld(t, st, "tor", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	east := time.FixedZone("UTC+9", 9*3600)
	// Created in this order, listed in time order: b (earliest), a, c.
	times := map[string]time.Time{
		"a": time.Date(2026, 5, 2, 8, 0, 0, 1000, east), // 2026-05-01T23:00:00.000001Z
		"b": time.Date(2026, 5, 1, 23, 0, 0, 0, time.UTC),
		"c": time.Date(2026, 5, 1, 23, 0, 0, 2000, time.UTC),
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, id := range []string{"a", "b", "c"} {
			if err := tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: th.ID, Direction: dirOut, Body: id, Status: statusQueued,
				Initial: true, CreatedAt: times[id]}); err != nil {
				return err
			}
		}
		return nil
	})
	q := pending(t, st, statusQueued)
	if got := fmt.Sprint(outgoingIDs(q)); got != "[b a c]" {
		t.Fatalf("queued order = %s, want [b a c]", got)
	}
	// The same instants filter as they order, whatever the zone asked in.
	for _, c := range []struct {
		since time.Time
		want  bool
	}{
		{times["c"], true}, // at the instant counts
		{times["c"].Add(time.Microsecond), false},
		{times["a"].Add(time.Microsecond).In(east), true}, // c is after it
		{times["b"].In(time.FixedZone("UTC-10", -10*3600)), true},
	} {
		if got := get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) {
			return tx.InitialSentSince(ctx, w.Org.ID, th.ContactPhone, c.since)
		}); got != c.want {
			t.Errorf("InitialSentSince(%v) = %v, want %v", c.since, got, c.want)
		}
	}
}
