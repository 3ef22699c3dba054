package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/server/store"
)

// OptOutImportRequest names the organization (by name or id) and the CSV of
// numbers that opted out elsewhere.
type OptOutImportRequest struct {
	Org string
	CSV io.Reader
	// Source says where the list came from (the file's name); each opt-out's
	// reason is "imported from " it, so the export tells them apart from
	// the STOPs Textbank received itself, and it is kept apart too
	// (store.OptOut.ImportedFrom), which the Admin section names.
	Source string
	// Region, SkipInvalid: as ImportRequest's.
	Region      string
	SkipInvalid bool
}

// OptOutImportResult says what an opt-out import did.
type OptOutImportResult struct {
	OrganizationID  string   `json:"organizationId"`
	Organization    string   `json:"organization"`
	Encoding        string   `json:"encoding"`
	Column          string   `json:"column"` // the header of the numbers' column
	Reason          string   `json:"reason"` // what each added opt-out records
	Rows            int      `json:"rows"`   // data rows in the file
	Added           int      `json:"added"`
	AlreadyOptedOut int      `json:"alreadyOptedOut"` // numbers opted out of the organization before
	Duplicates      int      `json:"duplicates"`      // repeated numbers within the file
	RepeatedLines   []string `json:"repeated,omitempty"`
	Invalid         int      `json:"invalid"`
	ProblemLines    []string `json:"problems,omitempty"`
	// TimesFrom is the header of the column each number's opt-out time
	// was read from ("" when the file has none: every one is the
	// import's). Of the numbers the import opted out (Added; not those
	// already opted out, which keep their time), BadTimes counts those
	// whose time was not read, opted out as of the import
	// (--skip-invalid), named in BadTimeLines; NoTimes those whose time
	// cell is empty, opted out as of the import too. A refused import's
	// are every row's.
	TimesFrom    string   `json:"timesFrom"`
	BadTimes     int      `json:"badTimes"`
	BadTimeLines []string `json:"badTimeLines,omitempty"`
	NoTimes      int      `json:"noTimes"`
}

// optOutChunk is how many numbers of an import one optOutMany takes.
const optOutChunk = 2000

