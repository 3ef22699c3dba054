package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// The server opts a number out of the whole organization, on every thread
// it has there (SPEC 8); a report tagging Opt Out still in the outbox shows
// that at once on each local thread of the number in the organization's
// campaigns, not only its own, so none of them looks textable until the
// sync. A campaign's organization comes with its change
// (campaigns.organization_id); one an older server did not name stands for
// its own organization, so the number's threads in other campaigns follow
// when the server's change arrives. A thread with no number stands alone.

// orgOf is the SQL for the organization a thread of campaign table alias c
// (LEFT JOINed) and thread alias t counts in: its campaign's, or the
// campaign itself when the cache does not know it.
func orgOf(c, t string) string {
	return "COALESCE(NULLIF(" + c + ".organization_id, ''), " + t + ".campaign_id)"
}

// loadNumberOptOuts marks the facts of threads whose number has a report
// tagging Opt Out in the outbox on a thread of the same organization. It
// reads the outbox's pending reports, from the outbox (CROSS JOIN keeps it
// the outer table): a handful at most, none most of the time, where
// starting from the threads would probe an index for each of up to 500
// numbers in every refresh of a sync page. The campaigns' organizations
// (a few rows) are read only when some report opts a number out.
func (b *batch) loadNumberOptOuts(ctx context.Context, facts map[string]*localFacts) error {
	type number struct{ org, phone string }
	optedOut := map[number]bool{}
	err := b.each(ctx, `SELECT `+orgOf("c", "t")+`, t.contact_phone, o.payload FROM outbox o CROSS JOIN threads t ON t.id = o.thread_id
		LEFT JOIN campaigns c ON c.id = t.campaign_id
		WHERE o.rejected = 0 AND o.type = ? AND t.contact_phone != ''`, []any{api.MutReport},
		func(rows *sql.Rows) error {
			var n number
			var payload string
			if err := rows.Scan(&n.org, &n.phone, &payload); err != nil {
				return err
			}
			var m api.Mutation
			if err := json.Unmarshal([]byte(payload), &m); err != nil {
				return fmt.Errorf("decode pending report: %w", err)
			}
			if m.Values[report.OptOut] == "true" {
				optedOut[n] = true
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: pending opt-outs of their numbers: %w", err)
	}
	orgs := map[string]string{} // campaign id -> organization, when known
	if len(optedOut) > 0 {
		err := b.each(ctx, `SELECT id, organization_id FROM campaigns WHERE organization_id != ''`, nil, func(rows *sql.Rows) error {
			var id, org string
			if err := rows.Scan(&id, &org); err != nil {
				return err
			}
			orgs[id] = org
			return nil
		})
		if err != nil {
			return fmt.Errorf("refresh threads: campaigns' organizations: %w", err)
		}
	}
	for id, f := range facts {
		t := b.base[id]
		org, ok := orgs[t.CampaignID]
		if !ok {
			org = t.CampaignID
		}
		f.numberOptedOut = t.ContactPhone != "" && optedOut[number{org, t.ContactPhone}]
	}
	return nil
}

// numberThreadsTx is the thread (listed even when no longer in the cache,
// so a caller telling the window of it still does) and the other local
// threads of its number in its organization's campaigns.
func numberThreadsTx(ctx context.Context, tx txQuerier, threadID string) ([]string, error) {
	ids, err := queryIDs(ctx, tx, `SELECT ?
		UNION SELECT s.id FROM threads t JOIN threads s ON s.contact_phone = t.contact_phone
		LEFT JOIN campaigns tc ON tc.id = t.campaign_id LEFT JOIN campaigns sc ON sc.id = s.campaign_id
		WHERE t.id = ? AND t.contact_phone != '' AND `+orgOf("sc", "s")+` = `+orgOf("tc", "t"), threadID, threadID)
	if err != nil {
		return nil, fmt.Errorf("threads of %s's number: %w", threadID, err)
	}
	return ids, nil
}

// refreshNumberThreads re-derives the thread and the other threads of its
// number: a report filed on it, or refused, may change them all.
func refreshNumberThreads(ctx context.Context, tx *sql.Tx, threadID string) error {
	ids, err := numberThreadsTx(ctx, tx, threadID)
	if err != nil {
		return err
	}
	b := newBatch(tx)
	defer b.close()
	for _, id := range ids {
		b.touch(id)
	}
	return b.refreshTouched(ctx)
}

// NumberThreads is the thread and the other local threads of its number in
// its organization's campaigns: those a report on it may have changed, for the window.
func (c *Cache) NumberThreads(ctx context.Context, threadID string) ([]string, error) {
	return numberThreadsTx(ctx, c.db, threadID)
}
