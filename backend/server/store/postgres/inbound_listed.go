package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) InboundListedTo(ctx context.Context) (time.Time, error) {
	at, err := store.ScanInboundListedTo(t.queryRow(ctx, store.InboundListedToSQL), pgx.ErrNoRows)
	if err != nil {
		return time.Time{}, fmt.Errorf("inbound listed to: %w", err)
	}
	return at, nil
}

func (t *tx) NoteInboundListed(ctx context.Context, at time.Time) error {
	if _, err := t.exec(ctx, store.NoteInboundListedSQL, store.TimeText(at)); err != nil {
		return fmt.Errorf("note inbound listed to %s: %w", store.TimeText(at), err)
	}
	return nil
}

var storedProviderIDsSQL = store.StoredProviderIDsSQL(func(col string) string { return col + ` = ` + anyIDs })

func (t *tx) StoredProviderIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := t.query(ctx, storedProviderIDsSQL, ids, ids)
	if err != nil {
		return nil, fmt.Errorf("stored provider ids: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("stored provider ids: %w", err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}
