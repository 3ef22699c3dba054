package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// pickContactsSQL reads a page of the action's pool (contacts_pick: not
// waiting), each contact with the time organization ?4 last sent its
// number an initial text at or after ?6 (the 6-hour lock, read as the
// lock is: threads_route, then messages_thread_initial; NULL: none did):
// such a contact would be refused at the send and handed out again and
// again, so it waits until the lock ends (TestHotStatementsUseIndexes).
// ?1 action, ?2 and ?3 the page's start, ?5 its size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	(SELECT MAX(m.created_at) FROM threads th JOIN messages m ON m.thread_id = th.id AND m.initial = 1
		WHERE th.contact_phone = c.phone AND th.organization_id = ?4 AND m.created_at >= ?6)
	FROM contacts c
	WHERE c.action_id = ?1 AND c.state IN ('unassigned', 'released') AND c.waits_until IS NULL
	AND (c.created_at, c.id) > (?2, ?3)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ?4 AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ?5`

// readmitSQL brings back into the pick up to ?3 of the action's contacts
// whose wait is over, the earliest due first (contacts_waiting): a bounded
// share a hand-out, however many fell due at one morning.
const readmitSQL = `UPDATE contacts SET waits_until = NULL WHERE id IN (SELECT id FROM contacts
	WHERE action_id = ?1 AND waits_until IS NOT NULL AND waits_until <= ?2 ORDER BY waits_until LIMIT ?3)`

// firstWaitingSQL names the action's waiting contact that comes back
// first, a number opted out left aside (contacts_waiting).
const firstWaitingSQL = `SELECT c.id, c.waits_until FROM contacts c
	WHERE c.action_id = ?1 AND c.waits_until IS NOT NULL AND c.state IN ('unassigned', 'released')
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ?2 AND o.phone = c.phone)
	ORDER BY c.waits_until LIMIT 1`

func (t *sqliteTx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep Keep) ([]Contact, PassedOver, error) {
	stamp := TimeText(at)
	if _, err := t.tx.ExecContext(ctx, readmitSQL, actionID, stamp, maxScan); err != nil {
		return nil, PassedOver{}, fmt.Errorf("contacts of action %s back from waiting: %w", actionID, err)
	}
	since := TimeTextOrNil(initialSince)
	page := func(afterAt, afterID string) ([]PoolContact, error) {
		return t.pickPage(ctx, actionID, afterAt, afterID, orgID, since)
	}
	picked, passed, waits, read, err := PickWalk(limit, maxScan, at, initialSince, page, keep)
	if err != nil {
		return nil, PassedOver{}, err
	}
	for _, w := range waits {
		if _, err := t.tx.ExecContext(ctx, `UPDATE contacts SET waits_until = ? WHERE id = ?`, TimeText(w.Until), w.ContactID); err != nil {
			return nil, PassedOver{}, fmt.Errorf("contact %s waits: %w", w.ContactID, err)
		}
	}
	if read == 0 {
		var id, until string
		err := t.tx.QueryRowContext(ctx, firstWaitingSQL, actionID, orgID).Scan(&id, &until)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, PassedOver{}, fmt.Errorf("contacts of action %s waiting: %w", actionID, err)
		}
		if passed.First, err = FirstWaiting(id, until); err != nil {
			return nil, PassedOver{}, err
		}
	}
	if err := t.assign(ctx, picked, userID, stamp); err != nil {
		return nil, PassedOver{}, err
	}
	for i := range picked {
		picked[i].State, picked[i].AssignedTo = ContactAssigned, userID
		a := at.UTC()
		picked[i].AssignedAt = &a
	}
	return picked, passed, nil
}

// assign marks the picked contacts assigned to userID in one statement:
// one UPDATE a contact was about a third of a hand-out's CPU
// (PERFORMANCE-LOG.md, "A cheaper small sync").
func (t *sqliteTx) assign(ctx context.Context, picked []Contact, userID, stamp string) error {
	if len(picked) == 0 {
		return nil
	}
	ids := make([]string, len(picked))
	for i, c := range picked {
		ids[i] = c.ID
	}
	list, err := idsParam(ids)
	if err != nil {
		return fmt.Errorf("assign %d contacts: %w", len(ids), err)
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE contacts SET state = 'assigned', assigned_to = ?, assigned_at = ?
		WHERE id IN `+inIDs, userID, stamp, list)
	if err != nil {
		return fmt.Errorf("assign %d contacts: %w", len(ids), err)
	}
	if n, err := res.RowsAffected(); err != nil || int(n) != len(ids) {
		return fmt.Errorf("assign %d contacts: %d found (%v): %w", len(ids), n, err, ErrNotFound)
	}
	return nil
}

func (t *sqliteTx) pickPage(ctx context.Context, actionID, afterAt, afterID, orgID string, since any) ([]PoolContact, error) {
	rows, err := t.tx.QueryContext(ctx, pickContactsSQL, actionID, afterAt, afterID, orgID, PickPage, since)
	if err != nil {
		return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
	}
	defer rows.Close()
	var out []PoolContact
	for rows.Next() {
		var p PoolContact
		if p.Contact, err = scanContact(ThenText{Row: rows, Text: &p.LastInitial}); err != nil {
			return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
