package server

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
)

// The merge-field rules of a contact import: which fields the action's
// scripts need on every row, and which of its contact fields a file lacks.

// MissingColumn is a contact field of the action that an imported file has
// no column for, with the scripts that use it.
type MissingColumn struct {
	Field   string   `json:"field"`
	Scripts []string `json:"scripts"` // "initial script 1", "response script \"thanks\""; empty: none yet
}

// missingColumns lists the action's contact fields (stored: declared in the
// campaign file, or brought by earlier imports) that the file's columns
// lack. An import refuses a file lacking a field some script needs (every
// script must fall back), so these only warn.
func missingColumns(a store.Action, stored, fileFields []string) []MissingColumn {
	out := []MissingColumn{}
	for _, f := range stored {
		if !contains(fileFields, f) {
			out = append(out, MissingColumn{Field: f, Scripts: scriptsUsing(a, f, false)})
		}
	}
	return out
}

// scriptsUsing names the action's scripts that use the merge field name
// (only those with no fallback for it, if needy), as an organizer finds
// them in the campaign file: initial scripts by number from 1, response
// scripts by id.
func scriptsUsing(a store.Action, name string, needy bool) []string {
	uses := func(s string) bool {
		names, err := script.Fields(s)
		return err == nil && contains(names, name) && (!needy || usedWithoutFallback(s, name))
	}
	out := []string{}
	for i, s := range a.Scripts {
		if uses(s) {
			out = append(out, fmt.Sprintf("initial script %d", i+1))
		}
	}
	for _, r := range a.ResponseScripts {
		if uses(r.Body) {
			out = append(out, fmt.Sprintf("response script %q", r.ID))
		}
	}
	return out
}

// fieldUses is "{a} (initial script 1), {b} (response script "x")": each
// field with the scripts that use it (without a fallback, if needy).
func fieldUses(a store.Action, names []string, needy bool) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("{%s} (%s)", n, strings.Join(scriptsUsing(a, n, needy), ", "))
	}
	return strings.Join(out, ", ")
}

// requiredFields lists the merge fields some script of the action uses
// without a fallback (they must have a value on every row), and those of
// them the file has no column for (columns: contactcsv.Result.Columns). A
// standard field counts as much as a custom one: a file without a zip
// column, or with a last name column only, for a script using {zip} or
// {first_name} is refused once, naming the field, rather than with one
// "empty" line per row.
func requiredFields(a store.Action, columns map[string]string) (required, missing []string) {
	scripts := append([]string{}, a.Scripts...)
	for _, r := range a.ResponseScripts {
		scripts = append(scripts, r.Body)
	}
	always := map[string]bool{script.VolunteerName: true, script.VolunteerFirstName: true}
	for _, s := range scripts {
		names, err := script.Fields(s)
		if err != nil {
			continue // the campaign file check refused it already
		}
		for _, name := range names {
			if always[name] || contains(required, name) || !usedWithoutFallback(s, name) {
				continue
			}
			required = append(required, name)
			if !hasColumn(columns, name) {
				missing = append(missing, name)
			}
		}
	}
	return required, missing
}

// hasColumn says whether a file with these columns can fill the merge
// field name; {full_name} is filled from either name column.
func hasColumn(columns map[string]string, name string) bool {
	if name == script.FullName {
		return hasColumn(columns, script.FirstName) || hasColumn(columns, script.LastName)
	}
	_, ok := columns[name]
	return ok
}

// missingColumnsRefusal is the one sentence refusing a file that has no
// column for merge fields (missing) a script needs; custom are the file's
// custom merge fields, shown so that a misspelt header stands out.
func missingColumnsRefusal(a store.Action, missing, custom []string) string {
	var hints []string
	for _, name := range missing {
		if h := contactcsv.Headings(name); h != "" {
			hints = append(hints, fmt.Sprintf("{%s} is read from a column headed %s", name, h))
		}
	}
	hints = append(hints, "its custom columns: "+listOrNone(custom))
	return fmt.Sprintf("the action's scripts use %s without a fallback, but the file has no such column (%s); "+
		"nothing was imported: add the column, or give the field a fallback ({field|...}) with campaign update",
		fieldUses(a, missing, true), strings.Join(hints, "; "))
}

