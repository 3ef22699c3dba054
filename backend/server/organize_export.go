package server

import (
	"cmp"
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
)

// ExportReports writes one CSV row per report submission of an action: the
// contact (with external id and the custom columns of its contact list),
// the volunteer, the initial script the contact got (so A/B scripts can be
// compared), every report field in the action's order, notes and opt-out.
func (o *Organizer) ExportReports(ctx context.Context, actionID string, w io.Writer) (int, error) {
	return o.exportReports(ctx, actionID, eachReport, w)
}

// ExportLatestReports is ExportReports with one row per conversation: the
// values its thread shows (what a voter file wants), each field's newest
// value across its reports (report.Latest: the app files only what changed,
// so the newest report alone may hold one field), with the id, time and
// volunteer of its newest report; in the order of those.
func (o *Organizer) ExportLatestReports(ctx context.Context, actionID string, w io.Writer) (int, error) {
	return o.exportReports(ctx, actionID, eachLatestReport, w)
}

func eachReport(ctx context.Context, tx store.Tx, actionID string, fn func(store.ReportRow) error) error {
	return tx.EachReportRow(ctx, actionID, fn)
}

// eachLatestReport reads every report (in submission order) and gives one
// row per conversation, merged; an export holds the action's conversations
// in memory once, as its CSV is written.
func eachLatestReport(ctx context.Context, tx store.Tx, actionID string, fn func(store.ReportRow) error) error {
	latest := map[string]*store.ReportRow{}
	values := map[string][]map[string]string{}
	// The newest time a report of each was filled: a form that showed a
	// tag asked it, even if a report filled earlier (offline) came after.
	filled := map[string]time.Time{}
	if err := tx.EachReportRow(ctx, actionID, func(r store.ReportRow) error {
		latest[r.ThreadID] = &r
		values[r.ThreadID] = append(values[r.ThreadID], r.Values)
		if at := filledAt(r); at.After(filled[r.ThreadID]) {
			filled[r.ThreadID] = at
		}
		return nil
	}); err != nil {
		return err
	}
	rows := make([]*store.ReportRow, 0, len(latest))
	for id, r := range latest {
		r.Values = report.Latest(values[id])
		at := filled[id]
		r.FilledAt = &at
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b *store.ReportRow) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
	})
	for _, r := range rows {
		if err := fn(*r); err != nil {
			return err
		}
	}
	return nil
}

// reportRows gives an export's report rows.
type reportRows func(ctx context.Context, tx store.Tx, actionID string, fn func(store.ReportRow) error) error

func (o *Organizer) exportReports(ctx context.Context, actionID string, each reportRows, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	n := 0
	err := o.store.View(ctx, func(tx store.Tx) error {
		a, _, err := findAction(ctx, tx, actionID, "", "")
		if err != nil {
			return err
		}
		header := []string{"report_id", "submitted_at", "contact_id", contactcsv.ExternalIDColumn, script.FirstName, script.LastName, "phone", script.Zip}
		after, keys, names := reportColumns(a, header)
		header, fields, err := withContactFields(ctx, tx, a, header, after)
		if err != nil {
			return err
		}
		if err := cw.Write(append(header, after...)); err != nil {
			return err
		}
		tags := newTagStates(a)
		return each(ctx, tx, a.ID, func(r store.ReportRow) error {
			filedCols := filed(r.Values, keys, names)
			r.Values = tags.fill(r)
			row := []string{r.ID, csvTime(r.SubmittedAt), r.Contact.ID, r.Contact.ExternalID, r.Contact.FirstName, r.Contact.LastName,
				r.Contact.Phone, r.Contact.Zip}
			for _, f := range fields {
				row = append(row, r.Contact.Fields[f])
			}
			row = append(row, r.VolunteerName, r.VolunteerEmail,
				strconv.Itoa(r.Contact.ScriptIndex+1), scriptText(a, r.Contact.ScriptIndex))
			for _, f := range a.ReportFields {
				row = append(row, r.Values[f.Key])
			}
			row = append(row, r.Values[ReportNotes], r.Values[ReportOptOut], strconv.FormatBool(r.OptedOut), filedCols)
			n++
			return cw.Write(safeCells(row))
		})
	})
	return flushCSV(cw, n, err)
}

