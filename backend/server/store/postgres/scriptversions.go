package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) RetireResponseScripts(ctx context.Context, actionID string, versions []store.ResponseScript, at, forgetBefore time.Time) error {
	if _, err := t.exec(ctx, store.ForgetScriptsSQL, store.TimeText(forgetBefore)); err != nil {
		return fmt.Errorf("forget response script versions: %w", err)
	}
	for _, rs := range versions {
		tags, err := store.ScriptTagsText(rs)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, store.RetireScriptSQL, actionID, rs.ID, rs.Body, tags, store.TimeText(at)); err != nil {
			return fmt.Errorf("keep response script %s of action %s: %w", rs.ID, actionID, err)
		}
	}
	if _, err := t.exec(ctx, store.ScriptsRetiredSQL, store.TimeText(at), actionID, store.TimeText(at)); err != nil {
		return fmt.Errorf("note when action %s's response scripts were retired: %w", actionID, err)
	}
	return nil
}

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
