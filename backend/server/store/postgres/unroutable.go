package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

// The Admin section's unroutable texts, its marks, the opt-in and abuse
// report it marks, the opt-outs it lifts, and what its rows read in batches.

func (t *tx) UnroutableByID(ctx context.Context, id string) (store.Unroutable, error) {
	u, err := store.ScanUnroutable(t.queryRow(ctx, `SELECT `+store.UnroutableCols+` FROM unroutable_messages WHERE id = ?`, id))
	if err != nil {
		return store.Unroutable{}, notFound(err, "unroutable text "+id)
	}
	return u, nil
}

func (t *tx) CountMarked(ctx context.Context, m store.Marks, which store.MarkFilter, campaignID string) (int, error) {
	var n int
	if err := t.queryRow(ctx, m.CountSQL(which), campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("%ss marked of campaign %s: %w", m.What(), campaignID, err)
	}
	return n, nil
}

func (t *tx) OptInByID(ctx context.Context, id string) (store.OptIn, error) {
	o, err := store.ScanOptIn(t.queryRow(ctx, store.OptInByIDSQL, id))
	if err != nil {
		return store.OptIn{}, notFound(err, "opt-in "+id)
	}
	return o, nil
}

func (t *tx) AbuseReportByID(ctx context.Context, id string) (store.AbuseReport, error) {
	r, err := store.ScanAbuseReport(t.queryRow(ctx, store.AbuseReportByIDSQL, id))
	if err != nil {
		return store.AbuseReport{}, notFound(err, "abuse report "+id)
	}
	return r, nil
}

func (t *tx) OptOutOf(ctx context.Context, orgID, phone string) (store.OptOut, error) {
	o, err := store.ScanOptOut(t.queryRow(ctx, store.OptOutOfSQL, orgID, phone))
	if err != nil {
		return store.OptOut{}, notFound(err, "opt-out of "+phone)
	}
	return o, nil
}

func (t *tx) LiftOptOut(ctx context.Context, l store.OptOutLift) error {
	res, err := t.exec(ctx, store.KeepLiftedOptOutSQL, l.ID, store.NullIfEmpty(l.OptInID), l.LiftedBy, store.TimeText(l.LiftedAt), l.OrganizationID, l.Phone)
	if err != nil {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, err)
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, store.ErrNotFound)
	}
	if _, err := t.exec(ctx, store.DeleteOptOutSQL, l.OrganizationID, l.Phone); err != nil {
		return fmt.Errorf("lift the opt-out of %s: %w", l.Phone, err)
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
