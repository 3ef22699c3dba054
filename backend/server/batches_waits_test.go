package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestTextAgainReadsPastContactsAsleep: a list whose first few hundred
// contacts are in a time zone still asleep (more than one Text Again's
// bound of pool rows read) hands out the contacts after them, instead of
// answering "outside texting hours" at every Text Again until the West
// Coast wakes up: the contacts passed over wait out of the pick until
// their morning, and come back then, first in list order.
func TestTextAgainReadsPastContactsAsleep(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const asleep = 320 // past pickScanLimit(5) = 300
	var phones []string
	for i := range asleep {
		phones = append(phones, fmt.Sprintf("+1206555%04d", i)) // Seattle: 9:00 at baseTime
	}
	// 10:00-21:00: New York (12:00) is inside, Seattle not yet.
	cf := f.campaign(campaignOpts{name: "Coast to Coast", batch: 5, contacts: asleep + 10, numbers: 1, phones: phones,
		hours: store.TextingHours{Start: "10:00", End: "21:00"}})
	c, _ := f.member("wes", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatalf("Text Again with the first %d contacts asleep: %v, want the New York contacts after them", asleep, err)
	}
	if len(b.Assigned) != 5 {
		t.Fatalf("batch of %d, want 5", len(b.Assigned))
	}
	for _, a := range b.Assigned {
		if !strings.HasPrefix(a.Phone, "+1212") {
			t.Fatalf("handed out %s, asleep in Seattle", a.Phone)
		}
	}
	if b.HeldBack == 0 || b.Remaining != asleep+5 {
		t.Fatalf("held back %d, remaining %d; want some held back, and the %d asleep still counted left with 5 New York", b.HeldBack, b.Remaining, asleep)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	// At 10:00 in Seattle they come back, first in list order.
	f.clock.Advance(time.Hour)
	c2, _ := f.member("sue", cf)
	b, err = c2.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 5 || b.Assigned[0].Phone != phones[0] {
		t.Fatalf("batch at Seattle's 10:00: %+v %v, want the first Seattle contacts", b.Assigned, err)
	}
}

// TestTextAgainWithOnlyContactsAsleep: once every contact left waits for
// its morning, Text Again reads none of them, and says how many are left,
// why, and when the first can be texted.
func TestTextAgainWithOnlyContactsAsleep(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "West", batch: 5, contacts: 3, numbers: 1,
		phones: []string{"+12065550001", "+12065550002", "+12065550003"}, hours: store.TextingHours{Start: "10:00", End: "21:00"}})
	c, _ := f.member("wes", cf)
	// The hours in the words the action's page shows beside the refusal ("Texting hours: 10 AM–9 PM").
	for i, want := range []string{"it is outside texting hours (10 AM–9 PM) for the contacts left in \"West action\"; 3 are held back until their morning; the first can be texted in 1 hour",
		"it is outside texting hours (10 AM–9 PM) for the 3 contacts left in \"West action\"; the first can be texted in 1 hour"} {
		_, err := c.Batch(ctx, cf.action.ID)
		ae := wantAPIError(t, err, http.StatusConflict, api.CodeOutsideHours)
		if !strings.Contains(ae.Err.Message, want) {
			t.Fatalf("Text Again %d answered %q, want %q", i+1, ae.Err.Message, want)
		}
	}
	f.clock.Advance(time.Hour)
	if b, err := c.Batch(ctx, cf.action.ID); err != nil || len(b.Assigned) != 3 {
		t.Fatalf("batch at 10:00 in Seattle: %+v %v, want the 3", b, err)
	}
}

// TestTextAgainReadsPastContactsThatCannotBeTexted: a list whose first
// few hundred contacts cannot be texted as the action stands (the script
// cannot be filled in for them; numbers of no known time zone) hands out
// the contacts after them, instead of refusing every Text Again at its
// bound of pool rows read; they wait until the organizer changes the
// action, which brings them back.
func TestTextAgainReadsPastContactsThatCannotBeTexted(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const blocked = 320 // past pickScanLimit(5) = 300
	cf := f.campaign(campaignOpts{name: "Polling", batch: 5, numbers: 1, scripts: []string{"Hi {first_name}, vote at {polling_place}."}})
	f.update(func(tx store.Tx) error {
		for i := range blocked + 5 {
			ct := store.Contact{ID: fmt.Sprintf("c%04d", i), ActionID: cf.action.ID, FirstName: fmt.Sprintf("C%d", i),
				Phone: fmt.Sprintf("+1212555%04d", i), Fields: map[string]string{"polling_place": "the library"}, CreatedAt: baseTime.Add(time.Duration(i))}
			switch {
			case i >= blocked:
			case i%2 == 0:
				ct.Fields["polling_place"] = "" // the script cannot be filled in
			default:
				ct.Phone = fmt.Sprintf("+80012%06d", i) // no known time zone
			}
			if err := tx.CreateContact(ctx, ct); err != nil {
				return err
			}
		}
		return nil
	})
	c, _ := f.member("wes", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 5 || b.Assigned[0].ContactID != fmt.Sprintf("c%04d", blocked) {
		t.Fatalf("Text Again with the first %d contacts blocked: %+v %v, want the 5 after them", blocked, b, err)
	}
	if b.Remaining != blocked {
		t.Fatalf("remaining %d, want the %d who cannot be texted still counted", b.Remaining, blocked)
	}
	for _, a := range b.Assigned {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
	}
	_, err = c.Batch(ctx, cf.action.ID)
	ae := wantAPIError(t, err, http.StatusConflict, api.CodeUnfillable)
	if want := fmt.Sprintf("the %d left cannot be texted as the action stands; for the first of them, the script cannot be filled in", blocked); !strings.Contains(ae.Err.Message, want) {
		t.Fatalf("Text Again with only blocked contacts left: %q, want %q", ae.Err.Message, want)
	}
	// The organizer mends the script: the first of them come back, in list order.
	a := cf.action
	a.Scripts = []string{"Hi {first_name}, vote at {polling_place|your polling place}."}
	f.update(func(tx store.Tx) error { return tx.UpdateAction(ctx, a) })
	b, err = c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 5 || b.Assigned[0].ContactID != "c0000" || b.Assigned[1].ContactID != "c0002" {
		t.Fatalf("Text Again after the script's mend: %+v %v, want c0000, c0002, ... (the no-zone ones still passed over)", b.Assigned, err)
	}
}