// usedWithoutFallback asks the script package whether rendering s with
// name empty (and everything else filled) fails.
func usedWithoutFallback(s, name string) bool {
	names, _ := script.Fields(s)
	vals := make(map[string]string, len(names))
	for _, n := range names {
		vals[n] = "x"
	}
	vals[name] = ""
	_, err := script.Render(s, vals)
	var missing *script.MissingValueError
	return errors.As(err, &missing)
}

// emptyRequired names a row that lacks a value a script needs, and the
// scripts that need it: "a script uses {polling_place}" left an organizer
// with two initial scripts and three responses reading each to find it.
// empty lists every such field the row lacks (the problem names the first),
// for the import's count per field.
func emptyRequired(a store.Action, r contactcsv.Row, required []string, columns map[string]string) (p contactcsv.Problem, empty []string) {
	for _, name := range required {
		var v string
		switch name {
		case script.FirstName:
			v = r.FirstName
		case script.LastName:
			v = r.LastName
		case script.FullName:
			v = strings.TrimSpace(r.FirstName + r.LastName)
		case script.Zip:
			v = r.Zip
		default:
			v = r.Fields[name]
		}
		if v != "" {
			continue
		}
		empty = append(empty, name)
		if len(empty) > 1 {
			continue
		}
		col := columns[name]
		if name == script.FullName {
			col = columns[script.FirstName]
		}
		scripts, verb := scriptsUsing(a, name, true), "uses"
		if len(scripts) > 1 {
			verb = "use"
		}
		p = contactcsv.Problem{Line: r.Line, Column: col,
			Msg: fmt.Sprintf("empty, but %s %s {%s} without a fallback (write {%s|...} to allow empty values)",
				strings.Join(scripts, " and "), verb, name, name)}
	}
	return p, empty
}

// EmptyField counts the rows of an import that lacked a value of a merge
// field some script uses without a fallback (refused, or skipped with
// --skip-invalid), with those scripts: the rule is per file, not per
// script, since any contact may draw any initial script and be sent any
// response script, so a field one script alone needs must fill every row.
type EmptyField struct {
	Field   string   `json:"field"`
	Rows    int      `json:"rows"`    // rows lacking it (a row lacking two fields counts under each)
	Scripts []string `json:"scripts"` // "initial script 2", "response script \"thanks\""
}

// Advice says what an organizer can do about the rows: fill the field in,
// or let those scripts do without it.
func (e EmptyField) Advice() string {
	verb := "uses"
	if len(e.Scripts) != 1 {
		verb = "use"
	}
	return fmt.Sprintf("%s %s {%s} without a fallback, and any contact may get %s; "+
		"fill {%s} in on those rows and import the file again, or give it a fallback ({%s|...}) in %s with campaign update",
		strings.Join(e.Scripts, " and "), verb, e.Field, itOrAny(len(e.Scripts)), e.Field, e.Field, thatOrThose(len(e.Scripts)))
}

func itOrAny(n int) string {
	if n == 1 {
		return "it"
	}
	return "any of them"
}

func thatOrThose(n int) string {
	if n == 1 {
		return "that script"
	}
	return "those scripts"
}

// countEmpty adds the row's empty fields to counts (in required's order).
func countEmpty(a store.Action, counts []EmptyField, empty []string) []EmptyField {
	for _, name := range empty {
		i := slices.IndexFunc(counts, func(e EmptyField) bool { return e.Field == name })
		if i < 0 {
			counts = append(counts, EmptyField{Field: name, Scripts: scriptsUsing(a, name, true)})
			i = len(counts) - 1
		}
		counts[i].Rows++
	}
	return counts
}

// Summary is "{polling_place} empty on 12 rows".
func (e EmptyField) Summary() string {
	rows := "1 row"
	if e.Rows != 1 {
		rows = fmt.Sprintf("%d rows", e.Rows)
	}
	return fmt.Sprintf("{%s} empty on %s", e.Field, rows)
}
