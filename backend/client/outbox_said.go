package client

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/report"
)

// fieldSource is what fieldNames reads of the cache.
type fieldSource interface {
	Thread(ctx context.Context, id string) (cache.ThreadDetail, error)
	Action(ctx context.Context, id string) (api.Action, error)
	Campaigns(ctx context.Context) ([]api.Campaign, error)
	Actions(ctx context.Context, campaignID string) ([]api.Action, error)
	KnownFields(ctx context.Context, actionID string) ([]api.ReportField, error)
}

// fieldNames names refused reports' values for one Outbox list (or one
// round's refusal notices). The fields of every action the cache has are
// read at most once for it, however many of its rows' conversations are
// gone: each such row read every campaign's actions again.
type fieldNames struct {
	src   fieldSource
	every []api.ReportField
	read  bool
}

func newFieldNames(src fieldSource) *fieldNames { return &fieldNames{src: src} }

// writtenIn is what the volunteer wrote in a refused reply or report, for the
// Outbox to show: the refusal rolls the report off its conversation, and
// a conversation gone meanwhile (reassigned, blocked from another desktop)
// takes the reply with it, so without it what they wrote would be lost.
// Fields are named as the conversation's action names them while the cache
// has it; "" for other changes.
func (n *fieldNames) writtenIn(ctx context.Context, r cache.OutboxRow) string {
	m := r.Mutation
	switch m.Type {
	case api.MutReply:
		return strings.TrimSpace(m.Body)
	case api.MutReport:
		return reportWords(n.fieldsFor(ctx, r.ThreadID), m.Values)
	}
	return ""
}

// reason is why the server refused a change, in the volunteer's words
// (volunteerReason). A report refused for a field its action no longer has
// (an admin changed the action's fields after it was filed) carries the
// server's words, which name the field by its key: it is named as the
// volunteer's form named it while the cache has it, else by a readable form
// of its key (report.KeyWords).
func (n *fieldNames) reason(ctx context.Context, m api.Mutation, threadID, code, why string) string {
	words := volunteerReason(m.Type, code, why)
	if m.Type != api.MutReport || code != api.RejectInvalid {
		return words
	}
	for k := range m.Values {
		if raw := report.NoField(k); strings.Contains(words, raw) {
			return strings.Replace(words, raw, report.NoField(fieldName(n.fieldsFor(ctx, threadID), k)), 1)
		}
	}
	return words
}

// checked is report.Check's refusal of a report on thread id, a field the
// action no longer has (its form was open when an admin removed it) named as
// the volunteer's form named it, as the server's refusal is (reason), not by
// its key.
func (n *fieldNames) checked(ctx context.Context, threadID string, err error) error {
	var re *report.Error
	if !errors.As(err, &re) || re.Problem != report.NoField(re.Key) {
		return err
	}
	return &report.Error{Key: re.Key, Problem: report.NoField(fieldName(n.fieldsFor(ctx, threadID), re.Key))}
}

// fieldsFor are the report fields of thread id's action, Opt Out and
// Notes among them, then those the action had before (an admin removed
// one since; the sync bringing a refusal for it has usually brought the
// change too): a value is named as the volunteer's form named it. For a
// thread the cache no longer has (reassigned or blocked elsewhere
// meanwhile), whose action is not known, those of every action the cache
// has: a value is then still named by its label ("Will vote: Yes"), not by
// its key ("will_vote: true").
func (n *fieldNames) fieldsFor(ctx context.Context, threadID string) []api.ReportField {
	fields := []api.ReportField{report.OptOutField, report.NotesField}
	if threadID != "" {
		if d, err := n.src.Thread(ctx, threadID); err == nil {
			known, err := n.src.KnownFields(ctx, d.Thread.ActionID)
			if a, aerr := n.src.Action(ctx, d.Thread.ActionID); aerr == nil && err == nil {
				return slices.Concat(a.ReportFields, fields, known)
			}
		}
	}
	if !n.read {
		n.read = true
		n.every = n.everyField(ctx)
	}
	return append(slices.Clone(n.every), fields...)
}

// everyField lists the report fields of every action the cache has, then
// those they had before; none if it cannot read them (the values are then
// named by their keys' words).
func (n *fieldNames) everyField(ctx context.Context) []api.ReportField {
	camps, err := n.src.Campaigns(ctx)
	if err != nil {
		return nil
	}
	var known []api.ReportField
	for _, camp := range camps {
		actions, err := n.src.Actions(ctx, camp.ID)
		if err != nil {
			return nil
		}
		for _, a := range actions {
			known = append(known, a.ReportFields...)
		}
	}
	before, err := n.src.KnownFields(ctx, "")
	if err != nil {
		return nil
	}
	return append(known, before...)
}

// removedFields are the fields of the keys thread's reports hold that its
// action's fields (current, Opt Out, Notes) do not, in key order: each as
// last known while the cache knows it (its label, and its kind: a tag's
// value reads Yes or No, as the volunteer's form and the Outbox say it),
// else a text field named by its key's words. The history shows them so,
// with no copy of the rule in the frontend.
func removedFields(reports []api.Report, current, known []api.ReportField) []api.ReportField {
	out := []api.ReportField{}
	fields := slices.Concat(current, []api.ReportField{report.OptOutField, report.NotesField})
	has := func(fs []api.ReportField, k string) bool {
		return slices.ContainsFunc(fs, func(f api.ReportField) bool { return f.Key == k })
	}
	for _, r := range reports {
		for k := range r.Values {
			if has(out, k) || has(fields, k) {
				continue
			}
			if i := slices.IndexFunc(known, func(f api.ReportField) bool { return f.Key == k && f.Label != "" }); i >= 0 {
				out = append(out, known[i])
			} else {
				out = append(out, api.ReportField{Key: k, Label: report.KeyWords(k), Kind: report.KindText})
			}
		}
	}
	slices.SortFunc(out, func(a, b api.ReportField) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// fieldName is key's label among fields, else a readable form of the key.
func fieldName(fields []api.ReportField, key string) string {
	if i := slices.IndexFunc(fields, func(f api.ReportField) bool { return f.Key == key && f.Label != "" }); i >= 0 {
		return fields[i].Label
	}
	return report.KeyWords(key)
}

// reportWords lists a report's values as its form shows them ("Will vote:
// Yes; Notes: call back Friday"), in the fields' order, then any key the
// fields do not name, in a readable form of the key ("Will vote: true": its
// kind unknown, the value is as filed); a cleared value is left out.
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
			rest = append(rest, report.KeyWords(k)+": "+v)
		}
	}
	slices.Sort(rest)
	return strings.Join(append(parts, rest...), "; ")
}
