package server

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
)

// What campaign update may not do to an action whose contacts are loaded:
// those contacts are fixed (their columns, and the script each drew), so an
// edit must still fit them.

// loadedActionProblems checks the file's action fa against m, the stored
// action it changes, whose loaded contacts have the custom columns
// columns.
func loadedActionProblems(ctx context.Context, tx store.Tx, f *campaignfile.File, at string, fa *campaignfile.Action,
	m *store.Action, columns []string) (campaignfile.Problems, error) {
	n, err := tx.CountContacts(ctx, m.ID)
	if err != nil || n == 0 {
		return nil, err
	}
	// A column the action knows of may still be empty on every contact: a
	// field declared by an earlier update that no import brought.
	has := func(field string) (bool, error) { return tx.ContactsHaveField(ctx, m.ID, field) }
	unfillable, err := unfillableScripts(f, at, fa, columns, n, has)
	if err != nil {
		return nil, err
	}
	problems := append(movedScripts(f, at, fa.Scripts, m, n), unfillable...)
	ps, err := filedReportProblems(ctx, tx, f, at, fa, m)
	return append(problems, ps...), err
}

// filedReportProblems refuses a report field edit that the reports already
// filed no longer fit: a kind changed (a tag's "true" under a number), a
// choice taken out that reports hold, or a field removed while reports hold
// values for it (export reports has a column per field in the file, so its
// answers would drop out of the export).
func filedReportProblems(ctx context.Context, tx store.Tx, f *campaignfile.File, at string, fa *campaignfile.Action,
	m *store.Action) (campaignfile.Problems, error) {
	newFields := make([]api.ReportField, len(fa.ReportFields))
	for i, rf := range fa.ReportFields {
		newFields[i] = api.ReportField{Key: rf.Key, Label: rf.Label, Kind: rf.Kind, Choices: rf.Choices}
	}
	type misfit struct {
		reports int
		first   string
	}
	misfits := map[string]*misfit{} // by key
	err := tx.EachReportRow(ctx, m.ID, func(r store.ReportRow) error {
		for _, old := range m.ReportFields {
			v := r.Values[old.Key]
			if v == "" {
				continue
			}
			msg := "removed"
			if i := slices.IndexFunc(newFields, func(nf api.ReportField) bool { return nf.Key == old.Key }); i >= 0 {
				err := report.Check(newFields[i:i+1], map[string]string{old.Key: v})
				if err == nil {
					continue
				}
				msg = err.Error()
			}
			if misfits[old.Key] == nil {
				misfits[old.Key] = &misfit{first: msg}
			}
			misfits[old.Key].reports++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read filed reports: %w", err)
	}
	var problems campaignfile.Problems
	for _, old := range m.ReportFields {
		mf := misfits[old.Key]
		if mf == nil {
			continue
		}
		i := slices.IndexFunc(newFields, func(nf api.ReportField) bool { return nf.Key == old.Key })
		if i < 0 {
			p := at + ".report_fields"
			problems = append(problems, campaignfile.Problem{Path: p, Line: f.Line(p),
				Msg: fmt.Sprintf("%d filed report(s) hold answers for %q, which the file leaves out; export reports would drop them: keep the field", mf.reports, old.Key)})
			continue
		}
		p := campaignfile.ReportFieldPath(at, i)
		problems = append(problems, campaignfile.Problem{Path: p, Line: f.Line(p),
			Msg: fmt.Sprintf("%d filed report(s) would no longer fit it (%s); keep its kind and the choices they use, or give the changed field a new key", mf.reports, mf.first)})
	}
	return problems, nil
}

// movedScripts refuses moving an initial script to another place: each
// contact keeps its script by place (its index), so a script put first in
// the list would be sent to the contacts drawn to the old first one, and
// stats and exports would count old sends under the new text.
func movedScripts(f *campaignfile.File, at string, scripts []string, m *store.Action, n int) campaignfile.Problems {
	var problems campaignfile.Problems
	for j, old := range m.Scripts {
		if j < len(scripts) && scripts[j] == old {
			continue
		}
		if k := slices.Index(scripts, old); k >= 0 {
			p := campaignfile.ScriptPath(at, k)
			problems = append(problems, campaignfile.Problem{Path: p, Line: f.Line(p),
				Msg: fmt.Sprintf("this is initial script %d moved to place %d; the action's %d contacts keep their script by its place, so they would get another text and stats would mix the scripts up; keep scripts where they are and add new ones at the end",
					j+1, k+1, n)})
		}
	}
	return problems
}

// unfillableScripts refuses a script that uses, without a fallback, a
// contact field none of the loaded contacts has a value for (a custom
// column, or a standard one: a list loaded without zips), so that the
// script could not be filled in for them (the import refuses such a file;
// an update must not make the same thing after the fact). columns are the
// fields the action knows of, imported or declared; has says whether some
// contact has a value for one. A field some contacts have may be empty on
// others; the hand-out passes over those contacts (script_unfillable).
func unfillableScripts(f *campaignfile.File, at string, fa *campaignfile.Action, columns []string, n int,
	has func(field string) (bool, error)) (campaignfile.Problems, error) {
	var problems campaignfile.Problems
	filled := map[string]bool{}
	check := func(path, body string) error {
		names, err := script.Fields(body)
		if err != nil {
			return nil // Check names the syntax error
		}
		for _, name := range names {
			standard := slices.Contains(script.ContactFields(), name)
			if (!standard && !slices.Contains(fa.ContactFields, name)) || !usedWithoutFallback(body, name) {
				continue // unknown (Check says so), or with a fallback
			}
			if standard {
				// Every contact has the column; it may be empty on all of
				// them (a list without zips). full_name needs either name.
				ok, err := anyFilled(filled, has, standardParts(name)...)
				if err != nil {
					return err
				}
				if !ok {
					problems = append(problems, campaignfile.Problem{Path: path, Line: f.Line(path),
						Msg: fmt.Sprintf("{%s} has no fallback, but none of the action's %d contacts has a %s value, so this script could not be filled in for them; write {%s|...}", name, n, name, name)})
				}
				continue
			}
			why := fmt.Sprintf("the action's %d contacts were loaded without a %s column", n, name)
			if slices.Contains(columns, name) {
				ok, seen := filled[name]
				if !seen {
					if ok, err = has(name); err != nil {
						return err
					}
					filled[name] = ok
				}
				if ok {
					continue
				}
				why = fmt.Sprintf("none of the action's %d contacts has a %s value", n, name)
			}
			problems = append(problems, campaignfile.Problem{Path: path, Line: f.Line(path),
				Msg: fmt.Sprintf("{%s} has no fallback, but %s, so this script could not be filled in for them; write {%s|...}", name, why, name)})
		}
		return nil
	}
	for i, s := range fa.Scripts {
		if err := check(campaignfile.ScriptPath(at, i), s); err != nil {
			return nil, err
		}
	}
	for i, r := range fa.ResponseScripts {
		if err := check(campaignfile.ResponseScriptPath(at, i)+".body", r.Body); err != nil {
			return nil, err
		}
	}
	return problems, nil
}

// standardParts are the contact columns a standard merge field is filled
// from: full_name from either name.
func standardParts(name string) []string {
	if name == script.FullName {
		return []string{script.FirstName, script.LastName}
	}
	return []string{name}
}

// anyFilled says whether some contact has a value for one of columns,
// asking has once per column (filled remembers).
func anyFilled(filled map[string]bool, has func(string) (bool, error), columns ...string) (bool, error) {
	for _, c := range columns {
		ok, seen := filled[c]
		if !seen {
			var err error
			if ok, err = has(c); err != nil {
				return false, err
			}
			filled[c] = ok
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// keptActions are the existing actions the file did not name: an update
// never removes an action, and saying so keeps an organizer who deleted one
// from the file (or renamed it without its id, which adds a new one) from
// believing it gone while volunteers still see it.
func keptActions(existing []store.Action, matched []*store.Action) []ActionOutcome {
	var out []ActionOutcome
	for _, e := range existing {
		if !slices.ContainsFunc(matched, func(m *store.Action) bool { return m != nil && m.ID == e.ID }) {
			out = append(out, actionOutcome(e, "kept"))
		}
	}
	return out
}

// matchActions pairs the file's actions with existing ones, by id first
// and then by title among those no id claimed (so that renaming "Alpha"
// by its id and adding a new "Alpha" does both), and records the columns
// their loaded contacts have. A title the file gives that an action it
// leaves out still has is a Problem: titles name actions on the command
// line, so two may not share one.
func matchActions(ctx context.Context, tx store.Tx, f *campaignfile.File, existing []store.Action,
	matched []*store.Action, loaded map[int][]string) (campaignfile.Problems, error) {
	var problems campaignfile.Problems
	claimed := map[string]bool{}
	for i := range f.Actions {
		fa := &f.Actions[i]
		if fa.ID == "" {
			continue
		}
		if j := slices.IndexFunc(existing, func(e store.Action) bool { return e.ID == fa.ID }); j >= 0 {
			matched[i], claimed[fa.ID] = &existing[j], true
		}
	}
	for i := range f.Actions {
		fa := &f.Actions[i]
		if fa.ID != "" {
			continue
		}
		j := slices.IndexFunc(existing, func(e store.Action) bool { return !claimed[e.ID] && sameTitle(e.Title, fa.Title) })
		if j >= 0 {
			matched[i], claimed[existing[j].ID] = &existing[j], true
		}
	}
	for i := range f.Actions {
		fa := &f.Actions[i]
		at := campaignfile.ActionPath(i)
		if fa.ID != "" && matched[i] == nil {
			problems = append(problems, campaignfile.Problem{Path: at + ".id", Line: f.Line(at + ".id"),
				Msg: fmt.Sprintf("this campaign has no action with id %s", fa.ID)})
			continue
		}
		if k := slices.IndexFunc(existing, func(e store.Action) bool { return !claimed[e.ID] && sameTitle(e.Title, fa.Title) }); k >= 0 {
			problems = append(problems, campaignfile.Problem{Path: at + ".title", Line: f.Line(at + ".title"),
				Msg: fmt.Sprintf("%q is the title of the campaign's action %s, which this file leaves as it is; titles name actions, so give this one another title, or add that action to the file with a new title", fa.Title, existing[k].ID)})
		}
		m := matched[i]
		if m == nil {
			continue
		}
		if m.AllowFreeText && fa.AllowFreeText == nil {
			// Left out means no; a file written when it meant yes would
			// refuse volunteers' typed replies, queued ones too, unseen.
			problems = append(problems, campaignfile.Problem{Path: at + ".allow_free_text", Line: f.Line(at + ".allow_free_text"),
				Msg: "volunteers may type their own replies in this action now, and leaving allow_free_text out means they may not: write allow_free_text: true to keep it, or false to turn it off"})
		}
		if len(m.ShownFields) > 0 && fa.ShownFields == nil {
			// Left out means none; a file written before shown_fields
			// existed would hide columns volunteers see now, unseen.
			problems = append(problems, campaignfile.Problem{Path: at + ".shown_fields", Line: f.Line(at + ".shown_fields"),
				Msg: fmt.Sprintf("volunteers see the contacts' %s in this action now, and leaving shown_fields out shows only the columns the scripts use: write shown_fields: [%s] to keep them, or shown_fields: [] to hide them",
					strings.Join(m.ShownFields, ", "), strings.Join(m.ShownFields, ", "))})
		}
		fields, err := tx.ActionContactFields(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		loaded[i] = fields
		if ps, err := loadedActionProblems(ctx, tx, f, at, fa, m, fields); err != nil {
			return nil, err
		} else {
			problems = append(problems, ps...)
		}
		if len(fa.Scripts) < len(m.Scripts) {
			n, err := tx.CountContacts(ctx, m.ID)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				problems = append(problems, campaignfile.Problem{Path: at + ".scripts", Line: f.Line(at + ".scripts"),
					Msg: fmt.Sprintf("the action's %d contacts are spread over %d scripts; once contacts are loaded, scripts can be edited or added, not removed", n, len(m.Scripts))})
			}
		}
	}
	return problems, nil
}

// sameTitle is how titles name actions: case and outer spaces aside.
func sameTitle(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
