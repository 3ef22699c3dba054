package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var claimTests = []test{
	{"send path/a checked first text is claimed only if nothing changed", testClaimInitial},
}

// testClaimInitial: ClaimInitial moves an assigned contact to texted, and
// refuses (writing nothing) when anything its checks read has changed.
func testClaimInitial(t *testing.T, st store.Store) {
	w := newWorld(t, st, "clm", 4)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, _, err := tx.AssignContacts(ctx, w.Action.ID, w.Org.ID, w.Volunteer.ID, 4, 100, at(time.Hour), nil, nil); err != nil {
			return err
		}
		_, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID, t0)
		return err
	})
	since := at(time.Hour)
	claim := func(i int) store.InitialClaim {
		c := w.Contacts[i]
		return store.InitialClaim{ContactID: c.ID, UserID: w.Volunteer.ID, ActionID: w.Action.ID, Scripts: w.Action.Scripts,
			Hours: w.Action.TextingHours, OrganizationID: w.Org.ID, Phone: c.Phone, InitialSince: since,
			MessageID: "clm-msg", MutationID: "clm-mut", CampaignID: w.Campaign.ID, Number: w.Number}
	}
	try := func(name string, q store.InitialClaim, want bool) {
		t.Helper()
		var got bool
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			got, err = tx.ClaimInitial(ctx, q)
			return err
		})
		if got != want {
			t.Errorf("%s: claimed %v, want %v", name, got, want)
		}
		c := get(t, st, func(ctx context.Context, tx store.Tx) (store.Contact, error) { return tx.ContactByID(ctx, q.ContactID) })
		wantState := store.ContactAssigned
		if want || name == "already texted" {
			wantState = store.ContactTexted
		}
		if c.State != wantState {
			t.Errorf("%s: contact is %s, want %s", name, c.State, wantState)
		}
	}

	q := claim(0)
	q.Scripts = []string{"Another script"}
	try("scripts edited", q, false)
	q = claim(0)
	q.Hours.End = "20:00"
	try("hours edited", q, false)
	q = claim(0)
	q.Number = "+12025550999"
	try("the volunteer's number changed (numbers remove)", q, false)
	q = claim(0)
	q.UserID = w.Admin.ID
	try("assigned to someone else", q, false)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.PutMutation(ctx, store.Mutation{ID: "clm-mut", UserID: w.Volunteer.ID, Type: "send_initial", CreatedAt: t0})
	})
	try("mutation id taken", claim(0), false)
	q = claim(0)
	q.MutationID = "clm-mut2"
	try("first try", q, true)
	try("already texted", q, false)

	// Contact 0's thread and its initial text, at 1h: the message id is
	// taken now, and contact 0's number is in the 6-hour lock.
	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateMessage(ctx, store.Message{ID: "clm-msg", ThreadID: th.ID, Direction: dirOut, Body: "Hi", Status: statusQueued,
			Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)})
	})
	q = claim(1)
	q.MutationID = "clm-mut3"
	try("message id taken", q, false)
	q.MessageID = "clm-msg2"
	q.Phone = w.Contacts[0].Phone
	try("number texted since", q, false)
	q.InitialSince = at(time.Hour + time.Second)
	try("number texted before the window", q, true)

	q = claim(2)
	q.MessageID, q.MutationID = "clm-msg3", "clm-mut4"
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: w.Contacts[2].Phone, CreatedAt: t0})
	})
	try("opted out", q, false)
	q = claim(3)
	q.MessageID, q.MutationID = "clm-msg4", "clm-mut5"
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddBlock(ctx, store.Block{UserID: w.Volunteer.ID, Phone: w.Contacts[3].Phone, OrganizationID: w.Org.ID, CreatedAt: t0})
	})
	try("blocked", q, false)
}
