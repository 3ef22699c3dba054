package store

import (
	"context"
	"time"
)

// The Admin section's lists whose rows an admin marks done once dealt with
// (an unroutable text handled, an abuse report or an opt-in reviewed) and
// may open again: one rule for who and when, in both engines. A row's
// done_at alone says done; done_by is NULL when textbankd's command line
// marked it (the console is no account).

// MarkTx marks rows of the Admin section's lists.
type MarkTx interface {
	// CountMarked counts the campaign's rows of the list that which picks:
	// those marked done (the Admin section hides them and says how many
	// there are), or the open ones (its lists show the newest 200 of them).
	CountMarked(ctx context.Context, m Marks, which MarkFilter, campaignID string) (int, error)
	// SetMarked marks the row done by userID at at, keeping who and when of
	// an earlier mark (marking twice is no change), or open again (done
	// false). An empty userID marks it from textbankd's command line.
	// ErrNotFound for no such row.
	SetMarked(ctx context.Context, m Marks, id string, done bool, userID string, at time.Time) error
}

// Marks names one list's table and its who and when columns.
type Marks struct{ table, by, at, what string }

var (
	// UnroutableMarks: unroutable texts marked handled (migration 0013).
	UnroutableMarks = Marks{"unroutable_messages", "handled_by", "handled_at", "unroutable text"}
	// AbuseReportMarks: abuse reports marked reviewed (migration 0014).
	AbuseReportMarks = Marks{"abuse_reports", "reviewed_by", "reviewed_at", "abuse report"}
	// OptInMarks: opt-ins marked reviewed (migration 0014).
	OptInMarks = Marks{"opt_ins", "reviewed_by", "reviewed_at", "opt-in"}
)

// MarkFilter picks a list's rows by whether an admin marked them done.
type MarkFilter int

const (
	MarkAll MarkFilter = iota
	MarkOpen
	MarkDone
)

// Cond is the condition (after a WHERE) that picks which rows, on the
// list's table named alias ("" for none); each kind reads a partial index
// of its own (unroutable_open, abuse_reports_reviewed...).
func (m Marks) Cond(which MarkFilter, alias string) string {
	col := m.at
	if alias != "" {
		col = alias + "." + col
	}
	switch which {
	case MarkOpen:
		return ` AND ` + col + ` IS NULL`
	case MarkDone:
		return ` AND ` + col + ` IS NOT NULL`
	}
	return ``
}

// CountSQL counts a campaign's rows that which picks (campaign id).
func (m Marks) CountSQL(which MarkFilter) string {
	return `SELECT COUNT(*) FROM ` + m.table + ` WHERE campaign_id = ?` + m.Cond(which, "")
}

// ExistsSQL counts the rows with an id (0 or 1).
func (m Marks) ExistsSQL() string { return `SELECT COUNT(*) FROM ` + m.table + ` WHERE id = ?` }

// SetSQL marks a row done (by, at, id): an earlier mark stands.
func (m Marks) SetSQL() string {
	return `UPDATE ` + m.table + ` SET ` + m.by + ` = ?, ` + m.at + ` = ? WHERE id = ? AND ` + m.at + ` IS NULL`
}

// ClearSQL marks a row open again (id).
func (m Marks) ClearSQL() string {
	return `UPDATE ` + m.table + ` SET ` + m.by + ` = NULL, ` + m.at + ` = NULL WHERE id = ?`
}

// What names a row of the list in errors ("abuse report").
func (m Marks) What() string { return m.what }

// Marked is who marked a row done and when: the zero time while open.
type Marked struct {
	By string // an admin's id; "" from textbankd's command line
	At time.Time
}

// Marker says who marked the row: byUser, an admin's id, or
// fromCommandLine for textbankd's console; neither while it is open.
func (d Marked) Marker() (byUser string, fromCommandLine bool) {
	if d.At.IsZero() {
		return "", false
	}
	return d.By, d.By == ""
}

// scanMarked turns the by and at columns (COALESCE'd to ”) into a Marked.
func scanMarked(by, at string) (Marked, error) {
	if at == "" {
		return Marked{}, nil
	}
	t, err := ParseTimeText(at)
	return Marked{By: by, At: t}, err
}
