package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestRefusedFirstTextHandsTheContactBack: a first text refused for a
// reason that lasts (an opt-out, a block, the organization's 6-hour lock,
// a script that cannot be filled in) hands the contact back to the pool
// in the refusal's transaction, so that Text Again brings new contacts
// instead of handing the refused one back forever. A refusal that passes
// (texting hours) keeps it.
func TestRefusedFirstTextHandsTheContactBack(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cases := []struct {
		name    string
		code    string
		between func(cf campaignFix, c store.Contact, u api.User)
	}{
		{"opted out meanwhile", api.RejectOptedOut, func(cf campaignFix, c store.Contact, _ api.User) {
			f.update(func(tx store.Tx) error {
				return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: c.Phone, Reason: "test", CreatedAt: baseTime})
			})
		}},
		{"texted by another action", api.RejectRecentlyTexted, func(cf campaignFix, c store.Contact, _ api.User) {
			// The same number in another campaign of the organization,
			// texted first.
			other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{c.Phone}})
			oc, _ := f.member("other-"+uuid.NewString()[:8], other)
			b, err := oc.Batch(ctx, other.action.ID)
			if err != nil {
				t.Fatal(err)
			}
			res, _ := sendInitial(t, oc, b.Assigned[0].ContactID)
			wantApplied(t, res)
		}},
		{"script cannot be filled in", api.RejectInvalid, func(cf campaignFix, c store.Contact, _ api.User) {
			a := cf.action
			a.Scripts = []string{"Hi {first_name}, vote at {polling_place}."}
			f.update(func(tx store.Tx) error { return tx.UpdateAction(ctx, a) })
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cf := f.campaign(campaignOpts{name: fmt.Sprintf("Refusal %d", i), batch: 2, contacts: 4, numbers: 1})
			c, u := f.member(fmt.Sprintf("vol%d", i), cf)
			b, err := c.Batch(ctx, cf.action.ID)
			if err != nil {
				t.Fatal(err)
			}
			refused := contactByID(t, f, b.Assigned[0].ContactID)
			tc.between(cf, refused, u)
			res, _ := sendInitial(t, c, refused.ID)
			wantRejected(t, res, tc.code)
			if got := contactByID(t, f, refused.ID); got.State != store.ContactReleased || got.AssignedTo != "" {
				t.Fatalf("refused contact is %q to %q, want released to nobody", got.State, got.AssignedTo)
			}
			// Its assignment leaves the volunteer's synced queue.
			state := syncState{}
			syncAll(t, c, state, 0, 0)
			if n := state.count(api.KindAssignment); n != 1 {
				t.Fatalf("%d assignments synced after the refusal, want the other 1", n)
			}
			if tc.code == api.RejectInvalid {
				return // the script fits no one now: the next case says what Text Again answers
			}
			res, _ = sendInitial(t, c, b.Assigned[1].ContactID)
			wantApplied(t, res)
			again, err := c.Batch(ctx, cf.action.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range again.Assigned {
				if a.ContactID == refused.ID && tc.code == api.RejectOptedOut {
					t.Fatalf("the opted-out contact was handed out again")
				}
			}
			if len(again.Assigned) == 0 || again.Assigned[0].ContactID == b.Assigned[0].ContactID && len(again.Assigned) == 1 {
				t.Fatalf("Text Again after the refusal = %+v, want new contacts", again.Assigned)
			}
		})
	}

	t.Run("outside texting hours keeps the contact", func(t *testing.T) {
		cf := f.campaign(campaignOpts{name: "Hours", batch: 2, contacts: 2, numbers: 1})
		c, _ := f.member("hours", cf)
		b, err := c.Batch(ctx, cf.action.ID)
		if err != nil {
			t.Fatal(err)
		}
		a := cf.action
		a.TextingHours = store.TextingHours{Start: "03:00", End: "04:00"} // baseTime is 16:00 UTC: morning in New York
		f.update(func(tx store.Tx) error { return tx.UpdateAction(ctx, a) })
		res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
		wantRejected(t, res, api.RejectQuietHours)
		if got := contactByID(t, f, b.Assigned[0].ContactID); got.State != store.ContactAssigned {
			t.Fatalf("contact refused for the hour is %q, want still assigned", got.State)
		}
	})
}

