package store

import (
	"context"
	"fmt"
	"time"
)

func (t *sqliteTx) RetireResponseScripts(ctx context.Context, actionID string, versions []ResponseScript, at, forgetBefore time.Time) error {
	if _, err := t.tx.ExecContext(ctx, ForgetScriptsSQL, TimeText(forgetBefore)); err != nil {
		return fmt.Errorf("forget response script versions: %w", err)
	}
	for _, rs := range versions {
		tags, err := ScriptTagsText(rs)
		if err != nil {
			return err
		}
		if _, err := t.tx.ExecContext(ctx, RetireScriptSQL, actionID, rs.ID, rs.Body, tags, TimeText(at)); err != nil {
			return fmt.Errorf("keep response script %s of action %s: %w", rs.ID, actionID, err)
		}
	}
	if _, err := t.tx.ExecContext(ctx, ScriptsRetiredSQL, TimeText(at), actionID, TimeText(at)); err != nil {
		return fmt.Errorf("note when action %s's response scripts were retired: %w", actionID, err)
	}
	return nil
}

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
