// Package texting is the one home of the rules a text must obey, used by the
// desktop app (to show the volunteer the text) and by the campaign server (to
// decide what is sent): merge values and their fallbacks, which initial
// script (A/B) a contact gets, how long a text may be, the 6-hour lock on a
// second initial text and texting hours. It speaks its own types so that
// neither the wire format nor a store leaks into the rules.
package texting

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/quiethours"
	"github.com/textbank/textbank/backend/script"
)

const (
	// MaxLength is the longest text in characters: ten SMS segments, past
	// which providers refuse the message.
	MaxLength = 1600
	// InitialLock is how long a number is spared a second initial text from
	// the same organization, whatever happens to assignments.
	InitialLock = 6 * time.Hour
	// DefaultBatchSize is how many contacts Text Again hands out when an
	// action does not say (SPEC: default batch size 100).
	DefaultBatchSize = 100
)

// Contact is what the rules need to know about the person texted.
type Contact struct {
	FirstName, LastName, Zip string
	// Fields are the custom columns of the contact list.
	Fields map[string]string
}

// ContactFromName is a contact known only by a conversation's name (a
// handed-over one, whose contact record a desktop never received): first
// name up to the first space, the rest the last name, no zip nor custom
// fields. The desktop fills response scripts in so, and the server, which
// holds the record, accepts a prepared script filled in so too.
func ContactFromName(name string) Contact {
	first, last, _ := strings.Cut(strings.TrimSpace(name), " ")
	return Contact{FirstName: first, LastName: last}
}

// Volunteer is the person sending.
type Volunteer struct {
	Name string
}

// Hours is an action's texting window in the contact's local time.
type Hours = quiethours.Hours

// OutsideHoursError says a contact's local time is outside the window.
type OutsideHoursError = quiethours.OutsideError

// HoursWords says the window as the action's page does: "9 AM–9 PM".
func HoursWords(h Hours) string { return quiethours.Words(h) }

// ErrNoScript is returned for an action without an initial script.
var ErrNoScript = errors.New("this action has no script yet")

// ErrEmptyText is returned for a text with nothing but white space.
var ErrEmptyText = errors.New("the text is empty")

// FullName joins first and last name the one way app and server both show.
func FullName(first, last string) string {
	return strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
}

// MergeValues are the fields a script may use: the contact's custom
// columns, then the standard fields (which win over a column of the same
// name), then the volunteer's. An empty value falls back in script.Render.
func MergeValues(c Contact, v Volunteer) map[string]string {
	vals := make(map[string]string, len(c.Fields)+6)
	for k, val := range c.Fields {
		vals[k] = val
	}
	vals[script.FirstName] = strings.TrimSpace(c.FirstName)
	vals[script.LastName] = strings.TrimSpace(c.LastName)
	vals[script.FullName] = FullName(c.FirstName, c.LastName)
	if z := strings.TrimSpace(c.Zip); z != "" || vals[script.Zip] == "" {
		vals[script.Zip] = z
	}
	// A name saved before names were held to one line (account.NameProblem)
	// cannot add lines to a text.
	name := account.OneLine(v.Name)
	vals[script.VolunteerName] = name
	first, _, _ := strings.Cut(name, " ")
	vals[script.VolunteerFirstName] = first
	return vals
}

// Detail is one of a contact's columns as a conversation shows it.
type Detail struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// Details are the contact's zip and custom columns that hold a value, zip
// first, then the columns by name: what a volunteer looks up when a contact
// asks (a polling place) and what Follow Up's scripts are filled from. The
// label is the column's merge field in words (script.FieldLabel).
func Details(c Contact) []Detail {
	var out []Detail
	if z := strings.TrimSpace(c.Zip); z != "" {
		out = append(out, Detail{Key: script.Zip, Label: script.FieldLabel(script.Zip), Value: z})
	}
	keys := make([]string, 0, len(c.Fields))
	for k, v := range c.Fields {
		if strings.TrimSpace(v) != "" && !(k == script.Zip && len(out) > 0) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, Detail{Key: k, Label: script.FieldLabel(k), Value: strings.TrimSpace(c.Fields[k])})
	}
	return out
}

// ScriptFor is the initial script a contact gets: an action may carry
// several (A/B), and the contact's index, drawn when the contact list was
// loaded, picks one. Any index maps onto the list, so a script removed later
// never leaves a contact without one.
func ScriptFor(scripts []string, index int) (string, error) {
	if len(scripts) == 0 {
		return "", ErrNoScript
	}
	return scripts[pick(len(scripts), index)], nil
}

func pick(n, index int) int {
	i := index % n
	if i < 0 {
		i += n
	}
	return i
}

// RenderInitial is the first text for a contact: their script with the
// merge values filled in, checked for length.
func RenderInitial(scripts []string, index int, c Contact, v Volunteer) (string, error) {
	tmpl, err := ScriptFor(scripts, index)
	if err != nil {
		return "", err
	}
	return Render(tmpl, c, v)
}

// Render fills one script (initial or response) for a contact.
func Render(tmpl string, c Contact, v Volunteer) (string, error) {
	body, err := script.Render(tmpl, MergeValues(c, v))
	return filled(body, err, c)
}