// TestTextAgainPassesOverUnfillableContacts: contacts the script cannot be
// filled in for stay in the pool, unassigned, and a pool of nothing else
// says so, the first time as the next.
func TestTextAgainPassesOverUnfillableContacts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{batch: 5, numbers: 1, scripts: []string{"Hi {first_name}, your polling place is {polling_place}."}})
	// Only the second contact has the column filled.
	f.update(func(tx store.Tx) error {
		for i := range 3 {
			ct := store.Contact{ID: uuid.NewString(), ActionID: cf.action.ID, FirstName: fmt.Sprintf("Contact%d", i), LastName: "Test",
				Phone: fmt.Sprintf("+121255590%02d", i), Fields: map[string]string{"polling_place": ""}, CreatedAt: baseTime.Add(time.Duration(i))}
			if i == 1 {
				ct.Fields["polling_place"] = "the library"
			}
			if err := tx.CreateContact(ctx, ct); err != nil {
				return err
			}
			cf.contacts = append(cf.contacts, ct)
		}
		return nil
	})
	c, _ := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Assigned) != 1 || b.Assigned[0].ContactID != cf.contacts[1].ID || b.HeldBack != 0 {
		t.Fatalf("batch = %+v (held back %d), want only the contact with a polling place, none held back for the hour", b.Assigned, b.HeldBack)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	for _, want := range []string{"the 2 left cannot be texted as the action stands; for the first of them, the script cannot be filled in", "the 2 left cannot"} {
		_, err = c.Batch(ctx, cf.action.ID)
		ae := wantAPIError(t, err, http.StatusConflict, api.CodeUnfillable)
		if !strings.Contains(ae.Err.Message, want) {
			t.Fatalf("unfillable pool answered %q, want %q: why and how many", ae.Err.Message, want)
		}
	}
	for _, i := range []int{0, 2} {
		if got := contactByID(t, f, cf.contacts[i].ID); got.State != store.ContactUnassigned {
			t.Fatalf("unfillable contact %d is %q, want left unassigned", i, got.State)
		}
	}
}

// TestReleaseNamedContacts: a release naming contacts hands back only
// those of the caller's unsent ones; a malformed list changes nothing.
func TestReleaseNamedContacts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf, c, _, b := f.texting("vera", campaignOpts{batch: 3, contacts: 5, numbers: 1})
	_, _, _, wb := f.texting("walt", campaignOpts{name: "Walt's", batch: 1, contacts: 1, numbers: 1})
	tok := f.token(c)
	path := "/api/v1/actions/" + cf.action.ID + "/release"
	bad := []struct {
		name string
		body any
		want string
	}{
		{"empty id", api.ReleaseRequest{ContactIDs: []string{b.Assigned[0].ContactID, ""}}, "contactIds[1] is not a contact id"},
		{"overlong id", api.ReleaseRequest{ContactIDs: []string{strings.Repeat("x", 101)}}, "contactIds[0] is not a contact id"},
		{"too many", api.ReleaseRequest{ContactIDs: make([]string, 1001)}, "at most 1000 contacts"},
		{"not JSON", "not json", "not valid JSON"},
		// Not "none named": every contact would go back.
		{"empty list", `{"contactIds": []}`, "contactIds is an empty list"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := f.raw(http.MethodPost, path, tok, tc.body)
			if status != http.StatusBadRequest || !strings.Contains(string(raw), tc.want) {
				t.Fatalf("%s: %d %s, want 400 saying %q", tc.name, status, raw, tc.want)
			}
			for _, a := range b.Assigned {
				if got := contactByID(t, f, a.ContactID); got.State != store.ContactAssigned {
					t.Fatalf("after a bad release contact %s is %q, want still assigned", a.ContactID, got.State)
				}
			}
		})
	}
	// Another volunteer's contact, named, is not released.
	rel, err := c.Release(ctx, cf.action.ID, []string{b.Assigned[1].ContactID, wb.Assigned[0].ContactID})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Released != 1 {
		t.Fatalf("released %d, want 1", rel.Released)
	}
	for i, want := range []string{store.ContactAssigned, store.ContactReleased, store.ContactAssigned} {
		if got := contactByID(t, f, b.Assigned[i].ContactID); got.State != want {
			t.Fatalf("contact %d is %q, want %q", i, got.State, want)
		}
	}
	if got := contactByID(t, f, wb.Assigned[0].ContactID); got.State != store.ContactAssigned {
		t.Fatalf("walt's contact is %q after vera named it, want still his", got.State)
	}
}

func contactByID(t *testing.T, f *fixture, id string) (c store.Contact) {
	t.Helper()
	f.view(func(tx store.Tx) (err error) {
		c, err = tx.ContactByID(context.Background(), id)
		return err
	})
	return c
}

