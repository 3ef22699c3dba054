package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// ImportRequest names the action (ActionID, or CampaignCode and
// ActionTitle) and the CSV to load into it.
type ImportRequest struct {
	ActionID     string
	CampaignCode string
	ActionTitle  string
	CSV          io.Reader
	// Region overrides the organizer's default region for numbers without
	// a country code.
	Region string
	// SkipInvalid imports the good rows of a file with bad ones; otherwise
	// any bad row refuses the whole file.
	SkipInvalid bool
	// KeepNameCase keeps names as the file writes them; otherwise names all
	// in capitals or all in lower case are written as names
	// (contactcsv.NameCase).
	KeepNameCase bool
	// Progress, if set, hears how far each phase ("checking", "saving") is.
	Progress func(phase string, done, total int)
}

// ImportResult says what an import did.
type ImportResult struct {
	ActionID      string               `json:"actionId"`
	Action        string               `json:"action"`
	Encoding      string               `json:"encoding"`
	Fields        []string             `json:"fields"` // custom merge fields the file brought
	Rows          int                  `json:"rows"`   // data rows in the file
	Imported      int                  `json:"imported"`
	Invalid       int                  `json:"invalid"`
	Problems      []contactcsv.Problem `json:"-"`
	ProblemLines  []string             `json:"problems,omitempty"`
	Duplicates    int                  `json:"duplicates"`         // repeated numbers within the file
	RepeatedLines []string             `json:"repeated,omitempty"` // which rows those were, and the row each repeats
	AlreadyLoaded int                  `json:"alreadyLoaded"`      // numbers the action already had
	OptedOut      int                  `json:"optedOut"`           // numbers opted out of the organization
	PerScript     map[int]int          `json:"perScript"`          // new contacts per initial script, every script
	Columns       map[string]string    `json:"columns"`            // how the header was read
	// MissingColumns are the action's contact fields (declared in the
	// campaign file, or brought by an earlier import) that the file has no
	// column for; every script using one has a fallback (else the file is
	// refused), which these contacts will get instead. A warning.
	MissingColumns []MissingColumn `json:"missingColumns"`
	// Recased: contacts stored whose names were all in capitals or all in lower case,
	// written as names ("IDA WELLS" is Ida Wells) unless KeepNameCase;
	// RecasedExample the first, "line 2: IDA WELLS is Ida Wells".
	Recased        int    `json:"namesRecased"`
	RecasedExample string `json:"namesRecasedExample,omitempty"`
	// EmptyFields: per merge field some script needs, the rows left out
	// (with --skip-invalid) for lacking it, and which scripts need it.
	EmptyFields []EmptyField `json:"emptyFields"`
	// NotShown are the file's custom columns volunteers do not see (no
	// script uses them and the campaign file's shown_fields does not name
	// them): kept on the server, in the exports.
	NotShown []string `json:"notShown"`
}

// MaxProblemsShown is how many bad rows an import's text names: a file
// wrong throughout (a column of numbers all mangled) would print a line
// per row, thousands, where the first few show the pattern. --json lists
// every one.
const MaxProblemsShown = 20

// ImportError is a file refused: nothing was stored. Problems lists the bad
// rows (all of them; Error names the first MaxProblemsShown); Msg is set for
// a problem with the whole file.
type ImportError struct {
	Msg      string
	Problems []contactcsv.Problem
	// Empty counts the rows refused for a merge field a script needs, per
	// field: said before the rows, with what to do about them.
	Empty []EmptyField
}

