package store

import (
	"cmp"
	"slices"
	"time"
)

// The statements of opt-outs both engines run alike.

// AddOptOutSQL opts a number out (organization, phone, reason, source
// message, source, at). An opt-out already there keeps its time and
// records the renewal: a START received before it can no longer lift it.
// A report's opt-out renewed from elsewhere (the contact's STOP, a block,
// an import) takes that source, so it can no longer be undone as a
// report's, and its reason and message, so that what the admins read
// ("keyword: STOP") says why it stands, not "reported by volunteer"; any
// other keeps its own.
const AddOptOutSQL = `INSERT INTO opt_outs (organization_id, phone, reason, source_message_id, source, created_at)
	VALUES (?, ?, ?, ?, ?, ?) ` + RenewOptOutSQL

// RenewOptOutSQL is what an opt-out of a number opted out already does,
// AddOptOutSQL's and PostgreSQL's import statement's alike.
// Every CASE reads the row as it was (SQL's SET reads the old values).
const RenewOptOutSQL = `ON CONFLICT (organization_id, phone) DO UPDATE SET renewed_at = excluded.created_at,
	reason = CASE WHEN ` + renewsReport + ` THEN excluded.reason ELSE opt_outs.reason END,
	source_message_id = CASE WHEN ` + renewsReport + ` THEN excluded.source_message_id ELSE opt_outs.source_message_id END,
	source = CASE WHEN ` + renewsReport + ` THEN excluded.source ELSE opt_outs.source END,
	imported_from = CASE WHEN ` + renewsReport + ` THEN excluded.imported_from ELSE opt_outs.imported_from END`

// renewsReport: the opt-out renewed is a report's and the renewal is not
// (a report renewing a report's changes nothing but the time).
const renewsReport = `opt_outs.source = '` + OptOutReported + `' AND COALESCE(excluded.source, '') <> '` + OptOutReported + `'`

// ClaimReportedOptOutsSQL is ClaimReportedOptOuts (reason, file,
// organization, then the engine's list of phones after it).
const ClaimReportedOptOutsSQL = `UPDATE opt_outs SET source = '` + OptOutImported + `', reason = ?, imported_from = ?
	WHERE organization_id = ? AND source = '` + OptOutReported + `' AND phone `

// OptOutOfSQL is one organization's opt-out of a number (organization, phone).
const OptOutOfSQL = `SELECT organization_id, phone, reason, COALESCE(source_message_id, ''), COALESCE(source, ''),
	COALESCE(imported_from, ''), created_at, COALESCE(renewed_at, '') FROM opt_outs WHERE organization_id = ? AND phone = ?`

// ScanOptOut reads one row of OptOutOfSQL.
func ScanOptOut(row interface{ Scan(...any) error }) (OptOut, error) {
	var o OptOut
	var at, renewed string
	if err := row.Scan(&o.OrganizationID, &o.Phone, &o.Reason, &o.SourceMessageID, &o.Source, &o.ImportedFrom, &at, &renewed); err != nil {
		return OptOut{}, err
	}
	var err error
	if o.CreatedAt, err = ParseTimeText(at); err != nil || renewed == "" {
		return o, err
	}
	o.RenewedAt, err = ParseTimeText(renewed)
	return o, err
}

// KeepLiftedOptOutSQL copies an opt-out into opt_out_lifts with who lifted
// it (id, opt-in or NULL, by, at, organization, phone): nothing when there
// is none. DeleteOptOutSQL (organization, phone) then ends it.
const (
	KeepLiftedOptOutSQL = `INSERT INTO opt_out_lifts (id, organization_id, phone, opt_in_id, lifted_by, lifted_at,
		reason, source_message_id, opted_out_at, renewed_at, source, imported_from)
		SELECT ?, organization_id, phone, ?, ?, ?, reason, source_message_id, created_at, renewed_at, source, imported_from
		FROM opt_outs WHERE organization_id = ? AND phone = ?`
	DeleteOptOutSQL = `DELETE FROM opt_outs WHERE organization_id = ? AND phone = ?`
)

