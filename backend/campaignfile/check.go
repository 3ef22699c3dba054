package campaignfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/joincode"
	"github.com/textbank/textbank/backend/quiethours"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/texting"
)

// Limits on what a campaign file may hold (characters unless said).
const (
	MaxName          = 200               // organization, campaign name, issue, action title
	MaxDescription   = 2000              // action description
	MaxInstructions  = 5000              // action instructions
	MaxScript        = texting.MaxLength // a script: ten SMS segments, what providers accept
	MaxLabel         = 100               // response script and report field labels, choices
	MaxActions       = 50
	MaxScripts       = 10 // initial scripts per action (A/B/... test)
	MaxListItems     = 50 // response scripts, report fields, contact fields, choices per action
	MaxBatchSize     = 1000
	maxKeyCharacters = contactcsv.MaxFieldName // merge field names, report keys, response script ids
)

// ActionTypes are the action types a file may name.
var ActionTypes = []string{api.ActionP2P, api.ActionBroadcast, api.ActionFriends, api.ActionTeam, api.ActionCanvassing}

// Mode says what the file is for.
type Mode int

const (
	// Create makes a new campaign: join code may be "generate", actions
	// carry no id.
	Create Mode = iota
	// Update changes the campaign with the file's join code: actions with an
	// id change that action, others are added.
	Update
)

// Check returns every problem with f (nil if none). loaded gives, per action
// index, custom columns the action's already-imported contacts have (in an
// update); they count as known merge fields besides contact_fields.
func Check(f *File, mode Mode, loaded map[int][]string) Problems {
	c := checker{f: f}
	c.text(OrganizationPath, f.Organization, MaxName, true)
	c.text(NamePath, f.Campaign.Name, MaxName, true)
	c.text("campaign.issue", f.Campaign.Issue, MaxName, false)
	c.text("campaign.contact", f.Campaign.Contact, MaxName, false)
	if strings.ContainsAny(f.Campaign.Contact, "\r\n") {
		c.add("campaign.contact", "is one line: a name and how to reach them")
	}
	c.joinCode(mode)
	c.searchJoins()
	c.admins()
	switch {
	case len(f.Actions) == 0 && mode == Create:
		c.add("actions", "a campaign needs at least one action")
	case len(f.Actions) > MaxActions:
		c.add("actions", "%d actions; at most %d", len(f.Actions), MaxActions)
	}
	titles := map[string]int{}
	ids := map[string]int{}
	for i := range f.Actions {
		a := &f.Actions[i]
		at := ActionPath(i)
		if j, dup := titles[strings.ToLower(strings.TrimSpace(a.Title))]; dup && a.Title != "" {
			c.add(at+".title", "%q is also the title of %s; titles name actions on import, so each must differ", a.Title, ActionPath(j))
		}
		titles[strings.ToLower(strings.TrimSpace(a.Title))] = i
		if a.ID != "" {
			if mode == Create {
				c.add(at+".id", "a new campaign's actions have no id yet; remove it (use campaign update to change an existing action)")
			} else if j, dup := ids[a.ID]; dup {
				c.add(at+".id", "%s has the same id", ActionPath(j))
			}
			ids[a.ID] = i
		}
		c.action(at, a, loaded[i])
	}
	return c.problems
}

type checker struct {
	f        *File
	problems Problems
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Line: c.f.Line(path), Msg: fmt.Sprintf(format, args...)})
}

// text checks a free-text value's presence and length.
func (c *checker) text(path, v string, limit int, required bool) {
	switch n := utf8.RuneCountInString(v); {
	case required && strings.TrimSpace(v) == "":
		c.add(path, "is required")
	case n > limit:
		c.add(path, "is %d characters; at most %d", n, limit)
	case !utf8.ValidString(v):
		c.add(path, "is not valid UTF-8 text")
	}
}

func (c *checker) joinCode(mode Mode) {
	code := strings.TrimSpace(c.f.Campaign.JoinCode)
	switch {
	case code == "" && mode == Create:
		c.add(JoinCodePath, "is required: 6 digits, or %q for a random unused code", GenerateCode)
	case code == "":
		c.add(JoinCodePath, "is required: the 6-digit code of the campaign to update")
	case code == GenerateCode && mode == Update:
		c.add(JoinCodePath, "an update names the campaign by its 6-digit code, not %q", GenerateCode)
	case code == GenerateCode:
	case !joincode.Valid(code):
		c.add(JoinCodePath, "%q is not 6 digits (or %q)", code, GenerateCode)
	}
}

