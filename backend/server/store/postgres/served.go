package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) NoteProviderServed(ctx context.Context, provider string, at time.Time) error {
	if _, err := t.exec(ctx, store.NoteProviderServedSQL, provider, store.TimeText(at)); err != nil {
		return fmt.Errorf("note provider %s served: %w", provider, err)
	}
	return nil
}
