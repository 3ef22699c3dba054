package server

import (
	"strings"
	"time"

	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
)

// fieldsAddedAt gives an updated action's report fields (fields, from the
// file) their AddedAt: a field the action had (old) keeps its own, a new
// one was added now. A field removed and added again is new again: the
// reports filed in between never asked it.
func fieldsAddedAt(old, fields []store.ReportField, now time.Time) []store.ReportField {
	had := map[string]*time.Time{}
	for _, f := range old {
		had[f.Key] = f.AddedAt
	}
	for i := range fields {
		at, ok := had[fields[i].Key]
		if !ok {
			t := now
			at = &t
		}
		fields[i].AddedAt = at
	}
	return fields
}

// tagStates reads the reports export's tag columns (each tag field, and
// Opt Out) as a spreadsheet reader takes them: how each box stood when the
// report was filed. The app files only the boxes a volunteer changed, so a
// box a report left alone holds the conversation's earlier value, and one
// never ticked is "false": the form showed it off and the volunteer left
// it so. A field added to the action after the report was filled (in the
// app, which may have been offline: filledAt) was never asked there, and
// stays empty.
type tagStates struct {
	tags []store.ReportField
	// now: each conversation's tags as its reports so far left them.
	now map[string]map[string]string
}

func newTagStates(a store.Action) *tagStates {
	t := &tagStates{now: map[string]map[string]string{}}
	for _, f := range a.ReportFields {
		if f.Kind == report.KindTag {
			t.tags = append(t.tags, f)
		}
	}
	t.tags = append(t.tags, store.ReportField{Key: report.OptOut, Kind: report.KindTag})
	return t
}

// fill sets r's tag values to how they stood after r (rows come in the
// order the reports were filed, a conversation's in turn); r.Values is
// the caller's own map.
func (t *tagStates) fill(r store.ReportRow) map[string]string {
	state := t.now[r.ThreadID]
	if state == nil {
		state = map[string]string{}
		t.now[r.ThreadID] = state
	}
	out := make(map[string]string, len(r.Values)+len(t.tags))
	for k, v := range r.Values {
		out[k] = v
	}
	for _, f := range t.tags {
		if v, ok := r.Values[f.Key]; ok {
			state[f.Key] = v // "" clears it, as report.Latest has it
		}
		switch {
		case state[f.Key] != "":
			out[f.Key] = state[f.Key]
		case f.AddedAt != nil && filledAt(r).Before(*f.AddedAt):
			out[f.Key] = "" // not on the form this report was filed with
		default:
			out[f.Key] = "false"
		}
	}
	return out
}

// filledAt is when r was filled in the app: a report filled offline before
// a tag was added, and sent after, was filled on a form without it. The
// app's clock says, never later than the server took the report; a report
// from before that was kept, when it was submitted.
func filledAt(r store.ReportRow) time.Time {
	if r.FilledAt != nil && r.FilledAt.Before(r.SubmittedAt) {
		return *r.FilledAt
	}
	return r.SubmittedAt
}

// filedColumn is the reports export's last column: the columns (report
// fields, notes, opt_out, by their header names) the row's reports filed,
// set or cleared, separated by spaces. An empty cell of a field reads
// either way otherwise: left as it was, or cleared; with --latest,
// never answered, or answered and cleared.
const filedColumn = "filed"

// filed lists the columns of names (a column name per key) whose keys
// values holds (a report's values as filed, or report.Latest's), in the
// header's order.
func filed(values map[string]string, keys, names []string) string {
	var out []string
	for i, k := range keys {
		if _, ok := values[k]; ok {
			out = append(out, names[i])
		}
	}
	return strings.Join(out, " ")
}