// LiftedOptOut is one lifted opt-out as the export lists it: the opt-out
// as it was, who lifted it and when, and the START it was lifted on (none,
// StartAt zero, for a report's opt-out an admin undid).
type LiftedOptOut struct {
	Phone         string
	Reason        string // the opt-out's
	ImportedFrom  string // the opt-out's (OptOut.ImportedFrom): the file of the list that opted the number out, if one did
	OptedOutAt    time.Time
	RenewedAt     time.Time // zero: never renewed
	LiftedAt      time.Time
	LiftedByName  string
	LiftedByEmail string
	StartBody     string // the contact's START
	StartAt       time.Time
}

// LiftedOptOutsSQL lists an organization's lifted opt-outs (organization),
// oldest lift first; ScanLiftedOptOut reads a row.
const LiftedOptOutsSQL = `SELECT l.phone, l.reason, COALESCE(l.imported_from, ''), l.opted_out_at, COALESCE(l.renewed_at, ''), l.lifted_at,
	u.name, u.email, COALESCE(o.body, ''), COALESCE(o.created_at, '')
	FROM opt_out_lifts l JOIN users u ON u.id = l.lifted_by LEFT JOIN opt_ins o ON o.id = l.opt_in_id
	WHERE l.organization_id = ? ORDER BY l.lifted_at, l.phone`

// ScanLiftedOptOut reads one row of LiftedOptOutsSQL.
func ScanLiftedOptOut(row interface{ Scan(...any) error }) (LiftedOptOut, error) {
	var l LiftedOptOut
	var out, renewed, lifted, start string
	if err := row.Scan(&l.Phone, &l.Reason, &l.ImportedFrom, &out, &renewed, &lifted, &l.LiftedByName, &l.LiftedByEmail, &l.StartBody, &start); err != nil {
		return LiftedOptOut{}, err
	}
	var err error
	if l.OptedOutAt, err = ParseTimeText(out); err != nil {
		return LiftedOptOut{}, err
	}
	if renewed != "" {
		if l.RenewedAt, err = ParseTimeText(renewed); err != nil {
			return LiftedOptOut{}, err
		}
	}
	if l.LiftedAt, err = ParseTimeText(lifted); err != nil {
		return LiftedOptOut{}, err
	}
	if start == "" {
		return l, nil
	}
	if l.StartAt, err = ParseTimeText(start); err != nil {
		return LiftedOptOut{}, err
	}
	return l, nil
}

// CancelledText is one text CancelQueued failed: its thread, id and stored
// creation time (TimeText, so that text order is time order).
type CancelledText struct{ ThreadID, ID, CreatedAt string }

