package client

import (
	"context"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/report"
)

// writtenIn is what the volunteer wrote in a refused reply or report, for the
// Outbox to show: the refusal rolls the report off its conversation, and
// a conversation gone meanwhile (reassigned, blocked from another desktop)
// takes the reply with it, so without it what they wrote would be lost.
// Fields are named as the conversation's action names them while the cache
// has it; "" for other changes.
func writtenIn(ctx context.Context, ch *cache.Cache, r cache.OutboxRow) string {
	m := r.Mutation
	switch m.Type {
	case api.MutReply:
		return strings.TrimSpace(m.Body)
	case api.MutReport:
		return reportWords(reportFieldsFor(ctx, ch, r.ThreadID), m.Values)
	}
	return ""
}

// reportFieldsFor are the report fields of thread id's action, Opt Out and
// Notes among them. For a thread the cache no longer has (reassigned or
// blocked elsewhere meanwhile), whose action is not known, those of every
// action the cache has: a value is then still named by its label ("Will
// vote: Yes"), not by its key ("will_vote: true").
func reportFieldsFor(ctx context.Context, ch *cache.Cache, threadID string) []api.ReportField {
	fields := []api.ReportField{report.OptOutField, report.NotesField}
	if threadID != "" {
		if d, err := ch.Thread(ctx, threadID); err == nil {
			if a, err := ch.Action(ctx, d.Thread.ActionID); err == nil {
				return append(slices.Clone(a.ReportFields), fields...)
			}
		}
	}
	var known []api.ReportField
	camps, err := ch.Campaigns(ctx)
	if err != nil {
		return fields
	}
	for _, camp := range camps {
		actions, err := ch.Actions(ctx, camp.ID)
		if err != nil {
			return fields
		}
		for _, a := range actions {
			known = append(known, a.ReportFields...)
		}
	}
	return append(known, fields...)
}

// reportWords lists a report's values as its form shows them ("Will vote:
// Yes; Notes: call back Friday"), in the fields' order, then any key
// the fields do not name; a cleared value is left out.
func reportWords(fields []api.ReportField, values map[string]string) string {
	var parts []string
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.Key] {
			continue
		}
		seen[f.Key] = true
		v := values[f.Key]
		if v == "" {
			continue
		}
		if f.Kind == report.KindTag {
			v = map[bool]string{true: "Yes", false: "No"}[v == "true"]
		}
		parts = append(parts, f.Label+": "+v)
	}
	var rest []string
	for k, v := range values {
		if !seen[k] && v != "" {
			rest = append(rest, k+": "+v)
		}
	}
	slices.Sort(rest)
	return strings.Join(append(parts, rest...), "; ")
}
