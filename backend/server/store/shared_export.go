package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// The organizer's exports: reports, messages, opt-outs, each row given to
// fn as it is read.

// contactColsC is contactCols read through the alias c.
var contactColsC = "c." + strings.Join(strings.Fields(strings.ReplaceAll(contactCols, ",", " ")), ", c.")

// WrapScanner lets the scan functions of one entity read a row that has
// other columns before (Head) and after (Tail) that entity's; both
// engines read their joined rows with it.
type WrapScanner struct {
	ScanRow    func(...any) error
	Head, Tail []any
}

func (w WrapScanner) Scan(dest ...any) error {
	all := make([]any, 0, len(w.Head)+len(dest)+len(w.Tail))
	all = append(append(append(all, w.Head...), dest...), w.Tail...)
	return w.ScanRow(all...)
}

// truth scans a SQL truth value: SQLite's 0 or 1, PostgreSQL's boolean.
type truth bool

func (v *truth) Scan(src any) error {
	switch x := src.(type) {
	case bool:
		*v = truth(x)
	case int64:
		*v = x != 0
	default:
		return fmt.Errorf("scan %T as a truth value", src)
	}
	return nil
}

func (t Shared) EachReportRow(ctx context.Context, actionID string, fn func(ReportRow) error) error {
	rows, err := t.run.Query(ctx, `SELECT r.id, r.thread_id, r.user_id, r.field_values, r.submitted_at, r.filled_at,
		`+contactColsC+`, u.name, u.email,
		EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = th.organization_id AND o.phone = c.phone)
		FROM threads th JOIN reports r ON r.thread_id = th.id JOIN contacts c ON c.id = th.id
		JOIN users u ON u.id = r.user_id
		WHERE th.action_id = ?
		ORDER BY r.submitted_at, r.id`, actionID)
	if err != nil {
		return fmt.Errorf("reports of action %s: %w", actionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var row ReportRow
		var vals, at string
		var filled sql.NullString
		var opted truth
		c, err := scanContact(WrapScanner{rows.Scan, []any{&row.ID, &row.ThreadID, &row.UserID, &vals, &at, &filled},
			[]any{&row.VolunteerName, &row.VolunteerEmail, &opted}})
		if err != nil {
			return fmt.Errorf("reports of action %s: %w", actionID, err)
		}
		row.Contact, row.OptedOut = c, bool(opted)
		if err := json.Unmarshal([]byte(vals), &row.Values); err != nil {
			return fmt.Errorf("stored values of report %s: %w", row.ID, err)
		}
		if row.SubmittedAt, err = ParseTimeText(at); err != nil {
			return err
		}
		if row.FilledAt, err = ParseNullTimeText(filled); err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t Shared) EachScriptReport(ctx context.Context, actionID string, fn func(ScriptReport) error) error {
	rows, err := t.run.Query(ctx, `SELECT r.id, r.thread_id, r.field_values, r.submitted_at, c.script_index
		FROM threads th JOIN reports r ON r.thread_id = th.id JOIN contacts c ON c.id = th.id
		WHERE th.action_id = ?`, actionID)
	if err != nil {
		return fmt.Errorf("reports of action %s: %w", actionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ScriptReport
		var vals, at string
		if err := rows.Scan(&r.ID, &r.ThreadID, &vals, &at, &r.ScriptIndex); err != nil {
			return fmt.Errorf("reports of action %s: %w", actionID, err)
		}
		if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
			return fmt.Errorf("stored values of report %s: %w", r.ID, err)
		}
		if r.SubmittedAt, err = ParseTimeText(at); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t Shared) EachMessageRow(ctx context.Context, actionID string, fn func(MessageRow) error) error {
	rows, err := t.run.Query(ctx, `SELECT m.id, m.thread_id, m.direction, m.body, m.status, m.provider_id,
		m.initial, m.sender_id, m.routed_to, m.error, m.created_at, m.sent_at,
		`+contactColsC+`, th.sending_number, COALESCE(u.name, ''), COALESCE(u.email, ''),
		EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = th.organization_id AND o.phone = c.phone)
		FROM threads th JOIN messages m ON m.thread_id = th.id JOIN contacts c ON c.id = th.id
		LEFT JOIN users u ON u.id = `+MessageVolunteerSQL+`
		WHERE th.action_id = ? ORDER BY m.created_at, m.id`, actionID)
	if err != nil {
		return fmt.Errorf("messages of action %s: %w", actionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var row MessageRow
		var provider, sender, routed, sent sql.NullString
		var initial int
		var opted truth
		var created string
		head := []any{&row.ID, &row.ThreadID, &row.Direction, &row.Body, &row.Status, &provider, &initial, &sender, &routed,
			&row.Error, &created, &sent}
		c, err := scanContact(WrapScanner{rows.Scan, head, []any{&row.SendingNumber, &row.VolunteerName, &row.VolunteerEmail, &opted}})
		if err != nil {
			return fmt.Errorf("messages of action %s: %w", actionID, err)
		}
		row.Contact, row.OptedOut = c, bool(opted)
		row.ProviderID, row.SenderID, row.RoutedTo, row.Initial = provider.String, sender.String, routed.String, initial == 1
		if row.CreatedAt, err = ParseTimeText(created); err != nil {
			return err
		}
		if row.SentAt, err = ParseNullTimeText(sent); err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t Shared) EachOptOut(ctx context.Context, orgID string, fn func(OptOut) error) error {
	rows, err := t.run.Query(ctx, `SELECT organization_id, phone, reason, COALESCE(source_message_id, ''), COALESCE(source, ''), created_at
		FROM opt_outs WHERE organization_id = ? ORDER BY created_at, phone`, orgID)
	if err != nil {
		return fmt.Errorf("opt-outs of organization %s: %w", orgID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var o OptOut
		var at string
		if err := rows.Scan(&o.OrganizationID, &o.Phone, &o.Reason, &o.SourceMessageID, &o.Source, &at); err != nil {
			return fmt.Errorf("opt-outs of organization %s: %w", orgID, err)
		}
		if o.CreatedAt, err = ParseTimeText(at); err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t Shared) EachLiftedOptOut(ctx context.Context, orgID string, fn func(LiftedOptOut) error) error {
	rows, err := t.run.Query(ctx, LiftedOptOutsSQL, orgID)
	if err != nil {
		return fmt.Errorf("lifted opt-outs of organization %s: %w", orgID, err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := ScanLiftedOptOut(rows)
		if err != nil {
			return fmt.Errorf("lifted opt-outs of organization %s: %w", orgID, err)
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}
