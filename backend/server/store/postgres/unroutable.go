package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

// The Admin section's unroutable texts and what its rows read in batches.

func (t *tx) UnroutableForCampaign(ctx context.Context, campaignID string, which store.UnroutableFilter, limit int) ([]store.Unroutable, error) {
	rows, err := t.query(ctx, store.UnroutableForCampaignSQL(which), campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []store.Unroutable
	for rows.Next() {
		u, err := store.ScanUnroutable(rows)
		if err != nil {
			return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t *tx) CountHandledUnroutable(ctx context.Context, campaignID string) (int, error) {
	var n int
	if err := t.queryRow(ctx, store.CountHandledUnroutableSQL, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("handled unroutable texts of campaign %s: %w", campaignID, err)
	}
	return n, nil
}

func (t *tx) UnroutableByID(ctx context.Context, id string) (store.Unroutable, error) {
	u, err := store.ScanUnroutable(t.queryRow(ctx, `SELECT `+store.UnroutableCols+` FROM unroutable_messages WHERE id = ?`, id))
	if err != nil {
		return store.Unroutable{}, notFound(err, "unroutable text "+id)
	}
	return u, nil
}

func (t *tx) SetUnroutableHandled(ctx context.Context, id string, handled bool, userID string, at time.Time) error {
	if _, err := t.UnroutableByID(ctx, id); err != nil {
		return err
	}
	var err error
	if handled {
		_, err = t.exec(ctx, store.SetUnroutableHandledSQL, store.NullIfEmpty(userID), store.TimeText(at), id)
	} else {
		_, err = t.exec(ctx, store.ClearUnroutableHandledSQL, id)
	}
	if err != nil {
		return fmt.Errorf("mark unroutable text %s: %w", id, err)
	}
	return nil
}

// lastInboundByThreadsSQL reads each listed thread's latest reply by
// messages_thread_initial: a reply is never an initial text, so within
// (thread, initial = 0) the index is in created_at order.
const lastInboundByThreadsSQL = `SELECT t.id, (SELECT m.body FROM messages m
	WHERE m.thread_id = t.id AND m.initial = 0 AND m.direction = 'in'
	ORDER BY m.created_at DESC, m.id DESC LIMIT 1) FROM unnest(?::text[]) AS t(id)`

func (t *tx) LastInboundByThreads(ctx context.Context, threadIDs []string) (map[string]string, error) {
	out := make(map[string]string, len(threadIDs))
	if len(threadIDs) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, lastInboundByThreadsSQL, threadIDs)
	if err != nil {
		return nil, fmt.Errorf("last replies of threads: %w", err)
	}
	type row struct {
		ID   string
		Body *string
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var v row
		err := r.Scan(&v.ID, &v.Body)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("last replies of threads: %w", err)
	}
	for _, v := range list {
		if v.Body != nil {
			out[v.ID] = *v.Body
		}
	}
	return out, nil
}