func (e *ImportError) Error() string {
	if e.Msg != "" && len(e.Problems) == 0 {
		return e.Msg
	}
	var b strings.Builder
	if e.Msg != "" {
		b.WriteString(e.Msg)
	} else {
		if len(e.Problems) == 1 {
			b.WriteString("1 row is not valid; nothing was imported (fix it, or pass --skip-invalid to import the rest)")
		} else {
			fmt.Fprintf(&b, "%d rows are not valid; nothing was imported (fix them, or pass --skip-invalid to import the rest)", len(e.Problems))
		}
	}
	for _, f := range e.Empty {
		fmt.Fprintf(&b, "\n  %s: %s", f.Summary(), f.Advice())
	}
	for i, p := range e.Problems {
		if i == MaxProblemsShown {
			fmt.Fprintf(&b, "\n  and %s (--json lists every one)", moreRows(len(e.Problems)-i))
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// ImportContacts loads a CSV into an action in one transaction: all of it,
// or (on any problem) nothing. Numbers repeated in the file, already in the
// action or opted out of the organization are skipped and counted. Every
// merge field the action's scripts use without a fallback must be a column
// of the file, and filled on every row.
func (o *Organizer) ImportContacts(ctx context.Context, req ImportRequest) (ImportResult, error) {
	var (
		action store.Action
		camp   store.Campaign
		stored []string
	)
	region, err := o.importRegion(req.Region)
	if err != nil {
		return ImportResult{}, err
	}
	if err := o.store.View(ctx, func(tx store.Tx) error {
		var err error
		action, camp, err = findAction(ctx, tx, req.ActionID, req.CampaignCode, req.ActionTitle)
		if err != nil {
			return err
		}
		if !camp.Active {
			return fmt.Errorf("campaign %q (%s) is archived; contacts go into active campaigns only", camp.Name, camp.JoinCode)
		}
		stored, err = tx.ActionContactFields(ctx, action.ID)
		return err
	}); err != nil {
		return ImportResult{}, err
	}
	opt := contactcsv.Options{Region: region, KeepNameCase: req.KeepNameCase}
	if req.Progress != nil {
		opt.Progress = func(n int) { req.Progress("checking", n, 0) }
	}
	parsed, err := readCSV(req.CSV, opt)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{ActionID: action.ID, Action: action.Title, Encoding: parsed.Encoding, Fields: append([]string{}, parsed.Fields...), // [] rather than null in --json
		Rows: parsed.Total, Duplicates: parsed.Duplicates, PerScript: map[int]int{}, Columns: parsed.Columns,
	}
	for _, r := range parsed.Repeated {
		res.RepeatedLines = append(res.RepeatedLines, r.String())
	}
	res.NotShown = notShown(action, parsed.Fields)
	required, missing := requiredFields(action, parsed.Columns)
	if len(missing) > 0 {
		return ImportResult{}, &ImportError{Msg: missingColumnsRefusal(action, missing, parsed.Fields)}
	}
	res.MissingColumns = missingColumns(action, stored, parsed.Fields)
	problems := append([]contactcsv.Problem{}, parsed.Invalid...)
	rows := parsed.Rows[:0:0]
	res.EmptyFields = []EmptyField{}
	for _, r := range parsed.Rows {
		if p, empty := emptyRequired(action, r, required, parsed.Columns); len(empty) > 0 {
			problems = append(problems, p)
			res.EmptyFields = countEmpty(action, res.EmptyFields, empty)
			continue
		}
		if r.NoTimeZone {
			if msg := texting.NoZoneRefusal(r.Phone, texting.Hours(action.TextingHours)); msg != "" {
				problems = append(problems, contactcsv.Problem{Line: r.Line, Column: parsed.Columns[contactcsv.CellColumn], Msg: msg})
				continue
			}
		}
		rows = append(rows, r)
	}
	contactcsv.SortProblems(problems)
	res.Invalid, res.Problems = len(problems), problems
	for _, p := range problems {
		res.ProblemLines = append(res.ProblemLines, p.String())
	}
	if len(problems) > 0 && !req.SkipInvalid {
		return res, &ImportError{Problems: problems, Empty: res.EmptyFields}
	}
	if len(rows) > 0 && len(action.Scripts) == 0 {
		return res, &ImportError{Msg: fmt.Sprintf("action %q has no initial script; add one with campaign update first", action.Title)}
	}

	err = o.store.Update(ctx, func(tx store.Tx) error {
		have, err := tx.ActionPhones(ctx, action.ID)
		if err != nil {
			return err
		}
		optedOut, err := tx.OptedOutPhones(ctx, camp.OrganizationID)
		if err != nil {
			return err
		}
		now := o.clock()
		contacts := make([]store.Contact, 0, len(rows))
		res.Imported, res.AlreadyLoaded, res.OptedOut = 0, 0, 0
		res.Recased, res.RecasedExample = 0, ""
		// Every initial script is counted, 0 included: a script that drew
		// no contact is part of the A/B comparison too.
		clear(res.PerScript)
		for i := range action.Scripts {
			res.PerScript[i] = 0
		}
		for _, r := range rows {
			if _, ok := have[r.Phone]; ok {
				res.AlreadyLoaded++
				continue
			}
			if _, ok := optedOut[r.Phone]; ok {
				res.OptedOut++
				continue
			}
			c := store.Contact{ID: newContactID(), ActionID: action.ID, FirstName: r.FirstName, LastName: r.LastName,
				Phone: r.Phone, Zip: r.Zip, ExternalID: r.ExternalID, Fields: r.Fields,
				ScriptIndex: rand.IntN(len(action.Scripts)),
				// Distinct times keep the file's order the order volunteers get.
				CreatedAt: now.Add(timeStep(len(contacts)))}
			res.PerScript[c.ScriptIndex]++
			// Counted among the contacts stored: a file imported again
			// recases nobody, and says so.
			if r.Recased != "" {
				if res.Recased == 0 {
					res.RecasedExample = fmt.Sprintf("line %d: %s", r.Line, r.Recased)
				}
				res.Recased++
			}
			contacts = append(contacts, c)
		}
		var progress func(int)
		if req.Progress != nil {
			progress = func(n int) { req.Progress("saving", n, len(contacts)) }
		}
		if err := tx.InsertContacts(ctx, contacts, progress); err != nil {
			return err
		}
		res.Imported = len(contacts)
		if len(contacts) == 0 {
			// The file's extra columns describe no contact of the action:
			// kept, they would be asked of every later file and exported
			// empty, for good (a file of contacts all loaded before).
			return nil
		}
		return tx.SetActionContactFields(ctx, action.ID, union(stored, parsed.Fields))
	})
	if err != nil {
		return ImportResult{}, err
	}
	o.log.Info().Str("action", action.ID).Int("imported", res.Imported).Int("duplicates", res.Duplicates).
		Int("already_loaded", res.AlreadyLoaded).Int("opted_out", res.OptedOut).Int("invalid", res.Invalid).Msg("contacts imported")
	return res, nil
}

// importRegion is the region of an import's numbers written without a
// country code: the request's, else the organizer's default.
func (o *Organizer) importRegion(region string) (string, error) {
	if region == "" {
		region = o.region
	}
	// An unknown region would fail every row without a country code, one
	// problem line each: say it once instead.
	if !phone.KnownRegion(region) {
		return "", &ImportError{Msg: fmt.Sprintf("--region %q is not a country code phone numbers are known for; give two letters such as US, CA or GB (nothing was imported)", region)}
	}
	return region, nil
}

// readCSV reads an import's file; a file that cannot be used at all is an
// *ImportError.
func readCSV(r io.Reader, opt contactcsv.Options) (*contactcsv.Result, error) {
	parsed, err := contactcsv.Read(r, opt)
	var fe *contactcsv.FileError
	if errors.As(err, &fe) {
		return nil, &ImportError{Msg: fe.Error()}
	}
	return parsed, err
}

// nameTheAction is the answer to a command that names no action.
const nameTheAction = "name the action: --action ID, or --campaign CODE with --action-title TITLE " +
	"(campaign create and campaign update print each action's id)"

// campaignsListed is what findAction reads: the campaigns and their
// actions, and what names the campaign an unknown code was (an archived
// one's, or one campaign new-code replaced).
type campaignsListed interface {
	store.Campaigns
	ListCampaigns(ctx context.Context, includeArchived bool) ([]store.CampaignListing, error)
	CampaignByRetiredJoinCode(ctx context.Context, code string) (store.Campaign, error)
}

// findAction resolves an action by id, or by campaign code and title.
func findAction(ctx context.Context, tx campaignsListed, id, code, title string) (store.Action, store.Campaign, error) {
	var a store.Action
	switch {
	case id != "":
		var err error
		a, err = tx.ActionByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return store.Action{}, store.Campaign{}, fmt.Errorf("no action has id %s (campaign create and campaign update print each action's id; or name it with --campaign CODE --action-title TITLE)", id)
		}
		if err != nil {
			return store.Action{}, store.Campaign{}, err
		}
		if err := sameAction(ctx, tx, a, code, title); err != nil {
			return store.Action{}, store.Campaign{}, err
		}
	case code != "" && title != "":
		c, err := titleCampaign(ctx, tx, code)
		if err != nil {
			return store.Action{}, store.Campaign{}, err
		}
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return store.Action{}, store.Campaign{}, err
		}
		var titles, same []string
		for _, x := range actions {
			titles = append(titles, fmt.Sprintf("%q", x.Title))
			if sameTitle(x.Title, title) {
				a = x
				same = append(same, x.ID)
			}
		}
		if a.ID == "" {
			return store.Action{}, store.Campaign{}, fmt.Errorf("campaign %s has no action titled %q; its actions: %s", code, title, listOrNone(titles))
		}
		if len(same) > 1 {
			// Only an older server let two share a title; never guess.
			return store.Action{}, store.Campaign{}, fmt.Errorf("campaign %s has %d actions titled %q; name one with --action and its id: %s", code, len(same), title, strings.Join(same, ", "))
		}
	default:
		return store.Action{}, store.Campaign{}, errors.New(nameTheAction)
	}
	c, err := tx.CampaignByID(ctx, a.CampaignID)
	return a, c, err
}

// sameAction checks that --campaign and --action-title, when given beside
// --action (one left in the environment, say), name the action a too:
// otherwise which one the command acts on is a guess.
func sameAction(ctx context.Context, tx campaignsListed, a store.Action, code, title string) error {
	const either = "give --action alone, or --campaign with --action-title"
	if title != "" && !sameTitle(a.Title, title) {
		return fmt.Errorf("--action %s is titled %q, not %q (--action-title); %s", a.ID, a.Title, title, either)
	}
	if code == "" {
		return nil
	}
	c, err := titleCampaign(ctx, tx, code)
	if err != nil {
		return err
	}
	if c.ID != a.CampaignID {
		return fmt.Errorf("--action %s is not an action of campaign %s (--campaign, %q); %s", a.ID, code, c.Name, either)
	}
	return nil
}

// moreRows is "1 more row", "2 more rows".
func moreRows(n int) string {
	if n == 1 {
		return "1 more row"
	}
	return fmt.Sprintf("%d more rows", n)
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// newContactID is a time-ordered UUID (v7): a big import then appends to
// the primary key's B-tree instead of writing all over it, which is most of
// the insert cost.
func newContactID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
