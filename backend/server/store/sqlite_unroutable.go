package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The Admin section's unroutable texts and what its rows read in batches.

func (t *sqliteTx) UnroutableForCampaign(ctx context.Context, campaignID string, which UnroutableFilter, limit int) ([]Unroutable, error) {
	rows, err := t.tx.QueryContext(ctx, UnroutableForCampaignSQL(which), campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Unroutable
	for rows.Next() {
		u, err := ScanUnroutable(rows)
		if err != nil {
			return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t *sqliteTx) CountHandledUnroutable(ctx context.Context, campaignID string) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, CountHandledUnroutableSQL, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("handled unroutable texts of campaign %s: %w", campaignID, err)
	}
	return n, nil
}

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

func (t *sqliteTx) SetUnroutableHandled(ctx context.Context, id string, handled bool, userID string, at time.Time) error {
	if _, err := t.UnroutableByID(ctx, id); err != nil {
		return err
	}
	var err error
	if handled {
		_, err = t.tx.ExecContext(ctx, SetUnroutableHandledSQL, NullIfEmpty(userID), TimeText(at), id)
	} else {
		_, err = t.tx.ExecContext(ctx, ClearUnroutableHandledSQL, id)
	}
	if err != nil {
		return fmt.Errorf("mark unroutable text %s: %w", id, err)
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
