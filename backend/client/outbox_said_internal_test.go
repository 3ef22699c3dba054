package client

import (
	"context"
	"reflect"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/report"
)

// countingFields is a cache of two campaigns' actions that counts its reads.
type countingFields struct {
	campaigns, actions int
}

func (f *countingFields) Thread(context.Context, string) (cache.ThreadDetail, error) {
	return cache.ThreadDetail{}, cache.ErrNotFound
}

func (f *countingFields) Action(context.Context, string) (api.Action, error) {
	return api.Action{}, cache.ErrNotFound
}

func (f *countingFields) Campaigns(context.Context) ([]api.Campaign, error) {
	f.campaigns++
	return []api.Campaign{{ID: "c1"}, {ID: "c2"}}, nil
}

func (f *countingFields) Actions(_ context.Context, campaignID string) ([]api.Action, error) {
	f.actions++
	if campaignID == "c1" {
		return []api.Action{{ID: "a1", ReportFields: []api.ReportField{{Key: "will_vote", Label: "Will vote", Kind: "tag"}}}}, nil
	}
	return []api.Action{{ID: "a2", ReportFields: []api.ReportField{{Key: "support", Label: "Support", Kind: "choice"}}}}, nil
}

// An Outbox of refused reports whose conversations are gone (reassigned
// meanwhile) names their values by every cached action's fields: read once
// for the list, not once a row.
func TestOutboxReadsEveryActionOnceAList(t *testing.T) {
	ctx := context.Background()
	src := &countingFields{}
	names := newFieldNames(src)
	rows := []cache.OutboxRow{
		{Mutation: api.Mutation{Type: api.MutReport, ThreadID: "gone1", Values: map[string]string{"will_vote": "true"}}, Rejected: true},
		{Mutation: api.Mutation{Type: api.MutReport, ThreadID: "gone2", Values: map[string]string{"support": "Strong"}}, Rejected: true},
		{Mutation: api.Mutation{Type: api.MutReport, Values: map[string]string{"notes": "call back"}}, Rejected: true},
	}
	want := []string{"Will vote: Yes", "Support: Strong", "Notes: call back"}
	for i, r := range rows {
		if got := names.writtenIn(ctx, r); got != want[i] {
			t.Errorf("row %d: %q, want %q", i, got, want[i])
		}
	}
	if src.campaigns != 1 || src.actions != 2 {
		t.Fatalf("read the campaigns %d times and their actions %d times for one list, want 1 and 2 (one a campaign)", src.campaigns, src.actions)
	}
}

// A report refused for a field an admin took off its action carries the
// server's words, which name the field by its key: the Outbox names it as
// the volunteer's form did while a cached action labels it, else in words
// for its key; a refusal of anything else keeps its words.
func TestRefusedReportNamesTheFieldNotItsKey(t *testing.T) {
	ctx := context.Background()
	names := newFieldNames(&countingFields{})
	cases := []struct {
		values map[string]string
		code   string
		why    string
		want   string
	}{
		{map[string]string{"will_vote": "true"}, api.RejectInvalid, `this action's report has no field "will_vote"`,
			`The campaign server refused this: this action's report has no field "Will vote"`},
		{map[string]string{"favourite_colour": "blue", "notes": "x"}, api.RejectInvalid, `this action's report has no field "favourite_colour"`,
			`The campaign server refused this: this action's report has no field "Favourite colour"`},
		{map[string]string{"will_vote": "true"}, api.RejectNotAssigned, "thread not assigned to you",
			"This conversation is no longer assigned to you."},
		{map[string]string{"support": "Maybe"}, api.RejectInvalid, `"Maybe" is not one of the choices for Support`,
			`The campaign server refused this: "Maybe" is not one of the choices for Support`},
	}
	for _, c := range cases {
		m := api.Mutation{Type: api.MutReport, ThreadID: "gone", Values: c.values}
		if got := names.reason(ctx, m, "", c.code, c.why); got != c.want {
			t.Errorf("%v refused %q: %q, want %q", c.values, c.why, got, c.want)
		}
	}
}

