package server_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// The Admin section's Results are `textbankd stats` for every action of the
// campaign: the same figures, from the same function, to its admins only.
func TestAdminResults(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 4, numbers: 1, scripts: []string{"Hi {first_name|friend}, will you vote?", "Hello {first_name|friend}!"}})
	c, assigned, from := texted(t, f, cf, 3)
	replyFrom(t, f, assigned[0], from, "Yes, I will")
	replyFrom(t, f, assigned[1], from, "STOP")
	f.drain()

	got, err := f.adminClient().AdminResults(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Actions) != 1 {
		t.Fatalf("%d actions, want the campaign's one: %+v", len(got.Actions), got)
	}
	r := got.Actions[0]
	if r.ActionID != cf.action.ID || r.Action != cf.action.Title || r.ActionType != api.ActionP2P || len(r.Scripts) != 2 {
		t.Fatalf("action %+v", r)
	}
	if r.Scripts[1].Script != 2 || r.Scripts[1].Text != "Hello {first_name|friend}!" {
		t.Errorf("second script %+v, want its number and text", r.Scripts[1])
	}
	tot := r.Total
	if tot.Contacts != 4 || tot.Sent != 3 || tot.Replies != 2 || tot.OptOuts != 1 || tot.ReplyRate != 2.0/3 || tot.OptOutRate != 1.0/3 {
		t.Errorf("total %+v, want 4 contacts, 3 sent, 2 replies, 1 opt-out", tot)
	}
	cli, err := f.organizer(f.st).Stats(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cli, r) {
		t.Errorf("Results %+v\nstats    %+v: want the same figures", r, cli)
	}

	// Volunteers and outsiders get the Admin section's 403.
	_, err = c.AdminResults(ctx, cf.campaign.ID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.adminClient().AdminResults(ctx, "no-such-campaign")
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
}