// ImportOptOuts opts every number of a CSV out of an organization, in one
// transaction: all of it, or (on any problem) nothing. Each goes through
// optOut, as a STOP does, so texts to it still queued are not sent and its
// threads show it opted out. Numbers repeated in the file or already opted
// out are skipped and counted.
func (o *Organizer) ImportOptOuts(ctx context.Context, req OptOutImportRequest) (OptOutImportResult, error) {
	var org store.Organization
	if err := o.store.View(ctx, func(tx store.Tx) error {
		var err error
		org, err = organizationByRef(ctx, tx, req.Org)
		return err
	}); err != nil {
		return OptOutImportResult{}, err
	}
	region, err := o.importRegion(req.Region)
	if err != nil {
		return OptOutImportResult{}, err
	}
	now := o.clock()
	parsed, err := readCSV(req.CSV, contactcsv.Options{Region: region, NumbersOnly: true, Now: now})
	if err != nil {
		return OptOutImportResult{}, err
	}
	res := OptOutImportResult{OrganizationID: org.ID, Organization: org.Name, Encoding: parsed.Encoding,
		Column: parsed.Columns[contactcsv.CellColumn], Reason: "imported from " + req.Source, Rows: parsed.Total,
		Duplicates: parsed.Duplicates, Invalid: len(parsed.Invalid),
		TimesFrom: parsed.Columns[contactcsv.OptedOutAtColumn], BadTimes: len(parsed.BadTimes), NoTimes: parsed.Untimed}
	for _, r := range parsed.Repeated {
		res.RepeatedLines = append(res.RepeatedLines, r.String())
	}
	for _, p := range parsed.Invalid {
		res.ProblemLines = append(res.ProblemLines, p.String())
	}
	for _, p := range parsed.BadTimes {
		res.BadTimeLines = append(res.BadTimeLines, p.String())
	}
	if (len(parsed.Invalid) > 0 || len(parsed.BadTimes) > 0) && !req.SkipInvalid {
		return res, optOutsRefused(parsed)
	}
	// The rows whose time was not read, by line: only those opted out
	// now are counted and named as opted out as of now.
	badTime := make(map[int]contactcsv.Problem, len(parsed.BadTimes))
	for _, p := range parsed.BadTimes {
		badTime[p.Line] = p
	}
	err = o.store.Update(ctx, func(tx store.Tx) error {
		before, err := tx.OptedOutPhones(ctx, org.ID)
		if err != nil {
			return err
		}
		res.Added, res.AlreadyOptedOut, res.BadTimes, res.NoTimes, res.BadTimeLines = 0, 0, 0, 0, nil
		fresh := make([]store.PhoneAt, 0, len(parsed.Rows))
		var known []string
		for _, r := range parsed.Rows {
			if _, ok := before[r.Phone]; ok {
				res.AlreadyOptedOut++
				known = append(known, r.Phone)
				continue
			}
			at := r.OptedOutAt
			if at.IsZero() {
				at = now
				if p, ok := badTime[r.Line]; ok {
					res.BadTimes++
					res.BadTimeLines = append(res.BadTimeLines, p.String())
				} else if res.TimesFrom != "" {
					res.NoTimes++
				}
			}
			fresh = append(fresh, store.PhoneAt{Phone: r.Phone, At: at})
		}
		// A number a report opted out is on the organization's list too:
		// the opt-out is the list's now, which no admin undoes as a
		// report's mistake (Undo Opt Out).
		for chunk := range slices.Chunk(known, optOutChunk) {
			if err := tx.ClaimReportedOptOuts(ctx, org.ID, chunk, res.Reason, req.Source); err != nil {
				return err
			}
		}
		// In slices: each a few statements whatever its length, and no
		// statement's parameters grow with the file.
		for chunk := range slices.Chunk(fresh, optOutChunk) {
			if err := optOutMany(ctx, tx, org.ID, chunk, res.Reason, req.Source, now); err != nil {
				return err
			}
			res.Added += len(chunk)
		}
		return nil
	})
	if err != nil {
		return OptOutImportResult{}, err
	}
	o.log.Info().Str("organization", org.ID).Int("added", res.Added).Int("already_opted_out", res.AlreadyOptedOut).
		Int("duplicates", res.Duplicates).Int("invalid", res.Invalid).Msg("opt-outs imported")
	return res, nil
}

// optOutsRefused is an opt-out list refused for its rows: numbers not read
// (left out by --skip-invalid) and times not read (their numbers opted out
// as of now by --skip-invalid), in line order.
func optOutsRefused(parsed *contactcsv.Result) *ImportError {
	if len(parsed.BadTimes) == 0 {
		return &ImportError{Problems: parsed.Invalid}
	}
	all := slices.Concat(parsed.Invalid, parsed.BadTimes)
	contactcsv.SortProblems(all)
	times := fmt.Sprintf("%d rows have a time that is not read", len(parsed.BadTimes))
	if len(parsed.BadTimes) == 1 {
		times = "1 row has a time that is not read"
	}
	msg := times + "; nothing was imported (fix them, or pass --skip-invalid to opt those numbers out as of now"
	switch n := len(parsed.Invalid); n {
	case 0:
		msg += ")"
	case 1:
		msg = fmt.Sprintf("1 row is not valid and %s and leave out the row that is not valid)", msg)
	default:
		msg = fmt.Sprintf("%d rows are not valid and %s and leave out the rows that are not valid)", n, msg)
	}
	return &ImportError{Msg: msg, Problems: all}
}

// organizationByRef is the organization an organizer command's --org
// names: by name (in any case or spacing), else by id.
func organizationByRef(ctx context.Context, tx store.Tx, ref string) (store.Organization, error) {
	found, err := tx.OrganizationByName(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		found, err = tx.OrganizationByID(ctx, ref)
	}
	if errors.Is(err, store.ErrNotFound) {
		if like, lerr := lookalikeOrganization(ctx, tx, ref); lerr != nil {
			return store.Organization{}, lerr
		} else if like != "" {
			found, err = tx.OrganizationByName(ctx, like)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Organization{}, fmt.Errorf("no organization is named %q (campaign list shows each campaign's organization)", ref)
	}
	return found, err
}
