package server

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
)

// Stats counts an action's results per initial script.
func (o *Organizer) Stats(ctx context.Context, actionID string) (api.ActionResults, error) {
	var out api.ActionResults
	err := o.store.View(ctx, func(tx store.Tx) error {
		a, c, err := findAction(ctx, tx, actionID, "", "")
		if err != nil {
			return err
		}
		out, err = actionResults(ctx, tx, a, c.OrganizationID)
		return err
	})
	return out, err
}

// actionResults is the one home of an action's results: `textbankd stats`
// and the Admin section's Results both show these.
func actionResults(ctx context.Context, tx store.Tx, a store.Action, orgID string) (api.ActionResults, error) {
	rows, err := tx.ScriptStats(ctx, a.ID, orgID)
	if err != nil {
		return api.ActionResults{}, err
	}
	outcomes, err := reportOutcomes(ctx, tx, a)
	if err != nil {
		return api.ActionResults{}, err
	}
	out := api.ActionResults{ActionID: a.ID, Action: a.Title, ActionType: a.Type, Scripts: []api.ScriptResult{}}
	out.Total.Tags = outcomes.tags(-1)
	by := map[int]store.ScriptStat{}
	n := len(a.Scripts)
	for _, r := range rows {
		by[r.ScriptIndex] = r
		n = max(n, r.ScriptIndex+1)
	}
	// Contacts whose script the campaign file no longer has (an older
	// server let a file drop one) still count: a row of their own, marked,
	// so the total is every contact of the action.
	for i := range n {
		r, ok := by[i]
		if i >= len(a.Scripts) && !ok {
			continue
		}
		sr := scriptResult(i+1, scriptText(a, i), r)
		sr.Dropped = i >= len(a.Scripts)
		sr.Reported, sr.Tags = outcomes.reported[i], outcomes.tags(i)
		out.Scripts = append(out.Scripts, sr)
		out.Total.Reported += sr.Reported
		out.Total.Contacts += r.Contacts
		out.Total.Sent += r.Sent
		out.Total.Delivered += r.Delivered
		out.Total.Failed += r.Failed
		out.Total.Replies += r.Replied
		out.Total.OptOuts += r.OptedOut
	}
	out.Total.ReplyRate, out.Total.OptOutRate = rate(out.Total.Replies, out.Total.Sent), rate(out.Total.OptOuts, out.Total.Sent)
	return out, nil
}

// outcomes are what the action's reports say now, per initial script
// (a contact's ScriptIndex): conversations reported, and per tag field
// those it is on, per choice field's choice those that answer it, per text
// or number field those that answer it (and a number's sum).
type outcomes struct {
	fields   []store.ReportField // the action's report fields, in the form's order
	reported map[int]int
	tagged   map[int]map[string]int     // script: answer (answerKey): conversations
	sums     map[int]map[string]float64 // script: number field's key: its answers added up
}

// answerKey is what tagged counts: a tag on, a choice field's answer, or
// a text or number field answered.
func answerKey(f store.ReportField, value string) string {
	if f.Kind == report.KindChoice {
		return f.Key + "=" + value
	}
	return f.Key
}

// tags is script i's count of each tag field and each choice of each
// choice field (every script's for i < 0).
func (o outcomes) tags(i int) []api.TagCount {
	out := make([]api.TagCount, 0, len(o.fields))
	count := func(key string) int {
		n := 0
		for s, by := range o.tagged {
			if i < 0 || s == i {
				n += by[key]
			}
		}
		return n
	}
	sum := func(key string) float64 {
		n := 0.0
		for s, by := range o.sums {
			if i < 0 || s == i {
				n += by[key]
			}
		}
		// Added in map order, fractions may differ in their last bits
		// from one count to the next (0.6000000000000001): answers are
		// counts and amounts, six decimals are plenty.
		return math.Round(n*1e6) / 1e6
	}
	for _, f := range o.fields {
		switch f.Kind {
		case report.KindTag:
			out = append(out, api.TagCount{Key: f.Key, Label: f.Label, Count: count(f.Key)})
		case report.KindChoice:
			for _, c := range f.Choices {
				out = append(out, api.TagCount{Key: f.Key, Label: f.Label, Choice: c, Count: count(answerKey(f, c))})
			}
		case report.KindText:
			out = append(out, api.TagCount{Key: f.Key, Label: f.Label, Kind: f.Kind, Count: count(f.Key)})
		case report.KindNumber:
			out = append(out, api.TagCount{Key: f.Key, Label: f.Label, Kind: f.Kind, Count: count(f.Key), Sum: sum(f.Key)})
		}
	}
	return out
}

