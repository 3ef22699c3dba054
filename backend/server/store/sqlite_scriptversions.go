package store

import (
	"context"
	"fmt"
	"time"
)

func (t *sqliteTx) ResponseScriptVersions(ctx context.Context, actionID, scriptID string, since time.Time) ([]ScriptVersion, error) {
	rows, err := t.tx.QueryContext(ctx, ScriptVersionsSQL, actionID, scriptID, TimeText(since))
	if err != nil {
		return nil, fmt.Errorf("versions of response script %s: %w", scriptID, err)
	}
	defer rows.Close()
	var out []ScriptVersion
	for rows.Next() {
		v, err := ScanScriptVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("versions of response script %s: %w", scriptID, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