// filled is a rendered text, or why the contact's script cannot be sent.
func filled(body string, err error, c Contact) (string, error) {
	if err != nil {
		return "", fmt.Errorf("the script cannot be filled in for %s: %w", orSomeone(FullName(c.FirstName, c.LastName)), err)
	}
	if err := CheckLength(body); err != nil {
		return "", err
	}
	return body, nil
}

// Initials are an action's initial scripts parsed once, to render them for
// many contacts (a hand-out checks each contact it picks).
type Initials struct {
	scripts []string
	parsed  []*script.Template // nil where a script does not parse
}

func CompileInitials(scripts []string) Initials {
	in := Initials{scripts: scripts, parsed: make([]*script.Template, len(scripts))}
	for i, tmpl := range scripts {
		in.parsed[i], _ = script.Compile(tmpl) // Render says why
	}
	return in
}

// Render is RenderInitial with the scripts parsed once.
func (in Initials) Render(index int, c Contact, v Volunteer) (string, error) {
	if len(in.scripts) == 0 {
		return "", ErrNoScript
	}
	i := pick(len(in.scripts), index)
	if in.parsed[i] == nil {
		return Render(in.scripts[i], c, v)
	}
	body, err := in.parsed[i].Render(MergeValues(c, v))
	return filled(body, err, c)
}

// DisplayName is how a contact is named wherever they are shown: their
// name, or their number as people read it (phone.Display) when they have
// no name (a list may have neither first nor last name) or the name is
// the stored number itself, or "" when there is neither. A screen that
// shows the number under a name tells the two apart by comparing the name
// with phone.Display of the number.
func DisplayName(name, number string) string {
	n := strings.TrimSpace(name)
	if n != "" && n != strings.TrimSpace(number) {
		return n
	}
	return phone.Display(number)
}

func orSomeone(name string) string {
	if name == "" {
		return "this contact"
	}
	return name
}

// CheckLength refuses an empty text or one longer than MaxLength characters.
func CheckLength(body string) error {
	if strings.TrimSpace(body) == "" {
		return ErrEmptyText
	}
	if n := utf8.RuneCountInString(body); n > MaxLength {
		return fmt.Errorf("the text is %d characters; texts can be at most %d", n, MaxLength)
	}
	return nil
}

// InitialLockStart is the earliest time an earlier initial text to the same
// number still blocks a new one sent at now.
func InitialLockStart(now time.Time) time.Time {
	return now.Add(-InitialLock)
}

// CheckHours returns nil when an initial text to e164 may go out at now, an
// *OutsideHoursError when some candidate zone of the number is outside h,
// and another error when h or the number's zone cannot be known (never a
// licence to text).
func CheckHours(now time.Time, e164 string, h Hours) error {
	return quiethours.Check(now, e164, h)
}

// NextOpen is the earliest time at or after now when a text to e164 is
// inside h in every time zone the number may be in.
func NextOpen(now time.Time, e164 string, h Hours) (time.Time, error) {
	return quiethours.NextOpen(now, e164, h)
}

// NoZoneRefusal is why an import refuses a number whose time zone is not
// known (contactcsv.Row.NoTimeZone) under h, or "" when h is the whole day
// and it can be texted: short of that, CheckHours would hold it back
// "until their morning" for good. The hours are in HoursWords' words, as
// every other sentence about them ("9 AM–9 PM"; it wrote "09:00-21:00"),
// and the way out in the file's: texting_hours 00:00-24:00.
func NoZoneRefusal(e164 string, h Hours) string {
	if quiethours.WholeDay(h) {
		return ""
	}
	return fmt.Sprintf("%s cannot be texted: no time zone is known for it, so the texting hours (%s) could never be kept "+
		"(only texting_hours 00:00-24:00 texts it)", e164, HoursWords(h))
}

// SameHoursAnswer reports whether CheckHours answers alike at a and b,
// whatever the number and hours: it decides by the local minute of the
// day, and every zone is offset from UTC by whole minutes, so two times in
// one UTC minute are in one local minute everywhere. The server checks a
// first text before taking the writer and relies on this to keep that
// answer at the commit.
func SameHoursAnswer(a, b time.Time) bool {
	return a.Truncate(time.Minute).Equal(b.Truncate(time.Minute))
}

// HoursRefusal says, for a text refused outside texting hours, when the
// contact can be texted: "Ada can be texted from 9:00 AM their time, in 2
// hours". name is how the contact is shown (DisplayName).
func HoursRefusal(name, e164 string, now time.Time, h Hours) string {
	if name == "" {
		name = "This contact"
	}
	opens, err := quiethours.NextOpen(now, e164, h)
	if err != nil || !opens.After(now) {
		return fmt.Sprintf("%s is outside texting hours (%s their time)", name, HoursWords(h))
	}
	return fmt.Sprintf("%s can be texted from %s their time, in %s", name, opens.Format("3:04 PM"), WaitWords(opens.Sub(now)))
}

// WaitWords says a wait in hours and minutes, rounded up to the minute.
func WaitWords(d time.Duration) string {
	mins := int((d + time.Minute - 1) / time.Minute)
	h, m := mins/60, mins%60
	unit := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	switch {
	case h == 0:
		return unit(m, "minute")
	case m == 0:
		return unit(h, "hour")
	}
	return unit(h, "hour") + " " + unit(m, "minute")
}