// TestArchivedCampaignStopsFirstTexts: archiving a campaign hands its
// volunteers' unsent contacts back and hands out no more, so no first text
// goes out after it; a conversation under way can still be answered.
func TestArchivedCampaignStopsFirstTexts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf, c, _, b := f.texting("vera", campaignOpts{name: "Spring", batch: 3, contacts: 6, numbers: 1})
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	if _, err := f.organizer(f.st).ArchiveCampaign(ctx, cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	res, _ = sendInitial(t, c, b.Assigned[1].ContactID)
	wantRejected(t, res, api.RejectNotAssigned)
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if n := state.count(api.KindAssignment); n != 0 {
		t.Fatalf("%d assignments still synced after the archive, want 0", n)
	}
	// The members' apps hear that it is archived (the Admin page says so).
	var camp api.Campaign
	if ch, ok := state[key(api.KindCampaign, cf.campaign.ID)]; !ok || json.Unmarshal(ch.Data, &camp) != nil || !camp.Archived {
		t.Fatalf("the campaign as synced after the archive: %+v (%v), want archived", camp, ok)
	}
	_, err := c.Batch(ctx, cf.action.ID)
	ae := wantAPIError(t, err, http.StatusConflict, api.CodeCampaignArchived)
	if !strings.Contains(ae.Err.Message, `"Spring" has been archived`) {
		t.Fatalf("Text Again in an archived campaign says %q", ae.Err.Message)
	}
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: b.Assigned[0].ContactID,
		MessageID: uuid.NewString(), Body: "Thanks for getting back to me!"}))
}

// TestTextAgainPassesOverRecentlyTexted: a number the organization sent a
// first text within the 6-hour lock (another campaign's list holding the
// same people) is not handed out: its send would be refused, and the
// contact handed back to be handed out again, batch after batch. Text
// Again says how many it passed over, answers recently_texted when they
// are all that is left, and hands them out once the lock has passed.
func TestTextAgainPassesOverRecentlyTexted(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	first := f.campaign(campaignOpts{name: "First", batch: 5, contacts: 3, numbers: 1})
	fc, _ := f.member("fay", first)
	b, err := fc.Batch(ctx, first.action.ID)
	if err != nil || len(b.Assigned) != 3 {
		t.Fatalf("first campaign's batch %+v %v", b, err)
	}
	var phones []string
	for _, a := range b.Assigned {
		res, _ := sendInitial(t, fc, a.ContactID)
		wantApplied(t, res)
		phones = append(phones, contactByID(t, f, a.ContactID).Phone)
	}
	second := f.campaign(campaignOpts{name: "Second", batch: 5, contacts: 4, numbers: 1, phones: phones})
	c, _ := f.member("sam", second)
	got, err := c.Batch(ctx, second.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Assigned) != 1 || got.RecentlyTexted != 3 || got.HeldBack != 0 {
		t.Fatalf("batch %+v, want the one contact not texted yet, 3 passed over as recently texted, none held back for the hour", got)
	}
	if p := contactByID(t, f, got.Assigned[0].ContactID).Phone; slices.Contains(phones, p) {
		t.Fatalf("handed out %s, texted by the first campaign", p)
	}
	res, _ := sendInitial(t, c, got.Assigned[0].ContactID)
	wantApplied(t, res)
	_, err = c.Batch(ctx, second.action.ID)
	ae := wantAPIError(t, err, http.StatusConflict, api.CodeRecentlyTexted)
	if !strings.Contains(ae.Err.Message, "the 3 contacts left") || !strings.Contains(ae.Err.Message, "last 6 hours") ||
		!strings.Contains(ae.Err.Message, "the first can be texted in 6 hours") {
		t.Fatalf("Text Again with only recently texted contacts left answered %q, want how many and why", ae.Err.Message)
	}
	f.clock.Advance(6*time.Hour + time.Minute)
	got, err = c.Batch(ctx, second.action.ID)
	if err != nil || len(got.Assigned) != 3 || got.RecentlyTexted != 0 {
		t.Fatalf("batch after the lock %+v %v, want the 3", got, err)
	}
	res, _ = sendInitial(t, c, got.Assigned[0].ContactID)
	wantApplied(t, res)
}

// TestTextAgainNeedsSendingNumbers: in a campaign with no sending numbers
// no text can go out, so Text Again hands out nothing and says why,
// instead of a batch whose every Send is refused. Once the organizer adds
// a number, a volunteer who joined before has none yet and still gets a
// batch (the first text takes one).
func TestTextAgainNeedsSendingNumbers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "No Numbers Yet", batch: 3, contacts: 3, numbers: 0})
	c, _ := f.member("nia", cf)
	_, err := c.Batch(ctx, cf.action.ID)
	ae := wantAPIError(t, err, http.StatusConflict, api.CodeNoNumber)
	if !strings.Contains(ae.Err.Message, `"No Numbers Yet" has no sending numbers in use`) || !strings.Contains(ae.Err.Message, "ask the organizer") {
		t.Fatalf("Text Again in a campaign without numbers answered %q, want why and what to do", ae.Err.Message)
	}
	for _, ct := range cf.contacts {
		if got := contactByID(t, f, ct.ID); got.State != store.ContactUnassigned {
			t.Fatalf("contact %s is %q after the refusal, want unassigned", ct.ID, got.State)
		}
	}
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, cf.campaign.ID, "+12025550199", baseTime) })
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 3 {
		t.Fatalf("batch once the campaign has a number: %+v %v", b, err)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
}
