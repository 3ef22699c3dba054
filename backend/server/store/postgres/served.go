package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) ProvidersServed(ctx context.Context) (map[string]time.Time, error) {
	rows, err := t.query(ctx, store.ProvidersServedSQL)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	defer rows.Close()
	out, err := store.ScanProvidersServed(rows)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	return out, nil
}

func (t *tx) NoteProviderServed(ctx context.Context, provider string, at time.Time) error {
	if _, err := t.exec(ctx, store.NoteProviderServedSQL, provider, store.TimeText(at)); err != nil {
		return fmt.Errorf("note provider %s served: %w", provider, err)
	}
	return nil
}
