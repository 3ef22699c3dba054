package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
)

// scriptReports is a store.Tx whose action has these reports, streamed in
// the order given.
type scriptReports struct {
	store.Tx
	reports []store.ScriptReport
}

func (s scriptReports) EachScriptReport(_ context.Context, _ string, fn func(store.ScriptReport) error) error {
	for _, r := range s.reports {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// TestReportOutcomesInAnyOrder: the reports come in no order; each
// conversation's tags are still its newest values (report.Latest's
// answer), ties of one instant broken by id, a later report without the
// field leaving it as it was, one clearing it taking it back.
func TestReportOutcomesInAnyOrder(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	rep := func(id, thread string, script int, min int, vals map[string]string) store.ScriptReport {
		return store.ScriptReport{Report: store.Report{ID: id, ThreadID: thread, Values: vals, SubmittedAt: t0.Add(time.Duration(min) * time.Minute)}, ScriptIndex: script}
	}
	reports := []store.ScriptReport{
		// t1 (script 0): voted, then a report of notes only: still voted.
		rep("a1", "t1", 0, 1, map[string]string{"will_vote": "true", "ride": "true", "household": "3"}),
		rep("a2", "t1", 0, 2, map[string]string{"notes": "nice", "household": "4", "best": "mornings"}),
		// t2 (script 0): voted, then taken back.
		rep("b1", "t2", 0, 1, map[string]string{"will_vote": "true"}),
		rep("b2", "t2", 0, 3, map[string]string{"will_vote": ""}),
		// t3 (script 1): two in the same instant: the greater id is the later.
		rep("c1", "t3", 1, 1, map[string]string{"will_vote": "false"}),
		rep("c2", "t3", 1, 1, map[string]string{"will_vote": "true"}),
		// t4 (script 1): reported, no tag on.
		rep("d1", "t4", 1, 1, map[string]string{"support": "Undecided", "household": "2.5"}),
		// t5, t6 (script 1): fractions, whose sum in map order could end in
		// ...0000001; and one past the bound (filed before it), not added.
		rep("e1", "t5", 1, 1, map[string]string{"household": "0.1"}),
		rep("f1", "t6", 1, 1, map[string]string{"household": "0.2"}),
		rep("g1", "t7", 1, 1, map[string]string{"household": "1e308"}),
	}
	a := store.Action{ID: "a", ReportFields: []store.ReportField{
		{Key: "will_vote", Label: "Will vote", Kind: report.KindTag},
		{Key: "support", Label: "Support", Kind: "choice", Choices: []string{"Strong", "Undecided"}},
		{Key: "ride", Label: "Needs a ride", Kind: report.KindTag},
		{Key: "household", Label: "Household", Kind: report.KindNumber},
		{Key: "best", Label: "Best time", Kind: report.KindText},
	}}
	// A number: the conversation's latest answer, counted and added up
	// (one past report.MaxNumber counted, not added); a text answered, counted.
	want := "reported map[0:2 1:5] script 0 [{will_vote Will vote   1 0} {support Support Strong  0 0} {support Support Undecided  0 0} {ride Needs a ride   1 0} {household Household  number 1 4} {best Best time  text 1 0}] " +
		"script 1 [{will_vote Will vote   1 0} {support Support Strong  0 0} {support Support Undecided  1 0} {ride Needs a ride   0 0} {household Household  number 4 2.8} {best Best time  text 0 0}]"
	// Forwards, backwards and rotated: the same counts.
	orders := [][]store.ScriptReport{reports, reversed(reports)}
	for k := 1; k < len(reports); k++ {
		orders = append(orders, append(append([]store.ScriptReport{}, reports[k:]...), reports[:k]...))
	}
	for i, order := range orders {
		o, err := reportOutcomes(context.Background(), scriptReports{reports: order}, a)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("reported %v script 0 %v script 1 %v", o.reported, o.tags(0), o.tags(1))
		if got != want {
			t.Errorf("order %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func reversed(rs []store.ScriptReport) []store.ScriptReport {
	out := make([]store.ScriptReport, len(rs))
	for i, r := range rs {
		out[len(rs)-1-i] = r
	}
	return out
}
