package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// A queued reply naming a response script files that script's report tags
// (report.ScriptTags) as the app showed it when the volunteer picked it:
// the version the server looks for among the script's versions (its
// sentScript: the one still current when the reply was made, else the
// latest the app could have held). The cache keeps that answer with the
// reply (outbox.script_tags), so an organizer's edit synced while the
// reply waits does not change what it does here; it does not keep the
// script's older versions, which would need the server to send each
// action's history and the times its versions were retired, for one case
// left: a volunteer's app that had not synced a tags-only edit made
// before the reply (the same words, other tags), where the server takes
// the newer version and its report corrects this once it comes.

// recordScriptTags keeps with reply messageID, queued naming response
// script scriptID of thread threadID's action, whether that script files
// report tags as this cache holds the action now. A script or action not
// here files none.
func recordScriptTags(ctx context.Context, tx *sql.Tx, threadID, messageID, scriptID string) error {
	var actionID string
	err := tx.QueryRowContext(ctx, `SELECT action_id FROM threads WHERE id = ?`, threadID).Scan(&actionID)
	if err != nil {
		return fmt.Errorf("the action of thread %s: %w", threadID, err)
	}
	tagging, err := taggingScripts(ctx, tx, actionID)
	if err != nil {
		return fmt.Errorf("response scripts of action %s: %w", actionID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET script_tags = ? WHERE message_id = ? AND type = ?`,
		boolInt(tagging[scriptID]), messageID, api.MutReply); err != nil {
		return fmt.Errorf("keep the tags of response script %s: %w", scriptID, err)
	}
	return nil
}

// loadScriptTags completes the facts of threads with a pending reply
// naming a response script queued without its answer kept (before the
// cache kept it): judged by the action as held now, read once per batch;
// one not here (yet) files nothing here.
func (b *batch) loadScriptTags(ctx context.Context, ids []string, facts map[string]*localFacts) error {
	for _, id := range ids {
		f := facts[id]
		if f == nil {
			continue
		}
		for _, m := range f.pending {
			if m.Type != api.MutReply || m.ResponseScriptID == "" {
				continue
			}
			if _, told := f.filesTags[m.ID]; told {
				continue
			}
			actionID := b.base[id].ActionID
			tagging, ok := b.tagging[actionID]
			if !ok {
				var err error
				if tagging, err = taggingScripts(ctx, b.tx, actionID); err != nil {
					return fmt.Errorf("refresh threads: response scripts of action %s: %w", actionID, err)
				}
				if b.tagging == nil {
					b.tagging = map[string]map[string]bool{}
				}
				b.tagging[actionID] = tagging
			}
			f.tellTags(m.ID, tagging[m.ResponseScriptID])
		}
	}
	return nil
}

// tellTags records whether pending reply mutationID files report tags.
func (f *localFacts) tellTags(mutationID string, files bool) {
	if f.filesTags == nil {
		f.filesTags = map[string]bool{}
	}
	f.filesTags[mutationID] = files
}

// taggingScripts is the set of action id's response scripts that file
// report tags when sent, as this cache holds the action.
func taggingScripts(ctx context.Context, tx *sql.Tx, actionID string) (map[string]bool, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM actions WHERE id = ?`, actionID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var a api.Action
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return nil, fmt.Errorf("decode action: %w", err)
	}
	out := map[string]bool{}
	for _, rs := range a.ResponseScripts {
		if report.ScriptTags(a.ReportFields, rs) != nil {
			out[rs.ID] = true
		}
	}
	return out, nil
}
