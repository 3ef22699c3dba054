package client

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
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