// ByThreadOldestFirst groups the texts CancelQueued failed by thread, each
// thread's oldest first (then by id): one order for both engines, whatever
// order their statement returned the rows in, so an opt-out feeds a
// thread's texts alike however many threads it cancelled at once.
func ByThreadOldestFirst(texts []CancelledText) map[string][]string {
	slices.SortFunc(texts, func(a, b CancelledText) int {
		return cmp.Or(cmp.Compare(a.ThreadID, b.ThreadID), cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	out := make(map[string][]string)
	for _, c := range texts {
		out[c.ThreadID] = append(out[c.ThreadID], c.ID)
	}
	return out
}

// SetOptedOutSQL marks a list of threads (a JSON array on SQLite, a text[]
// on PostgreSQL, its last parameter) opted out and forgets who opted them
// back in, and how: what a new opt-out does to a thread lifted before.
// opted_out_at is the number's opt-out's time (added before the threads
// are marked), by which the Admin section lists them (OptedOutThreadsSQL).
const SetOptedOutSQL = `UPDATE threads SET opted_out = 1, opted_back_in_at = NULL, opted_back_in_by = NULL, opt_out_undone = 0,
	opted_out_at = COALESCE((SELECT o.created_at FROM opt_outs o
		WHERE o.organization_id = threads.organization_id AND o.phone = threads.contact_phone), threads.created_at) WHERE id `

// OptedOutThread is one opted-out conversation of a campaign with its
// number's opt-out, as the Admin section lists them.
type OptedOutThread struct {
	ThreadID    string
	ContactName string
	// Blocked: a volunteer blocked the conversation; lifting the opt-out
	// (the contact's START, Opt Back In) never lifts the block.
	Blocked bool
	OptOut  OptOut
	// At is when the thread was marked opted out (TimeText): where the
	// next page starts (OptedOutCursor).
	At string
}

// OptedOutCursor is where a page of OptedOutThreads starts: after the
// thread ThreadID marked at At (TimeText); zero for the newest.
type OptedOutCursor struct{ At, ThreadID string }

// OptedOutThreadsSQL lists a campaign's opted-out threads with their
// number's opt-out (campaign, cursor's at and thread, limit): the page is
// one range of threads_opted_out in its order (OptedOutPageSQL), then each
// opt-out read by its key (SQLite's join does; PostgreSQL's statement says
// it with LATERAL, as a plain join hashed the organization's every
// opt-out). The join need not keep the page's order, so it sorts nothing:
// OptedOutPage puts the page's few rows in order. ScanOptedOutThread
// reads a row.
const OptedOutThreadsSQL = `SELECT ` + OptedOutCols + ` FROM (` + OptedOutPageSQL + `) t
	JOIN opt_outs o ON o.organization_id = t.organization_id AND o.phone = t.contact_phone`

// OptedOutPageSQL is the page of threads OptedOutThreadsSQL reads, and
// OptedOutCols what it answers of each and of its opt-out (o).
const (
	OptedOutPageSQL = `SELECT id, contact_name, opted_out_at, organization_id, contact_phone, blocked FROM threads
		WHERE campaign_id = ? AND opted_out = 1 AND (opted_out_at, id) < (?, ?)
		ORDER BY opted_out_at DESC, id DESC LIMIT ?`
	OptedOutCols = `t.id, t.contact_name, t.opted_out_at, t.blocked <> 0, o.organization_id, o.phone, o.reason,
	COALESCE(o.source_message_id, ''), COALESCE(o.source, ''), COALESCE(o.imported_from, ''), o.created_at, COALESCE(o.renewed_at, '')`
)

// OptedOutPage is a page of OptedOutThreadsSQL's rows in its order, the
// newest marked first.
func OptedOutPage(rows []OptedOutThread) []OptedOutThread {
	slices.SortFunc(rows, func(a, b OptedOutThread) int {
		return cmp.Or(cmp.Compare(b.At, a.At), cmp.Compare(b.ThreadID, a.ThreadID))
	})
	return rows
}

// OptedOutThreadsArgs are OptedOutThreadsSQL's parameters.
func OptedOutThreadsArgs(campaignID string, after OptedOutCursor, limit int) []any {
	if after.At == "" {
		// Past every time: from the newest.
		after = OptedOutCursor{At: "~", ThreadID: ""}
	}
	return []any{campaignID, after.At, after.ThreadID, limit}
}

// CountOptedOutThreadsSQL counts a campaign's opted-out threads (campaign).
const CountOptedOutThreadsSQL = `SELECT COUNT(*) FROM threads WHERE campaign_id = ? AND opted_out = 1`

// ScanOptedOutThread reads one row of OptedOutThreadsSQL.
func ScanOptedOutThread(row interface{ Scan(...any) error }) (OptedOutThread, error) {
	var x OptedOutThread
	var at, renewed string
	o := &x.OptOut
	if err := row.Scan(&x.ThreadID, &x.ContactName, &x.At, &x.Blocked, &o.OrganizationID, &o.Phone, &o.Reason, &o.SourceMessageID, &o.Source,
		&o.ImportedFrom, &at, &renewed); err != nil {
		return OptedOutThread{}, err
	}
	var err error
	if o.CreatedAt, err = ParseTimeText(at); err != nil || renewed == "" {
		return x, err
	}
	o.RenewedAt, err = ParseTimeText(renewed)
	return x, err
}

// DistinctIDs is ids without repeats, in first-seen order: a statement on
// a list updates each row once, so a count to check is of distinct ids.
func DistinctIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
