package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

func (t *sqliteTx) InboundListedTo(ctx context.Context) (time.Time, error) {
	at, err := ScanInboundListedTo(t.tx.QueryRowContext(ctx, InboundListedToSQL), sql.ErrNoRows)
	if err != nil {
		return time.Time{}, fmt.Errorf("inbound listed to: %w", err)
	}
	return at, nil
}

func (t *sqliteTx) NoteInboundListed(ctx context.Context, at time.Time) error {
	if _, err := t.tx.ExecContext(ctx, NoteInboundListedSQL, TimeText(at)); err != nil {
		return fmt.Errorf("note inbound listed to %s: %w", TimeText(at), err)
	}
	return nil
}

var storedProviderIDsSQL = StoredProviderIDsSQL(func(col string) string { return col + ` IN ` + inIDs })

func (t *sqliteTx) StoredProviderIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := idsParam(ids)
	if err != nil {
		return nil, fmt.Errorf("stored provider ids: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, storedProviderIDsSQL, list, list)
	if err != nil {
		return nil, fmt.Errorf("stored provider ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stored provider ids: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stored provider ids: %w", err)
	}
	return out, nil
}
