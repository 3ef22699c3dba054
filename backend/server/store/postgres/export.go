package postgres

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) ScriptStats(ctx context.Context, actionID, orgID string) ([]store.ScriptStat, error) {
	rows, err := t.query(ctx, `SELECT c.script_index, COUNT(*),
		COUNT(*) FILTER (WHERE im.status IN ('sent', 'delivered', 'undelivered', 'failed') AND im.provider_id IS NOT NULL),
		COUNT(*) FILTER (WHERE im.status = 'delivered'),
		COUNT(*) FILTER (WHERE im.status IN ('failed', 'undelivered')),
		COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM messages r WHERE r.thread_id = c.id AND r.direction = 'in')),
		COUNT(*) FILTER (WHERE im.status IN ('sent', 'delivered', 'undelivered', 'failed') AND im.provider_id IS NOT NULL
			AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ? AND o.phone = c.phone))
		FROM contacts c LEFT JOIN messages im ON im.thread_id = c.id AND im.initial = 1
		WHERE c.action_id = ? GROUP BY c.script_index ORDER BY c.script_index`, orgID, actionID)
	if err != nil {
		return nil, fmt.Errorf("script stats of action %s: %w", actionID, err)
	}
	defer rows.Close()
	var out []store.ScriptStat
	for rows.Next() {
		var s store.ScriptStat
		if err := rows.Scan(&s.ScriptIndex, &s.Contacts, &s.Sent, &s.Delivered, &s.Failed, &s.Replied, &s.OptedOut); err != nil {
			return nil, fmt.Errorf("script stats of action %s: %w", actionID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