func (f *countingFields) KnownFields(context.Context, string) ([]api.ReportField, error) {
	return nil, nil
}

// fieldRemoved is a cache whose one conversation's action lost its field
// "will_vote" (labelled "Will they vote") after a report was filed in it.
type fieldRemoved struct{ countingFields }

func (f *fieldRemoved) Thread(context.Context, string) (cache.ThreadDetail, error) {
	return cache.ThreadDetail{Thread: api.Thread{ID: "t1", ActionID: "a1"}}, nil
}

func (f *fieldRemoved) Action(context.Context, string) (api.Action, error) {
	return api.Action{ID: "a1", ReportFields: []api.ReportField{{Key: "support", Label: "Support", Kind: "choice"}}}, nil
}

func (f *fieldRemoved) KnownFields(context.Context, string) ([]api.ReportField, error) {
	return []api.ReportField{{Key: "support", Label: "Support", Kind: "choice"}, {Key: "will_vote", Label: "Will they vote", Kind: "tag"}}, nil
}

// The sync that brings a refusal for a removed field has usually brought
// the action without it too: the Outbox still names the field by the label
// the volunteer's form gave it, and what they wrote by it.
func TestRefusedReportNamesARemovedFieldByItsLastLabel(t *testing.T) {
	ctx := context.Background()
	names := newFieldNames(&fieldRemoved{})
	m := api.Mutation{Type: api.MutReport, ThreadID: "t1", Values: map[string]string{"will_vote": "true", "support": "Yes"}}
	want := `The campaign server refused this: this action's report has no field "Will they vote"`
	if got := names.reason(ctx, m, "t1", api.RejectInvalid, `this action's report has no field "will_vote"`); got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	if got, want := names.writtenIn(ctx, cache.OutboxRow{Mutation: m, ThreadID: "t1"}), "Support: Yes; Will they vote: Yes"; got != want {
		t.Errorf("written %q, want %q", got, want)
	}
}

// The report history names a key its action no longer has by the field's
// last label while the cache knows it, and reads its value by its last kind
// (a tag's "true" is Yes, not "true"); else by the key's words, as text. The
// action's own fields, Opt Out and Notes are the form's.
func TestRemovedFields(t *testing.T) {
	reports := []api.Report{
		{Values: map[string]string{"support": "Yes", "notes": "x", "opt_out": "false"}},
		{Values: map[string]string{"will_vote": "true", "favourite_colour": "blue"}},
		{Values: map[string]string{"will_vote": "false"}},
	}
	current := []api.ReportField{{Key: "support", Label: "Support"}}
	known := []api.ReportField{{Key: "support", Label: "Support"}, {Key: "will_vote", Label: "Will they vote", Kind: "tag"}}
	got := removedFields(reports, current, known)
	want := []api.ReportField{
		{Key: "favourite_colour", Label: "Favourite colour", Kind: "text"},
		{Key: "will_vote", Label: "Will they vote", Kind: "tag"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("removedFields = %+v, want %+v", got, want)
	}
	if got := removedFields(nil, current, known); got == nil || len(got) != 0 {
		t.Fatalf("no reports: %#v, want an empty list", got)
	}
}

// A report refused before it is queued (report.Check on this computer: the
// form was open when an admin removed a field) names the field as the form
// did, as the server's refusal is named; any other problem is as it was.
func TestCheckedNamesARemovedFieldByItsLastLabel(t *testing.T) {
	ctx := context.Background()
	names := newFieldNames(&fieldRemoved{})
	err := report.Check([]api.ReportField{{Key: "support", Label: "Support", Kind: "choice"}}, map[string]string{"will_vote": "true"})
	if got, want := names.checked(ctx, "t1", err).Error(), `this action's report has no field "Will they vote"`; got != want {
		t.Errorf("checked %q, want %q", got, want)
	}
	other := &report.Error{Key: "support", Problem: `"Maybe" is not one of the choices for Support`}
	if got := names.checked(ctx, "t1", other); got != other {
		t.Errorf("another problem became %v", got)
	}
}
