package store

import (
	"context"
	"fmt"
	"time"
)

func (t *sqliteTx) ProvidersServed(ctx context.Context) (map[string]time.Time, error) {
	rows, err := t.tx.QueryContext(ctx, ProvidersServedSQL)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	defer rows.Close()
	out, err := ScanProvidersServed(rows)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	return out, nil
}

func (t *sqliteTx) NoteProviderServed(ctx context.Context, provider string, at time.Time) error {
	if _, err := t.tx.ExecContext(ctx, NoteProviderServedSQL, provider, TimeText(at)); err != nil {
		return fmt.Errorf("note provider %s served: %w", provider, err)
	}
	return nil
}