// reportColumns are the reports export's columns after the contact's
// (before: the ones ahead of them): each report field under its key, or as
// report_KEY where the key is a fixed column's name (a field keyed "phone"
// or "volunteer_name"), so that no two columns share a name and a match on
// external_id or phone finds the contact's. keys are the report's keys
// that have a column (the fields', notes, opt_out), names their columns.
func reportColumns(a store.Action, before []string) (cols, keys, names []string) {
	fixed := []string{script.VolunteerName, "volunteer_email", "script_number", "initial_script"}
	last := []string{ReportNotes, ReportOptOut, "opted_out_now", filedColumn}
	taken := map[string]bool{}
	for _, c := range slices.Concat(before, fixed, last) {
		taken[c] = true
	}
	cols = fixed
	for _, f := range a.ReportFields {
		name := f.Key
		for taken[name] {
			name = "report_" + name
		}
		taken[name] = true
		cols = append(cols, name)
		keys, names = append(keys, f.Key), append(names, name)
	}
	keys, names = append(keys, ReportNotes, ReportOptOut), append(names, ReportNotes, ReportOptOut)
	return append(cols, last...), keys, names
}

// withContactFields appends the custom columns of the action's contact
// lists (precinct, ward: what the campaign loaded and will match results
// on) to header, under their own names, or as contact_NAME where that name
// is taken by a column before or after them (contact_contact_NAME where
// that is taken too). fields are the columns' keys
// in Contact.Fields, in header order.
func withContactFields(ctx context.Context, tx store.Tx, a store.Action, header, after []string) (out, fields []string, err error) {
	fields, err = tx.ActionContactFields(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	taken := map[string]bool{}
	for _, h := range append(slices.Clone(header), after...) {
		taken[h] = true
	}
	for _, f := range fields {
		name := f
		for taken[name] { // contact_precinct may be a report field's key too
			name = "contact_" + name
		}
		taken[name] = true
		header = append(header, name)
	}
	return header, fields, nil
}

// ExportMessages writes one CSV row per message of an action, oldest first.
func (o *Organizer) ExportMessages(ctx context.Context, actionID string, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	n := 0
	err := o.store.View(ctx, func(tx store.Tx) error {
		a, _, err := findAction(ctx, tx, actionID, "", "")
		if err != nil {
			return err
		}
		after := []string{"direction", "initial", "script_number", "body", "status", "error", "sending_number",
			script.VolunteerName, "volunteer_email", "opted_out_now"}
		header, fields, err := withContactFields(ctx, tx, a,
			[]string{"message_id", "created_at", "sent_at", "contact_id", contactcsv.ExternalIDColumn, script.FirstName, script.LastName, "phone"}, after)
		if err != nil {
			return err
		}
		if err := cw.Write(append(header, after...)); err != nil {
			return err
		}
		return tx.EachMessageRow(ctx, a.ID, func(m store.MessageRow) error {
			sent := ""
			if m.SentAt != nil {
				sent = csvTime(*m.SentAt)
			}
			row := []string{m.ID, csvTime(m.CreatedAt), sent, m.Contact.ID, m.Contact.ExternalID,
				m.Contact.FirstName, m.Contact.LastName, m.Contact.Phone}
			for _, f := range fields {
				row = append(row, m.Contact.Fields[f])
			}
			n++
			return cw.Write(safeCells(append(row, m.Direction, strconv.FormatBool(m.Initial),
				strconv.Itoa(m.Contact.ScriptIndex+1), m.Body, m.Status, m.Error, m.SendingNumber,
				m.VolunteerName, m.VolunteerEmail, strconv.FormatBool(m.OptedOut))))
		})
	})
	return flushCSV(cw, n, err)
}

// ExportOptOuts writes an organization's opt-out list (by name or id).
func (o *Organizer) ExportOptOuts(ctx context.Context, org string, w io.Writer) (int, error) {
	// opted_out_at: contactcsv's name for the time column, which its
	// opt-out import reads back (another organization, another server).
	// source: where it came from (store.OptOutReported, ...Contact,
	// ...Blocked, ...Imported), empty for one recorded before sources were.
	header := []string{"organization", "phone", "reason", "source", "source_message_id", contactcsv.OptedOutAtColumn}
	return o.exportOrganization(ctx, org, w, header, func(tx store.Tx, found store.Organization, write func(...string) error) error {
		return tx.EachOptOut(ctx, found.ID, func(x store.OptOut) error {
			return write(found.Name, x.Phone, x.Reason, x.Source, x.SourceMessageID, csvTime(x.CreatedAt))
		})
	})
}

// ExportLiftedOptOuts writes the opt-outs an organization's admins lifted
// on a contact's START (Opt Back In) or undid as a report's mistake (Undo
// Opt Out), which export opt-outs no longer lists: each with the opt-out
// as it was, who lifted it and when, and the START it was lifted on (empty
// for an undo), the record of consent to text the number again; last, the
// file of the opt-out list that opted it out (imported_from), if one did.
func (o *Organizer) ExportLiftedOptOuts(ctx context.Context, org string, w io.Writer) (int, error) {
	header := []string{"organization", "phone", "reason", contactcsv.OptedOutAtColumn, "renewed_at", "start_text", "start_at",
		"lifted_at", "lifted_by_name", "lifted_by_email", "imported_from"}
	return o.exportOrganization(ctx, org, w, header, func(tx store.Tx, found store.Organization, write func(...string) error) error {
		return tx.EachLiftedOptOut(ctx, found.ID, func(l store.LiftedOptOut) error {
			return write(found.Name, l.Phone, l.Reason, csvTime(l.OptedOutAt), csvTimeIf(l.RenewedAt), l.StartBody,
				csvTimeIf(l.StartAt), csvTime(l.LiftedAt), l.LiftedByName, l.LiftedByEmail, l.ImportedFrom)
		})
	})
}

// csvTimeIf is csvTime, or "" for the zero time (none: never renewed, no START).
func csvTimeIf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return csvTime(t)
}

