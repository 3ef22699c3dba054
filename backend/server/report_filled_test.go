package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestReportKeepsWhenItWasFilled: a report keeps when the app filled it
// (its createdAt), which the reports export asks a tag's "never asked"
// by: filled offline, it arrives later. A createdAt ahead of the server's
// clock, or none (another client of the API), is taken as now.
func TestReportKeepsWhenItWasFilled(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 3)
	now := f.clock.Now()
	offline := now.Add(-time.Hour)
	for i, created := range []time.Time{offline, now.Add(time.Hour), {}} {
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: assigned[i].ContactID,
			ReportID: uuid.NewString(), CreatedAt: created, Values: map[string]string{"notes": "n"}}))
	}
	filled := map[string]time.Time{}
	f.view(func(tx store.Tx) error {
		return tx.EachReportRow(context.Background(), cf.action.ID, func(r store.ReportRow) error {
			if r.FilledAt == nil {
				t.Errorf("report on %s stored without when it was filled", r.ThreadID)
			} else {
				filled[r.ThreadID] = *r.FilledAt
			}
			return nil
		})
	})
	for i, want := range []time.Time{offline, now, now} {
		if got := filled[assigned[i].ContactID]; !got.Equal(want) {
			t.Errorf("report %d: filled at %v, want %v", i+1, got, want)
		}
	}
}
