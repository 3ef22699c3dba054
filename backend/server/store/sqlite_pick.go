package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// pickContactsSQL reads a page of the action's pool (contacts_pick: not
// waiting), each contact with whether organization ?4 sent its number an
// initial text at or after ?6 (the 6-hour lock, recentInitialSQL's shape;
// NULL: none did): such a contact would be refused at the send and handed
// out again and again, so it waits in the pool (TestHotStatementsUseIndexes).
// ?1 action, ?2 and ?3 the page's start, ?5 its size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = c.phone AND th.organization_id = ?4
		AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?6)
	FROM contacts c
	WHERE c.action_id = ?1 AND c.state IN ('unassigned', 'released') AND c.waits_until IS NULL
	AND (c.created_at, c.id) > (?2, ?3)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ?4 AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ?5`

// readmitSQL brings back into the pick the action's contacts whose wait
// is over (contacts_waiting: a range of the due ones).
const readmitSQL = `UPDATE contacts SET waits_until = NULL WHERE action_id = ? AND waits_until IS NOT NULL AND waits_until <= ?`

// lastInitialSQL is the time organization ?1 last sent phone ?2 an initial
// text (threads_route, then messages_thread_initial), NULL if never.
const lastInitialSQL = `SELECT MAX(m.created_at) FROM threads th JOIN messages m ON m.thread_id = th.id AND m.initial = 1
	WHERE th.contact_phone = ?2 AND th.organization_id = ?1`

func (t *sqliteTx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep Keep) ([]Contact, PassedOver, error) {
	stamp := TimeText(at)
	if _, err := t.tx.ExecContext(ctx, readmitSQL, actionID, stamp); err != nil {
		return nil, PassedOver{}, fmt.Errorf("contacts of action %s back from waiting: %w", actionID, err)
	}
	since := TimeTextOrNil(initialSince)
	page := func(afterAt, afterID string) ([]PoolContact, error) {
		return t.pickPage(ctx, actionID, afterAt, afterID, orgID, since)
	}
	recentUntil := func(c Contact) (time.Time, error) {
		return t.lockEnds(ctx, orgID, c.Phone, at, initialSince)
	}
	picked, passed, waits, err := PickWalk(limit, maxScan, page, keep, recentUntil)
	if err != nil {
		return nil, PassedOver{}, err
	}
	for _, w := range waits {
		if _, err := t.tx.ExecContext(ctx, `UPDATE contacts SET waits_until = ? WHERE id = ?`, TimeText(w.Until), w.ContactID); err != nil {
			return nil, PassedOver{}, fmt.Errorf("contact %s waits: %w", w.ContactID, err)
		}
	}
	if len(picked) == 0 {
		if passed.Left, passed.First, err = t.waitingLeft(ctx, actionID); err != nil {
			return nil, PassedOver{}, err
		}
	}
	for i := range picked {
		if _, err := t.tx.ExecContext(ctx, `UPDATE contacts SET state = 'assigned', assigned_to = ?, assigned_at = ?
			WHERE id = ?`, userID, stamp, picked[i].ID); err != nil {
			return nil, PassedOver{}, fmt.Errorf("assign contact %s: %w", picked[i].ID, err)
		}
		picked[i].State, picked[i].AssignedTo = ContactAssigned, userID
		a := at.UTC()
		picked[i].AssignedAt = &a
	}
	return picked, passed, nil
}

// lockEnds is when the 6-hour lock that began at since (at less the lock)
// ends for phone: the organization's last initial text to it plus the
// lock; zero when there is none after since (sent by a transaction since).
func (t *sqliteTx) lockEnds(ctx context.Context, orgID, phone string, at time.Time, since *time.Time) (time.Time, error) {
	var last sql.NullString
	if err := t.tx.QueryRowContext(ctx, lastInitialSQL, orgID, phone).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("last first text to a number: %w", err)
	}
	return LockEnds(last.String, at, since)
}

// waitingLeftSQL counts the action's pool contacts waiting for a time,
// and names the first back (contacts_waiting).
const waitingLeftSQL = `SELECT COUNT(*), COALESCE(MIN(waits_until), ''),
	COALESCE((SELECT id FROM contacts WHERE action_id = ?1 AND waits_until IS NOT NULL AND state IN ('unassigned', 'released')
		ORDER BY waits_until LIMIT 1), '')
	FROM contacts WHERE action_id = ?1 AND waits_until IS NOT NULL AND state IN ('unassigned', 'released')`

func (t *sqliteTx) waitingLeft(ctx context.Context, actionID string) (int, Wait, error) {
	var n int
	var until, id string
	if err := t.tx.QueryRowContext(ctx, waitingLeftSQL, actionID).Scan(&n, &until, &id); err != nil {
		return 0, Wait{}, fmt.Errorf("contacts of action %s waiting: %w", actionID, err)
	}
	return WaitingLeft(n, id, until)
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
		if p.Contact, err = scanContact(ThenFlag{Row: rows, Flag: &p.Recent}); err != nil {
			return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
