package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

// pickContactsSQL locks the pool rows it reads and skips those another
// transaction holds: volunteers taking batches at once get different
// contacts without waiting for each other. contacts_pick holds the pool's
// contacts not waiting for a time. Each comes with the time the
// organization last sent its number an initial text at or after the
// 6-hour lock's start (initialSentSinceSQL's shape; NULL: none did): such
// a contact would be refused at the send and handed out again and again,
// so it waits until the lock ends. Parameters: organization, lock start,
// action, the page's start (two), organization, page size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	(SELECT MAX(m.created_at) FROM threads th JOIN messages m ON m.thread_id = th.id AND m.initial = 1
		WHERE th.organization_id = ? AND th.contact_phone = c.phone AND m.created_at >= ?::text)
	FROM contacts c
	WHERE c.action_id = ? AND c.state IN ('unassigned', 'released') AND c.waits_until IS NULL
	AND (c.created_at, c.id) > (?, ?)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ? AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED`

// assignSQL assigns the contacts $3 to $1 at $2, and is refused unless
// it assigns all $4 of them.
const assignSQL = checkedPrefix + `UPDATE contacts SET state = 'assigned', assigned_to = $1, assigned_at = $2
	WHERE id = ANY($3) RETURNING 1) SELECT 1 / (count(*) = $4::bigint)::int` + checkedSuffix

// readmitSQL brings back into the pick up to $3 of the action's contacts
// whose wait is over, the earliest due first (contacts_waiting): a bounded
// share a hand-out, however many fell due at one morning. = ANY(ARRAY(...)):
// the ids are found first and each updated by its key; as "id IN (...)"
// the planner joined them to a read of the whole contacts table
// (TestHandOutStatementsUseIndexes).
const readmitSQL = `UPDATE contacts SET waits_until = NULL WHERE id = ANY(ARRAY(SELECT id FROM contacts
	WHERE action_id = $1 AND waits_until IS NOT NULL AND waits_until <= $2::text ORDER BY waits_until LIMIT $3))`

// waitSQL sets each contact $1[i] waiting until $2[i]. c.id = ANY($1):
// the contacts are found by their key; joined to the list alone, the
// planner read the whole contacts table into a hash for a few hundred ids
// (TestHandOutStatementsUseIndexes).
const waitSQL = `UPDATE contacts c SET waits_until = w.until FROM unnest($1::text[], $2::text[]) AS w(id, until)
	WHERE c.id = w.id AND c.id = ANY($1::text[])`

// firstWaitingSQL names the action's waiting contact that comes back
// first, a number opted out left aside (contacts_waiting).
const firstWaitingSQL = `SELECT c.id, c.waits_until FROM contacts c
	WHERE c.action_id = $1 AND c.waits_until IS NOT NULL AND c.state IN ('unassigned', 'released')
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = $2 AND o.phone = c.phone)
	ORDER BY c.waits_until LIMIT 1`

func (t *tx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep store.Keep) ([]store.Contact, store.PassedOver, error) {
	// Held, to ride with the pick's first page, ahead of it: a hand-out
	// stays one round trip and its commit.
	t.q.hold("contacts of action "+actionID+" back from waiting", readmitSQL, actionID, store.TimeText(at), maxScan)
	since := store.TimeTextOrNil(initialSince)
	// contacts_pick: a range of this action's pool in list order.
	page := func(afterAt, afterID string) ([]store.PoolContact, error) {
		return t.pickPage(ctx, orgID, since, actionID, afterAt, afterID)
	}
	picked, passed, waits, read, err := store.PickWalk(limit, maxScan, at, initialSince, page, keep)
	if err != nil {
		return nil, store.PassedOver{}, err
	}
	if len(waits) > 0 {
		ids, untils := make([]string, len(waits)), make([]string, len(waits))
		for i, w := range waits {
			ids[i], untils[i] = w.ContactID, store.TimeText(w.Until)
		}
		t.q.hold(fmt.Sprintf("%d contacts of action %s wait", len(ids), actionID), waitSQL, ids, untils)
	}
	if read == 0 {
		var id, until string
		err := t.queryRow(ctx, firstWaitingSQL, actionID, orgID).Scan(&id, &until)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, store.PassedOver{}, fmt.Errorf("contacts of action %s waiting: %w", actionID, err)
		}
		if passed.First, err = store.FirstWaiting(id, until); err != nil {
			return nil, store.PassedOver{}, err
		}
	}
	ids := make([]string, len(picked))
	for i, c := range picked {
		ids[i] = c.ID
	}
	if len(ids) > 0 {
		// Held, to ride with what the transaction sends next (its COMMIT,
		// in a hand-out): the rows were just read, locked, in this
		// transaction, and PostgreSQL refuses the update should one of
		// them not be there (checks.go).
		what := fmt.Sprintf("assign %d contacts of action %s", len(ids), actionID)
		t.q.holdRefusable(what, assignSQL, refusedAs(codeTooFew, fmt.Errorf("%s: %w", what, store.ErrNotFound)),
			userID, store.TimeText(at), ids, len(ids))
	}
	for i := range picked {
		picked[i].State, picked[i].AssignedTo = store.ContactAssigned, userID
		a := at.UTC()
		picked[i].AssignedAt = &a
	}
	return picked, passed, nil
}

func (t *tx) pickPage(ctx context.Context, orgID string, since any, actionID, afterAt, afterID string) ([]store.PoolContact, error) {
	rows, err := t.query(ctx, pickContactsSQL, orgID, since, actionID, afterAt, afterID, orgID, store.PickPage)
	if err != nil {
		return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
	}
	defer rows.Close()
	var out []store.PoolContact
	for rows.Next() {
		var p store.PoolContact
		if p.Contact, err = scanContact(store.ThenText{Row: rows, Text: &p.LastInitial}); err != nil {
			return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
