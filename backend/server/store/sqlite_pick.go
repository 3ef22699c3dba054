package store

import (
	"context"
	"fmt"
	"time"
)

// pickContactsSQL reads a page of the action's pool (contacts_pick), each
// contact with whether organization ?4 sent its number an initial text at
// or after ?6 (the 6-hour lock, recentInitialSQL's shape; NULL: none did):
// such a contact would be refused at the send and handed out again and
// again, so it waits in the pool (TestHotStatementsUseIndexes). ?1 action,
// ?2 and ?3 the page's start, ?5 its size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = c.phone AND th.organization_id = ?4
		AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?6)
	FROM contacts c
	WHERE c.action_id = ?1 AND c.state IN ('unassigned', 'released') AND (c.created_at, c.id) > (?2, ?3)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ?4 AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ?5`

// pickPage is how many pool rows AssignContacts reads at a time.
const pickPage = 64

func (t *sqliteTx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep func(Contact) bool) ([]Contact, PassedOver, error) {
	var picked []Contact
	var passed PassedOver
	scanned := 0
	afterAt, afterID := "", ""
	since := TimeTextOrNil(initialSince)
	for len(picked) < limit && scanned < maxScan {
		page, err := t.pickPage(ctx, actionID, afterAt, afterID, orgID, since)
		if err != nil {
			return nil, PassedOver{}, err
		}
		for _, p := range page {
			scanned++
			if len(picked) == limit || scanned > maxScan {
				break
			}
			if p.Recent {
				passed.Recent++
				continue
			}
			if keep != nil && !keep(p.Contact) {
				passed.Refused++
				continue
			}
			picked = append(picked, p.Contact)
		}
		if len(page) < pickPage {
			break
		}
		last := page[len(page)-1]
		afterAt, afterID = TimeText(last.CreatedAt), last.ID
	}
	stamp := TimeText(at)
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

func (t *sqliteTx) pickPage(ctx context.Context, actionID, afterAt, afterID, orgID string, since any) ([]PoolContact, error) {
	rows, err := t.tx.QueryContext(ctx, pickContactsSQL, actionID, afterAt, afterID, orgID, pickPage, since)
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
