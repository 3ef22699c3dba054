package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ScriptVersions keeps the versions of response scripts an organizer's edit
// replaced (response_script_versions), so that a reply a volunteer picked
// from a version their app still showed is taken as that script.
type ScriptVersions interface {
	// RetireResponseScripts keeps versions, the action's response scripts
	// as they were until at (each by its ID, with its body and tags), sets
	// the action's ScriptsRetiredAt to at unless it is later already, and
	// forgets every action's versions retired before forgetBefore.
	RetireResponseScripts(ctx context.Context, actionID string, versions []ResponseScript, at, forgetBefore time.Time) error
	// ResponseScriptVersions lists the kept versions of the action's
	// response script scriptID retired at or after since, newest first.
	ResponseScriptVersions(ctx context.Context, actionID, scriptID string, since time.Time) ([]ScriptVersion, error)
}

// ScriptVersion is a response script as it was until RetiredAt (its ID,
// Body and Tags; no Label).
type ScriptVersion struct {
	ResponseScript
	RetiredAt time.Time
}

// The statements of ScriptVersions, the same on both engines.
const (
	RetireScriptSQL = `INSERT INTO response_script_versions (action_id, script_id, body, tags, retired_at)
		VALUES (?, ?, ?, ?, ?)`
	// Only ever later: an edit on a server whose clock is behind another's
	// (PostgreSQL), or after the clock stepped back, must not hide a
	// version retired later than it from sentScript.
	ScriptsRetiredSQL = `UPDATE actions SET scripts_retired_at = ?
		WHERE id = ? AND (scripts_retired_at IS NULL OR scripts_retired_at < ?)`
	ForgetScriptsSQL  = `DELETE FROM response_script_versions WHERE retired_at < ?`
	ScriptVersionsSQL = `SELECT script_id, body, tags, retired_at FROM response_script_versions
		WHERE action_id = ? AND script_id = ? AND retired_at >= ? ORDER BY retired_at DESC`
)

// ScriptTagsText is a version's tags as stored.
func ScriptTagsText(rs ResponseScript) (string, error) {
	tags, err := json.Marshal(nonNil(rs.Tags))
	if err != nil {
		return "", fmt.Errorf("encode tags of response script %s: %w", rs.ID, err)
	}
	return string(tags), nil
}

// ScanScriptVersion reads a row of ScriptVersionsSQL.
func ScanScriptVersion(row interface{ Scan(...any) error }) (ScriptVersion, error) {
	var v ScriptVersion
	var tags, retired string
	if err := row.Scan(&v.ID, &v.Body, &tags, &retired); err != nil {
		return ScriptVersion{}, err
	}
	if err := json.Unmarshal([]byte(tags), &v.Tags); err != nil {
		return ScriptVersion{}, fmt.Errorf("stored tags of response script %s: %w", v.ID, err)
	}
	if len(v.Tags) == 0 {
		v.Tags = nil
	}
	var err error
	v.RetiredAt, err = ParseTimeText(retired)
	return v, err
}
