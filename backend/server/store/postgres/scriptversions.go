package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) ResponseScriptVersions(ctx context.Context, actionID, scriptID string, since time.Time) ([]store.ScriptVersion, error) {
	rows, err := t.query(ctx, store.ScriptVersionsSQL, actionID, scriptID, store.TimeText(since))
	if err != nil {
		return nil, fmt.Errorf("versions of response script %s: %w", scriptID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ScriptVersion, error) { return store.ScanScriptVersion(r) })
	if err != nil {
		return nil, fmt.Errorf("versions of response script %s: %w", scriptID, err)
	}
	return out, nil
}
