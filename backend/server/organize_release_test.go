package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerReleasesAVolunteersContacts: the contacts a volunteer took
// and did not text go back to the pool (their app's queue empties at the
// next pull); what they texted, and other volunteers' contacts, stay. Bad
// input names what was wrong and changes nothing.
func TestOrganizerReleasesAVolunteersContacts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Release", batch: 3, contacts: 8, numbers: 1})
	c, u := f.member("leaver", cf)
	other, _ := f.member("stayer", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 3 {
		t.Fatalf("batch %+v %v", b, err)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	ob, err := other.Batch(ctx, cf.action.ID)
	if err != nil || len(ob.Assigned) != 3 {
		t.Fatalf("other's batch %+v %v", ob, err)
	}
	o := f.organizer(f.st)

	for _, bad := range []struct{ email, code, want string }{
		{"nobody@example.org", cf.campaign.JoinCode, "nobody@example.org"},
		{u.Email, "999999", "999999"},
		{u.Email, "12345", `no campaign has join code or id "12345"`},
	} {
		if _, err := o.ReleaseContacts(ctx, bad.email, bad.code); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("release %s in %s: %v, want an error naming %q", bad.email, bad.code, err, bad.want)
		}
	}
	elsewhere := f.campaign(campaignOpts{name: "Elsewhere", contacts: 1, numbers: 1})
	if _, err := o.ReleaseContacts(ctx, u.Email, elsewhere.campaign.JoinCode); err == nil || !strings.Contains(err.Error(), "has not joined") {
		t.Errorf("release in a campaign they never joined: %v", err)
	}
	if got := contactByID(t, f, b.Assigned[1].ContactID); got.State != store.ContactAssigned {
		t.Fatalf("a refused release changed contact state to %q", got.State)
	}

	got, err := o.ReleaseContacts(ctx, " "+strings.ToUpper(u.Email)+" ", cf.campaign.JoinCode)
	if err != nil || got.Released != 2 || got.Campaign != "Release" {
		t.Fatalf("release = %+v %v, want the 2 unsent contacts", got, err)
	}
	for i, a := range b.Assigned {
		want := store.ContactReleased
		if i == 0 {
			want = store.ContactTexted
		}
		if st := contactByID(t, f, a.ContactID).State; st != want {
			t.Errorf("contact %d is %q, want %q", i, st, want)
		}
	}
	for _, a := range ob.Assigned {
		if st := contactByID(t, f, a.ContactID).State; st != store.ContactAssigned {
			t.Errorf("the other volunteer's contact is %q, want still theirs", st)
		}
	}
	// The leaver's app learns it at the next pull: one assignment was sent
	// (gone with its text), two released.
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if n := state.count(api.KindAssignment); n != 0 {
		t.Fatalf("%d assignments still synced to the volunteer, want none", n)
	}
	if again, err := o.ReleaseContacts(ctx, u.Email, cf.campaign.JoinCode); err != nil || again.Released != 0 {
		t.Fatalf("a second release = %+v %v, want none", again, err)
	}
}