func (c *checker) admins() {
	if len(c.f.Campaign.Admins) == 0 {
		c.add("campaign.admins", "list at least one admin's email: admins receive reassigned conversations")
	}
	seen := map[string]int{}
	for i, e := range c.f.Campaign.Admins {
		p := AdminPath(i)
		norm := account.NormalEmail(e)
		if !account.ValidEmail(norm) {
			c.add(p, "%q is not an email address", e)
			continue
		}
		if j, dup := seen[norm]; dup {
			c.add(p, "%s is already %s", e, AdminPath(j))
		}
		seen[norm] = i
	}
}

func (c *checker) action(at string, a *Action, loaded []string) {
	if !slices.Contains(ActionTypes, a.Type) {
		c.add(at+".type", "%q is not an action type; use one of %s", a.Type, strings.Join(ActionTypes, ", "))
	}
	c.text(at+".title", a.Title, MaxName, true)
	c.text(at+".description", a.Description, MaxDescription, false)
	c.text(at+".instructions", a.Instructions, MaxInstructions, false)
	if a.Creator != "" {
		norm := account.NormalEmail(a.Creator)
		if !slices.ContainsFunc(c.f.Campaign.Admins, func(e string) bool { return account.NormalEmail(e) == norm }) {
			c.add(at+".creator", "%s is not in campaign.admins; the creator must be an admin", a.Creator)
		}
	}
	known := c.contactFields(at, a.ContactFields, loaded)
	c.shownFields(at, a.Shown(), a.ContactFields, loaded)
	switch {
	case len(a.Scripts) == 0:
		c.add(at+".scripts", "an action needs at least one initial script")
	case len(a.Scripts) > MaxScripts:
		c.add(at+".scripts", "%d scripts; at most %d", len(a.Scripts), MaxScripts)
	}
	for j, s := range a.Scripts {
		c.script(ScriptPath(at, j), s, known)
	}
	tags := c.reportFields(at, a.ReportFields)
	c.responseScripts(at, a.ResponseScripts, known, tags)
	if err := quiethours.Validate(quiethours.Hours{Start: a.TextingHours.Start, End: a.TextingHours.End}); err != nil {
		msg := strings.TrimPrefix(err.Error(), quiethours.ErrInvalidHours.Error()+": ")
		c.add(at+".texting_hours", "%s", msg)
	}
	if a.BatchSize < 1 || a.BatchSize > MaxBatchSize {
		c.add(at+".batch_size", "%d is not between 1 and %d", a.BatchSize, MaxBatchSize)
	}
}

// contactFields checks the declared custom columns and returns every merge
// field a script of the action may use.
func (c *checker) contactFields(at string, declared, loaded []string) []string {
	known := append(script.ContactFields(), script.VolunteerName, script.VolunteerFirstName)
	if len(declared) > MaxListItems {
		c.add(at+".contact_fields", "%d fields; at most %d", len(declared), MaxListItems)
	}
	for j, f := range declared {
		p := ItemPath(at+".contact_fields", j)
		switch {
		case !validKey(f):
			c.add(p, "%q is not a merge field name: lowercase letters, digits and _, at most %d", f, maxKeyCharacters)
		case slices.Contains(known, f):
			c.add(p, "{%s} is a standard field; list only the extra CSV columns", f)
		default:
			known = append(known, f)
		}
	}
	for _, f := range loaded {
		if !slices.Contains(known, f) {
			known = append(known, f)
		}
	}
	return known
}

// shownFields checks that each column shown to volunteers is one of the
// action's custom columns: declared in contact_fields or loaded already.
func (c *checker) shownFields(at string, shown, declared, loaded []string) {
	if len(shown) > MaxListItems {
		c.add(at+".shown_fields", "%d fields; at most %d", len(shown), MaxListItems)
	}
	for j, f := range shown {
		p := ItemPath(at+".shown_fields", j)
		switch {
		case slices.Contains(script.ContactFields(), f):
			c.add(p, "{%s} is a standard field, always shown; list only extra CSV columns", f)
		case !slices.Contains(declared, f) && !slices.Contains(loaded, f):
			c.add(p, "%q is not a column of this action's contacts; list it in contact_fields too (the extra CSV columns)", f)
		case slices.Contains(shown[:j], f):
			c.add(p, "%q is listed twice", f)
		}
	}
}

