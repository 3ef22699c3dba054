package cache

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// An applied change's effect on its thread (applyPending) holds until the
// server's thread that includes it comes: MarkApplied moves the change
// from the outbox to applied_holds, the refresh lays both over the thread
// in send order, and a page bringing the thread (changed or deleted)
// releases its holds before the thread is derived again. Any thread a
// page brings after the push includes the change: the pull asks again
// for a page a push overtook (sync's pullPage). Without the hold, a
// refresh between the push and the pull (a report filed just after a
// reply, or the pull failing offline) showed the thread as the server had
// it before the change: a reply's answer gone, back in Needs Attention.

// holdsEffect says whether a change of type typ has an effect applyPending
// lays over its thread, to hold once applied.
func holdsEffect(typ string) bool {
	switch typ {
	case api.MutRead, api.MutReply, api.MutArchive, api.MutReport:
		return true
	}
	return false
}

// holdApplied keeps the effect of outbox change id, applied, on its
// thread (the caller then deletes it from the outbox).
func holdApplied(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO applied_holds(seq, thread_id, payload, script_tags)
		SELECT seq, thread_id, payload, script_tags FROM outbox WHERE id = ? AND thread_id != ''`, id)
	if err != nil {
		return fmt.Errorf("hold the effect of %s: %w", id, err)
	}
	return nil
}

// releaseHolds drops the holds of threads, which a page brings: the
// server's thread includes their changes. One statement a page with
// threads, an index probe a thread, and one to learn whether any hold is
// left: a cache that has none (Cache.noHolds) runs neither.
func (p *pageApply) releaseHolds(ctx context.Context, threads []string) error {
	if !p.holdsLeft || len(threads) == 0 {
		return nil
	}
	list, err := idList(threads)
	if err != nil {
		return err
	}
	if _, err := p.exec(ctx, `DELETE FROM applied_holds WHERE thread_id IN `+inIDs, list); err != nil {
		return fmt.Errorf("release applied changes: %w", err)
	}
	if err := p.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM applied_holds)`).Scan(&p.holdsLeft); err != nil {
		return fmt.Errorf("release applied changes: %w", err)
	}
	return nil
}
