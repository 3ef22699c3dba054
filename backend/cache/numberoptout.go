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
// that at once on each local thread of the number, not only its own, so
// none of them looks textable until the sync. The cache does not know which
// organization a campaign belongs to, so it shows it on the number's
// threads in the report's campaign (all in one organization); threads of
// other campaigns follow when the server's change arrives. A thread with
// no number stands alone.

// loadNumberOptOuts marks the facts of threads whose number has a report
// tagging Opt Out in the outbox on a thread of the same campaign. It reads
// the outbox's pending reports, from the outbox (CROSS JOIN keeps it the
// outer table): a handful at most, none most of the time, where starting
// from the threads would probe an index for each of up to 500 numbers in
// every refresh of a sync page.
func (b *batch) loadNumberOptOuts(ctx context.Context, facts map[string]*localFacts) error {
	type number struct{ campaign, phone string }
	optedOut := map[number]bool{}
	err := b.each(ctx, `SELECT t.campaign_id, t.contact_phone, o.payload FROM outbox o CROSS JOIN threads t ON t.id = o.thread_id
		WHERE o.rejected = 0 AND o.type = ? AND t.contact_phone != ''`, []any{api.MutReport},
		func(rows *sql.Rows) error {
			var n number
			var payload string
			if err := rows.Scan(&n.campaign, &n.phone, &payload); err != nil {
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
	for id, f := range facts {
		t := b.base[id]
		f.numberOptedOut = t.ContactPhone != "" && optedOut[number{t.CampaignID, t.ContactPhone}]
	}
	return nil
}

// numberThreadsTx is the thread (listed even when no longer in the cache,
// so a caller telling the window of it still does) and the other local
// threads of its number in its campaign.
func numberThreadsTx(ctx context.Context, tx txQuerier, threadID string) ([]string, error) {
	ids, err := queryIDs(ctx, tx, `SELECT ?
		UNION SELECT s.id FROM threads t JOIN threads s ON s.contact_phone = t.contact_phone AND s.campaign_id = t.campaign_id
		WHERE t.id = ? AND t.contact_phone != ''`, threadID, threadID)
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
// its campaign: those a report on it may have changed, for the window.
func (c *Cache) NumberThreads(ctx context.Context, threadID string) ([]string, error) {
	return numberThreadsTx(ctx, c.db, threadID)
}
