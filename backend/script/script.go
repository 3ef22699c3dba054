// Package script fills merge fields into texting scripts. A script is text
// with fields such as "{first_name}" or "{first_name|friend}" (the part after
// | is the fallback used when the contact has no value). Admins learn about
// unknown fields when they save a script (Validate); Render refuses to
// produce a text with a blank where a field should be.
package script

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrEmpty is returned for a script with nothing but white space in it.
var ErrEmpty = errors.New("script is empty")

// The merge fields every contact provides, filled from its standard
// columns (texting.MergeValues fills them; FullName from either name). They
// are also the names of those columns wherever one is named: contactcsv's
// headers, the server store's SQL, the exports' CSV headers. This is their
// one home: a second spelling elsewhere would drift from it.
const (
	FirstName = "first_name"
	LastName  = "last_name"
	FullName  = "full_name"
	Zip       = "zip"
)

// The merge fields the volunteer texting provides (texting.MergeValues
// fills them): no contact list column may take their names.
const (
	VolunteerName      = "volunteer_name"
	VolunteerFirstName = "volunteer_first_name"
)

// ContactFields are the merge fields every contact provides (the volunteer's
// come on top of them), in the order the campaign file's check lists them.
func ContactFields() []string {
	return []string{FirstName, LastName, FullName, Zip}
}

// StandardFields are the merge fields every contact and volunteer provides
// (ContactFields and the volunteer's, zip last); custom CSV columns come on
// top of them.
func StandardFields() []string {
	return []string{FirstName, LastName, FullName, VolunteerName, VolunteerFirstName, Zip}
}

// UnknownFieldError names the fields a script uses that the action does not
// provide.
type UnknownFieldError struct {
	Fields []string // unknown names, in order of first use
	Known  []string
}

func (e *UnknownFieldError) Error() string {
	var b strings.Builder
	if len(e.Fields) == 1 {
		fmt.Fprintf(&b, "unknown merge field {%s}", e.Fields[0])
	} else {
		b.WriteString("unknown merge fields ")
		for i, f := range e.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("{" + f + "}")
		}
	}
	b.WriteString("; known fields: ")
	if len(e.Known) == 0 {
		b.WriteString("none")
	}
	b.WriteString(strings.Join(e.Known, ", "))
	if s := e.Suggestion(); s != "" {
		fmt.Fprintf(&b, " (did you mean {%s}?)", s)
	}
	return b.String()
}

// Suggestion is the known field the one unknown field was likely meant to
// be ({firstname}: first_name), or "" when there are several or none is close.
func (e *UnknownFieldError) Suggestion() string {
	if len(e.Fields) != 1 {
		return ""
	}
	return closest(e.Fields[0], e.Known)
}

// MissingValueError names the fields that have neither a value nor a
// fallback for this contact.
type MissingValueError struct {
	Fields []string
}

func (e *MissingValueError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = "{" + f + "}"
	}
	return fmt.Sprintf("no value and no fallback for merge field %s", strings.Join(names, ", "))
}

// Validate checks a script's syntax and that every field it uses is known.
func Validate(tmpl string, known []string) error {
	if strings.TrimSpace(tmpl) == "" {
		return ErrEmpty
	}
	parts, err := parse(tmpl)
	if err != nil {
		return err
	}
	knownSet := make(map[string]bool, len(known))
	var knownList []string
	for _, k := range known {
		if !knownSet[k] {
			knownSet[k] = true
			knownList = append(knownList, k)
		}
	}
	var unknown []string
	for _, name := range names(parts) {
		if !knownSet[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return &UnknownFieldError{Fields: unknown, Known: knownList}
	}
	return nil
}

// Render fills in the fields from values (trimmed). A field whose value is
// missing or blank takes its fallback; without one, Render fails naming the
// field rather than sending a text with a hole in it.
func Render(tmpl string, values map[string]string) (string, error) {
	t, err := Compile(tmpl)
	if err != nil {
		return "", err
	}
	return t.Render(values)
}

// Template is a script parsed once, for rendering it for many contacts (a
// hand-out checks every contact it picks).
type Template struct{ parts []part }

// Compile parses tmpl: ErrEmpty for a blank script, a *SyntaxError for a
// malformed one.
func Compile(tmpl string) (*Template, error) {
	if strings.TrimSpace(tmpl) == "" {
		return nil, ErrEmpty
	}
	parts, err := parse(tmpl)
	if err != nil {
		return nil, err
	}
	return &Template{parts: parts}, nil
}

// Render fills in the template as Render does.
func (t *Template) Render(values map[string]string) (string, error) {
	var b strings.Builder
	var missing []string
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		v := strings.TrimSpace(values[p.name])
		if v == "" {
			v = p.fallback
		}
		if v == "" {
			if !contains(missing, p.name) {
				missing = append(missing, p.name)
			}
			continue
		}
		b.WriteString(v)
	}
	if len(missing) > 0 {
		return "", &MissingValueError{Fields: missing}
	}
	return b.String(), nil
}

// Fields lists the field names a script uses, each once, in order of first
// use.
func Fields(tmpl string) ([]string, error) {
	parts, err := parse(tmpl)
	if err != nil {
		return nil, err
	}
	return names(parts), nil
}

func names(parts []part) []string {
	var out []string
	for _, p := range parts {
		if p.name != "" && !contains(out, p.name) {
			out = append(out, p.name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest suggests the known field nearest to a misspelt one, if it is
// near enough to be a typo.
func closest(name string, known []string) string {
	best, bestD := "", max(2, len(name)/3)+1
	cands := append([]string(nil), known...)
	sort.Strings(cands)
	for _, k := range cands {
		if d := distance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" { // "{first}" for first_name: the first known field it begins
		for _, k := range known {
			if strings.HasPrefix(k, name+"_") {
				return k
			}
		}
	}
	return best
}

// distance is the Levenshtein distance in bytes; names are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
