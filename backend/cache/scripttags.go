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

// loadScriptTags gives the facts of threads with a pending reply that
// names a response script which of their action's scripts file report
// tags when sent (report.ScriptTags, what the server files with the
// reply): such a reply is a report (applyPending). Each action is read
// once per batch; one not here (yet) files nothing here.
func (b *batch) loadScriptTags(ctx context.Context, ids []string, facts map[string]*localFacts) error {
	for _, id := range ids {
		f := facts[id]
		if f == nil || !hasScriptReply(f.pending) {
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
		f.taggingScripts = tagging
	}
	return nil
}

func hasScriptReply(pending []api.Mutation) bool {
	for _, m := range pending {
		if m.Type == api.MutReply && m.ResponseScriptID != "" {
			return true
		}
	}
	return false
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