// exportOrganization writes a CSV of an organization's rows (by name or
// id), header first; rows calls write once per row (cells made safe for
// spreadsheets). It returns the rows written.
func (o *Organizer) exportOrganization(ctx context.Context, org string, w io.Writer, header []string,
	rows func(tx store.Tx, found store.Organization, write func(cells ...string) error) error) (int, error) {
	cw := csv.NewWriter(w)
	n := 0
	err := o.store.View(ctx, func(tx store.Tx) error {
		found, err := organizationByRef(ctx, tx, org)
		if err != nil {
			return err
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		return rows(tx, found, func(cells ...string) error {
			n++
			return cw.Write(safeCells(cells))
		})
	})
	return flushCSV(cw, n, err)
}

// flushCSV ends an export of n rows that stopped with err (nil when it
// did not): the rows it wrote go out whole even after a failure partway
// (the database gone), so that an export streamed to stdout stops at the
// end of a row and holds exactly the n rows its error will count, not
// up to the last 4 KB the CSV writer had held back, a row cut in two.
func flushCSV(cw *csv.Writer, n int, err error) (int, error) {
	cw.Flush()
	if err != nil {
		return n, err
	}
	return n, cw.Error()
}

func scriptText(a store.Action, i int) string {
	if i >= 0 && i < len(a.Scripts) {
		return a.Scripts[i]
	}
	return ""
}

func csvTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// safeCells keeps a spreadsheet from running a cell as a formula: contacts
// write the bodies of inbound texts, so a reply "=HYPERLINK(...)" must stay
// text. E.164 numbers ("+1212...") and plain numbers ("-2", a report's
// number field) are left as they are: a spreadsheet reads them as numbers,
// and a leading ' would turn them to text that sums and sorts wrongly.
func safeCells(row []string) []string {
	for i, v := range row {
		if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) || isE164(v) || plainNumber.MatchString(v) {
			continue
		}
		row[i] = "'" + v
	}
	return row
}

var plainNumber = regexp.MustCompile(`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`)

func isE164(v string) bool {
	if len(v) < 3 || v[0] != '+' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}