// reportOutcomes reads the action's reports, merged per conversation as
// the app shows them (report.Latest), and counts them by initial script.
// The reports stream in no order and only each conversation's tag values
// are kept, each the newest (report.Newer): at 100,000 reports, sorting
// them with their contacts, as an export does, took seconds.
func reportOutcomes(ctx context.Context, tx store.Tx, a store.Action) (outcomes, error) {
	o := outcomes{fields: a.ReportFields, reported: map[int]int{}, tagged: map[int]map[string]int{}, sums: map[int]map[string]float64{}}
	type tagValue struct {
		value string // the field's latest value ("true" for a tag on)
		at    time.Time
		id    string // "" until a report has the field
	}
	type conversation struct {
		script int
		tags   []tagValue // o.fields' values
	}
	seen := map[string]*conversation{}
	err := tx.EachScriptReport(ctx, a.ID, func(r store.ScriptReport) error {
		c := seen[r.ThreadID]
		if c == nil {
			c = &conversation{script: r.ScriptIndex, tags: make([]tagValue, len(o.fields))}
			seen[r.ThreadID] = c
		}
		for i, f := range o.fields {
			v, ok := r.Values[f.Key]
			if ok && (c.tags[i].id == "" || report.Newer(r.SubmittedAt, r.ID, c.tags[i].at, c.tags[i].id)) {
				c.tags[i] = tagValue{value: v, at: r.SubmittedAt, id: r.ID}
			}
		}
		return nil
	})
	for _, c := range seen {
		o.reported[c.script]++
		for i, f := range o.fields {
			v := c.tags[i].value
			if v == "" || (f.Kind == report.KindTag && v != "true") {
				continue // unanswered, cleared, or a tag turned off
			}
			if o.tagged[c.script] == nil {
				o.tagged[c.script] = map[string]int{}
			}
			o.tagged[c.script][answerKey(f, v)]++
			if f.Kind == report.KindNumber {
				// report.Check let in only numbers a spreadsheet reads,
				// within MaxNumber (reports filed before it was: skipped).
				if n, err := strconv.ParseFloat(v, 64); err == nil && math.Abs(n) <= report.MaxNumber {
					if o.sums[c.script] == nil {
						o.sums[c.script] = map[string]float64{}
					}
					o.sums[c.script][f.Key] += n
				}
			}
		}
	}
	return o, err
}

func scriptResult(n int, text string, r store.ScriptStat) api.ScriptResult {
	return api.ScriptResult{Script: n, Text: text, Parts: scriptParts(text), Contacts: r.Contacts, Sent: r.Sent, Delivered: r.Delivered, Failed: r.Failed,
		Replies: r.Replied, ReplyRate: rate(r.Replied, r.Sent), OptOuts: r.OptedOut, OptOutRate: rate(r.OptedOut, r.Sent)}
}

// scriptParts are a script's words and merge fields, as the app shows
// them. A script the server once stored that no longer parses (none is
// stored unchecked) has none: the app shows its Text as it is.
func scriptParts(text string) []api.ScriptPart {
	pieces, err := script.Pieces(text)
	if err != nil || text == "" {
		return nil
	}
	out := make([]api.ScriptPart, len(pieces))
	for i, p := range pieces {
		out[i] = api.ScriptPart{Text: p.Text, Field: p.Field, Label: p.Label, Fallback: p.Fallback}
	}
	return out
}

// rate is n over of, nil when of is 0: no rate, not a rate of 0.
func rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}