func validKey(k string) bool {
	if k == "" || len(k) > maxKeyCharacters {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// script checks one script against the known merge fields, naming unknown
// ones with the fields the contacts do have.
func (c *checker) script(path, s string, known []string) {
	if n := utf8.RuneCountInString(s); n > MaxScript {
		c.add(path, "is %d characters; at most %d (ten SMS segments)", n, MaxScript)
		return
	}
	err := script.Validate(s, known)
	var unknown *script.UnknownFieldError
	switch {
	case err == nil:
	case errors.Is(err, script.ErrEmpty):
		c.add(path, "the script is empty")
	case errors.As(err, &unknown):
		names := make([]string, len(unknown.Fields))
		for i, f := range unknown.Fields {
			names[i] = "{" + f + "}"
		}
		word := "field"
		if len(names) > 1 {
			word = "fields"
		}
		// The likely field first, beside the typo ({firstname}: a list of
		// eight names left the reader to spot first_name in it).
		meant := ""
		if s := unknown.Suggestion(); s != "" {
			meant = " (did you mean {" + s + "}?)"
		}
		// Every field the script may use, the volunteer's too: someone who
		// wrote {volunteer} needs to learn {volunteer_first_name} exists.
		c.add(path, "unknown merge %s %s%s; the fields are %s (list extra CSV columns in contact_fields)",
			word, strings.Join(names, ", "), meant, strings.Join(known, ", "))
	default:
		c.add(path, "%v", err)
	}
}

// reportFields checks the report fields and returns the keys of the tags.
func (c *checker) reportFields(at string, fields []ReportField) []string {
	if len(fields) > MaxListItems {
		c.add(at+".report_fields", "%d fields; at most %d", len(fields), MaxListItems)
	}
	var tags []string
	seen := map[string]int{}
	for j, f := range fields {
		p := ReportFieldPath(at, j)
		switch {
		case !validKey(f.Key):
			c.add(p+".key", "%q is not a key: lowercase letters, digits and _, at most %d", f.Key, maxKeyCharacters)
		case f.Key == report.Notes || f.Key == report.OptOut:
			c.add(p+".key", "%q is built in (every report has notes and opt_out); pick another key", f.Key)
		default:
			if k, dup := seen[f.Key]; dup {
				c.add(p+".key", "%q is also the key of %s", f.Key, ItemPath("report_fields", k))
			}
			seen[f.Key] = j
		}
		c.text(p+".label", f.Label, MaxLabel, true)
		if !slices.Contains(report.Kinds, f.Kind) {
			c.add(p+".kind", "%q is not a report field kind; use one of %s", f.Kind, strings.Join(report.Kinds, ", "))
		}
		if f.Kind == report.KindTag {
			tags = append(tags, f.Key)
		}
		switch {
		case f.Kind == report.KindChoice && len(f.Choices) < 2:
			c.add(p+".choices", "a choice needs at least 2 choices")
		case f.Kind != report.KindChoice && len(f.Choices) > 0:
			c.add(p+".choices", "only a field of kind choice has choices")
		case len(f.Choices) > MaxListItems:
			c.add(p+".choices", "%d choices; at most %d", len(f.Choices), MaxListItems)
		}
		choices := map[string]int{}
		for k, ch := range f.Choices {
			cp := ItemPath(p+".choices", k)
			c.text(cp, ch, MaxLabel, true)
			if prev, dup := choices[ch]; dup {
				c.add(cp, "%q is also %s", ch, ItemPath("choices", prev))
			}
			choices[ch] = k
		}
	}
	return tags
}

func (c *checker) responseScripts(at string, rs []ResponseScript, known, tags []string) {
	if len(rs) > MaxListItems {
		c.add(at+".response_scripts", "%d response scripts; at most %d", len(rs), MaxListItems)
	}
	seen := map[string]int{}
	for j, r := range rs {
		p := ResponseScriptPath(at, j)
		if !validKey(r.ID) {
			c.add(p+".id", "%q is not an id: lowercase letters, digits and _, at most %d", r.ID, maxKeyCharacters)
		} else if k, dup := seen[r.ID]; dup {
			c.add(p+".id", "%q is also the id of %s", r.ID, ItemPath("response_scripts", k))
		}
		seen[r.ID] = j
		c.text(p+".label", r.Label, MaxLabel, true)
		c.script(p+".body", r.Body, known)
		for k, tag := range r.Tags {
			if !slices.Contains(tags, tag) {
				c.add(ItemPath(p+".tags", k), "%q is not a report field of kind tag in this action (tags: %s)",
					tag, listOrNone(tags))
			}
		}
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
