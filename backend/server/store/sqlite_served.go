package store

import (
	"context"
	"fmt"
	"time"
)

func (t *sqliteTx) NoteProviderServed(ctx context.Context, provider string, at time.Time) error {
	if _, err := t.tx.ExecContext(ctx, NoteProviderServedSQL, provider, TimeText(at)); err != nil {
		return fmt.Errorf("note provider %s served: %w", provider, err)
	}
	return nil
}
