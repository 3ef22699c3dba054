// Package report is the one home of what a report on a conversation may
// hold (SPEC.md feature 7): the keys every action has (Notes, Opt Out), the
// kinds of the action's own fields and the limits on values. The app checks
// a report with it before queueing (so a bad value is an error at once and
// nothing is queued) and the server checks it again, whatever the app did.
package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
)

// Keys every action's report has besides its own fields.
const (
	Notes  = "notes"   // free text
	OptOut = "opt_out" // tag: "true" opts the contact out of the organization
)

// OptOutField and NotesField are those two as the report form shows them
// (after the action's own fields, Opt Out first); the frontend's
// conversation.ts spells them the same (app's TestFrontendValuesMatchGo).
var (
	OptOutField = api.ReportField{Key: OptOut, Label: "Opt Out", Kind: KindTag}
	NotesField  = api.ReportField{Key: Notes, Label: "Notes", Kind: KindText}
)

// Kinds of report field.
const (
	KindTag    = "tag"
	KindText   = "text"
	KindChoice = "choice"
	KindNumber = "number"
)

// MaxNumber bounds a number field's answer either way: a count or an
// amount, never near float64's limits, which a sum of answers must not
// pass.
const MaxNumber = 1e12

// Kinds lists the kinds of report field, in the order a campaign file's
// refusal names them.
var Kinds = []string{KindTag, KindText, KindChoice, KindNumber}

// Limits on values (docs/API.md, "Limits").
const (
	MaxNotes = 2000 // the notes of one report
	MaxValue = 500  // any other value (text fields; tags, choices and numbers are shorter)
)

// Error names the report value at fault.
type Error struct {
	Key     string // the value's key
	Problem string // what is wrong, in words for the volunteer
}

func (e *Error) Error() string { return e.Problem }

// Check returns nil when every value fits the action's report, or an *Error
// naming the first (in key order) that does not: an unknown field, a value
// of the wrong type, a choice not in the list, a value too long. An empty
// value clears a field and is always allowed.
func Check(fields []api.ReportField, values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if problem := checkValue(fields, k, values[k]); problem != "" {
			return &Error{Key: k, Problem: problem}
		}
	}
	return nil
}

// yesOrNo is the refusal of a switch's value that is neither on nor off
// ("true", "false"), in the form's words: a volunteer reads it when an
// admin turned a text field they answered into a tag.
func yesOrNo(label, v string) string {
	return label + " must be Yes or No, not " + strconv.Quote(v)
}

func checkValue(fields []api.ReportField, k, v string) string {
	limit := MaxValue
	if k == Notes {
		limit = MaxNotes
	}
	i := slices.IndexFunc(fields, func(f api.ReportField) bool { return f.Key == k })
	// A field the action no longer has is said before its value's length:
	// shortening the value would not get it filed.
	if i < 0 && k != Notes && k != OptOut {
		return NoField(k)
	}
	if n := utf8.RuneCountInString(v); n > limit {
		// Named as the volunteer's form names it: the words reach them.
		return fmt.Sprintf("%s is %d characters; at most %d", fieldName(fields, i, k), n, limit)
	}
	switch k {
	case Notes:
		return ""
	case OptOut:
		if v != "true" && v != "false" && v != "" {
			return yesOrNo(OptOutField.Label, v)
		}
		return ""
	}
	f := fields[i]
	if v == "" {
		return ""
	}
	switch f.Kind {
	case KindTag:
		if v != "true" && v != "false" {
			return yesOrNo(label(f), v)
		}
	case KindChoice:
		if !slices.Contains(f.Choices, v) {
			return strconv.Quote(v) + " is not one of the choices for " + label(f)
		}
	case KindNumber:
		// ParseFloat also takes "NaN", "Inf" and hex ("0x1p3"), which no
		// volunteer means as a count and no spreadsheet reads as one.
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || strings.Trim(v, "0123456789.+-eE") != "" {
			return label(f) + " must be a number, not " + strconv.Quote(v)
		}
		// Results add the answers up: "1e308" twice is past any float.
		if math.Abs(n) > MaxNumber {
			return label(f) + " must be a number between -1,000,000,000,000 and 1,000,000,000,000, not " + strconv.Quote(v)
		}
	}
	return ""
}

// NoField is the problem of a value for a field the action's report does
// not have (an admin removed it after the report was filled in), naming the
// field by name: the server names it by its key, and the app's Outbox finds
// those words to name it as the volunteer's form did (KeyWords when no field
// it has labels the key).
func NoField(name string) string {
	return "this action's report has no field " + strconv.Quote(name)
}

// KeyWords is a readable form of a report field's key ("will_vote": "Will
// vote"), for a key no field at hand labels: a field removed from the action
// since, or from a campaign the volunteer has left.
func KeyWords(key string) string {
	w := strings.Join(strings.FieldsFunc(key, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) }), " ")
	if w == "" {
		return key
	}
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// fieldName names key, fields[i] when i >= 0, in words: its label, Notes and
// Opt Out as the form shows them, else the key's words (KeyWords): a field
// without a label.
func fieldName(fields []api.ReportField, i int, key string) string {
	switch {
	case i >= 0 && fields[i].Label != "":
		return fields[i].Label
	case key == Notes:
		return NotesField.Label
	case key == OptOut:
		return OptOutField.Label
	}
	return KeyWords(key)
}

func label(f api.ReportField) string {
	if f.Label != "" {
		return f.Label
	}
	return f.Key
}

// ScriptTags are the values a response script sets when sent: each of its
// tags switched on, keeping only tags the action's report has (a script
// edited after its tag field went is not a reason to refuse the reply).
// Nil when the script sets none.
func ScriptTags(fields []api.ReportField, rs api.ResponseScript) map[string]string {
	var out map[string]string
	for _, tag := range rs.Tags {
		i := slices.IndexFunc(fields, func(f api.ReportField) bool { return f.Key == tag && f.Kind == KindTag })
		if i < 0 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[tag] = "true"
	}
	return out
}

// Archives says whether filing a report with these values archives the
// conversation under the Automatic Archive Setting. One that only answers
// the opt-out suggestion "not an opt-out" ({opt_out: false}, the banner's
// button) does not: the volunteer decided the words were no opt-out,
// usually to answer them, and the conversation vanishing into Archive
// unanswered hid it from Needs Attention. The server and the app's cache
// both go by it.
func Archives(values map[string]string) bool {
	v, ok := values[OptOut]
	return !(len(values) == 1 && ok && v == "false")
}
