package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The Admin section's unroutable texts, its marks, the opt-in and abuse
// report it marks, the opt-outs it lifts, and what its rows read in batches.

func (t *sqliteTx) UnroutableByID(ctx context.Context, id string) (Unroutable, error) {
	u, err := ScanUnroutable(t.tx.QueryRowContext(ctx, `SELECT `+UnroutableCols+` FROM unroutable_messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Unroutable{}, fmt.Errorf("unroutable text %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Unroutable{}, fmt.Errorf("unroutable text %s: %w", id, err)
	}
	return u, nil
}

func (t *sqliteTx) CountMarked(ctx context.Context, m Marks, which MarkFilter, campaignID string) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, m.CountSQL(which), campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("%ss marked of campaign %s: %w", m.What(), campaignID, err)
	}
	return n, nil
}

func (t *sqliteTx) OptInByID(ctx context.Context, id string) (OptIn, error) {
	o, err := ScanOptIn(t.tx.QueryRowContext(ctx, OptInByIDSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return OptIn{}, fmt.Errorf("opt-in %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return OptIn{}, fmt.Errorf("opt-in %s: %w", id, err)
	}
	return o, nil
}

func (t *sqliteTx) AbuseReportByID(ctx context.Context, id string) (AbuseReport, error) {
	r, err := ScanAbuseReport(t.tx.QueryRowContext(ctx, AbuseReportByIDSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return AbuseReport{}, fmt.Errorf("abuse report %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return AbuseReport{}, fmt.Errorf("abuse report %s: %w", id, err)
	}
	return r, nil
}

func (t *sqliteTx) OptOutOf(ctx context.Context, orgID, phone string) (OptOut, error) {
	o, err := ScanOptOut(t.tx.QueryRowContext(ctx, OptOutOfSQL, orgID, phone))
	if errors.Is(err, sql.ErrNoRows) {
		return OptOut{}, fmt.Errorf("opt-out of %s: %w", phone, ErrNotFound)
	}
	if err != nil {
		return OptOut{}, fmt.Errorf("opt-out of %s: %w", phone, err)
	}
	return o, nil
}

func (t *sqliteTx) LiftOptOut(ctx context.Context, l OptOutLift) error {
	res, err := t.tx.ExecContext(ctx, KeepLiftedOptOutSQL, l.ID, NullIfEmpty(l.OptInID), l.LiftedBy, TimeText(l.LiftedAt), l.OrganizationID, l.Phone)
	if err != nil {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, errors.Join(ErrNotFound, err))
	}
	if _, err := t.tx.ExecContext(ctx, DeleteOptOutSQL, l.OrganizationID, l.Phone); err != nil {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, err)
	}
	return nil
}

// lastInboundByThreadsSQL reads each listed thread's latest reply by
// messages_thread_initial: a reply is never an initial text, so within
// (thread, initial = 0) the index is in created_at (then rowid) order.
const lastInboundByThreadsSQL = `SELECT json_each.value, (SELECT m.body FROM messages m
	WHERE m.thread_id = json_each.value AND m.initial = 0 AND m.direction = 'in'
	ORDER BY m.created_at DESC, m.rowid DESC LIMIT 1) FROM json_each(?)`

func (t *sqliteTx) LastInboundByThreads(ctx context.Context, threadIDs []string) (map[string]string, error) {
	out := make(map[string]string, len(threadIDs))
	if len(threadIDs) == 0 {
		return out, nil
	}
	list, err := idsParam(threadIDs)
	if err != nil {
		return nil, fmt.Errorf("last replies of threads: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, lastInboundByThreadsSQL, list)
	if err != nil {
		return nil, fmt.Errorf("last replies of threads: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var body sql.NullString
		if err := rows.Scan(&id, &body); err != nil {
			return nil, fmt.Errorf("last replies of threads: %w", err)
		}
		if body.Valid {
			out[id] = body.String
		}
	}
	return out, rows.Err()
}
