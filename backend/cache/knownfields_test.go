package cache_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// A report field an admin removes keeps its last label in the cache: a
// report filed in it, or refused for it, is still named as the volunteer's
// form named it. A field relabelled keeps the new label; leaving the
// campaign forgets them.
func TestKnownFieldsKeepRemovedLabels(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	vote := api.ReportField{Key: "will_vote", Label: "Will vote", Kind: "tag"}
	support := api.ReportField{Key: "support", Label: "Support", Kind: "choice", Choices: []string{"Yes", "No"}}
	action := func(fields ...api.ReportField) api.Action {
		return api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "Get out the vote", ReportFields: fields}
	}
	apply(t, c,
		change(t, 1, api.KindCampaign, "c1", api.Campaign{ID: "c1", Name: "Vote Yes"}),
		change(t, 2, api.KindAction, "a1", action(vote, support)),
		change(t, 3, api.KindAction, "a2", api.Action{ID: "a2", CampaignID: "c1", Type: api.ActionP2P, Title: "Recruit",
			ReportFields: []api.ReportField{{Key: "shift", Label: "Shift", Kind: "text"}}}))
	relabelled := support
	relabelled.Label = "Supports us"
	apply(t, c, change(t, 4, api.KindAction, "a1", action(relabelled)))

	got, err := c.KnownFields(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []api.ReportField{relabelled, vote}; !reflect.DeepEqual(got, want) {
		t.Fatalf("a1's known fields %+v, want %+v", got, want)
	}
	if a, err := c.Action(ctx, "a1"); err != nil || len(a.ReportFields) != 1 {
		t.Fatalf("the action itself has %+v (%v), want only the relabelled field", a.ReportFields, err)
	}
	if every, err := c.KnownFields(ctx, ""); err != nil || len(every) != 3 {
		t.Fatalf("every action's known fields %+v (%v), want three", every, err)
	}
	if none, err := c.KnownFields(ctx, "no-such-action"); err != nil || len(none) != 0 {
		t.Fatalf("an unknown action's %+v (%v), want none", none, err)
	}

	apply(t, c, api.Change{Version: 5, Kind: api.KindCampaign, ID: "c1", Deleted: true})
	if every, err := c.KnownFields(ctx, ""); err != nil || len(every) != 0 {
		t.Fatalf("after leaving the campaign %+v (%v), want none", every, err)
	}
}

// TestUpgradeKnowsTheCachedActionsFields: a cache from before 0017 knows
// its actions' fields once upgraded, so a field removed at the next sync
// keeps its label; an action whose data is not JSON, or has no fields,
// adds none, nor does a field that would not decode.
func TestUpgradeKnowsTheCachedActionsFields(t *testing.T) {
	dir := oldCache(t, 16,
		`INSERT INTO actions(id, campaign_id, type, title, data) VALUES ('a1', 'c1', 'p2p', 'One',
			'{"id":"a1","campaignId":"c1","reportFields":[{"key":"will_vote","label":"Will vote","kind":"tag"}]}')`,
		`INSERT INTO actions(id, campaign_id, type, title, data) VALUES ('a2', 'c1', 'p2p', 'Two', '{"id":"a2","reportFields":null}')`,
		`INSERT INTO actions(id, campaign_id, type, title, data) VALUES ('a3', 'c1', 'p2p', 'Three', 'not json')`,
		// Fields no api.ReportField decodes: kept, they would fail every read of known fields.
		`INSERT INTO actions(id, campaign_id, type, title, data) VALUES ('a4', 'c1', 'p2p', 'Four',
			'{"id":"a4","reportFields":[{"key":5,"label":"Five"},{"key":"l","label":7},{"key":"k","kind":["tag"]},
			{"key":"c","label":"C","kind":"choice","choices":"Yes"},{"key":"d","label":"D","kind":"choice","choices":["Yes",1]},
			{"key":"ok","label":"Fine","kind":"choice","choices":["Yes","No"]},{"key":"bare"}]}')`,
	)
	c, err := cache.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.KnownFields(context.Background(), "")
	want := []api.ReportField{{Key: "will_vote", Label: "Will vote", Kind: "tag"},
		{Key: "bare"}, {Key: "ok", Label: "Fine", Kind: "choice", Choices: []string{"Yes", "No"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("known fields after the upgrade %+v (%v), want %+v", got, err, want)
	}
}
