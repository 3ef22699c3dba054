package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testSearchLeavesOutRemoved: a volunteer an organizer took off a public
// campaign (RemoveMembership) no longer finds it by name, issue or in the
// empty search's list, since joining it is refused; by its exact code it
// is still found, as the code box finds it, so that joining says why
// (removed_from_campaign) and the right code is not counted as a wrong
// guess. Others still find it; a membership given again (admin add), or
// the removal forgotten (members readmit), lists it again.
func testSearchLeavesOutRemoved(t *testing.T, st store.Store) {
	w := newWorld(t, st, "srm", 0) // public "srm Campaign", issue "Turnout"; the volunteer is a member
	other := store.Campaign{ID: "srm-other", OrganizationID: w.Org.ID, Name: "srm Other", Issue: "Turnout",
		JoinCode: "484848", Active: true, Public: true, CreatedAt: t0}
	stranger := addUser(t, st, "srm-stranger")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateCampaign(ctx, other); err != nil {
			return err
		}
		return tx.RemoveMembership(ctx, w.Campaign.ID, w.Volunteer.ID, at(time.Hour))
	})
	search := func(user, q string) string {
		cs := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Campaign, error) {
			return tx.SearchCampaigns(ctx, user, q, 10)
		})
		out := ""
		for _, c := range cs {
			out += fmt.Sprintf("%s:%s ", c.ID, c.Role)
		}
		return out
	}
	check := func(when string, cases []struct{ user, q, want string }) {
		t.Helper()
		for _, c := range cases {
			if got := search(c.user, c.q); got != c.want {
				t.Errorf("%s: SearchCampaigns(%s, %q) = %q, want %q", when, c.user, c.q, got, c.want)
			}
		}
	}
	vol, camp := w.Volunteer.ID, w.Campaign.ID
	check("removed", []struct{ user, q, want string }{
		{vol, "srm", "srm-other: "},
		{vol, "turnout", "srm-other: "},
		{vol, "", "srm-other: "},
		{vol, w.Campaign.JoinCode, camp + ": "},
		{stranger.ID, "srm", camp + ": srm-other: "},
	})
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: camp, UserID: vol, Role: store.RoleVolunteer, CreatedAt: at(2 * time.Hour)})
		return err
	})
	check("added again", []struct{ user, q, want string }{
		{vol, "srm", camp + ":volunteer srm-other: "},
		{vol, "", camp + ":volunteer srm-other: "},
	})
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.RemoveMembership(ctx, camp, vol, at(3*time.Hour)); err != nil {
			return err
		}
		return tx.ForgetRemoval(ctx, camp, vol)
	})
	check("readmitted", []struct{ user, q, want string }{
		{vol, "srm", camp + ": srm-other: "},
		{vol, "", camp + ": srm-other: "},
	})
}
