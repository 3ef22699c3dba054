package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// pickContactsSQL locks the pool rows it reads and skips those another
// transaction holds: volunteers taking batches at once get different
// contacts without waiting for each other. Each comes with whether the
// organization sent its number an initial text at or after the 6-hour
// lock's start (initialSentSinceSQL's shape; NULL: none did): such a
// contact would be refused at the send and handed out again and again.
// Parameters: organization, lock start, action, the page's start (two),
// organization, page size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	EXISTS (SELECT 1 FROM threads th WHERE th.organization_id = ? AND th.contact_phone = c.phone
		AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= ?::text))
	FROM contacts c
	WHERE c.action_id = ? AND c.state IN ('unassigned', 'released') AND (c.created_at, c.id) > (?, ?)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ? AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED`

// assignSQL assigns the contacts $3 to $1 at $2, and is refused unless
// it assigns all $4 of them.
const assignSQL = checkedPrefix + `UPDATE contacts SET state = 'assigned', assigned_to = $1, assigned_at = $2
	WHERE id = ANY($3) RETURNING 1) SELECT 1 / (count(*) = $4::bigint)::int` + checkedSuffix

// pickPage is how many pool rows AssignContacts reads at a time.
const pickPage = 64

func (t *tx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep func(store.Contact) bool) ([]store.Contact, store.PassedOver, error) {
	var picked []store.Contact
	var passed store.PassedOver
	scanned := 0
	afterAt, afterID := "", ""
	since := store.TimeTextOrNil(initialSince)
	for len(picked) < limit && scanned < maxScan {
		// contacts_pick: a range of this action's pool in list order.
		page, err := t.pickPage(ctx, orgID, since, actionID, afterAt, afterID)
		if err != nil {
			return nil, store.PassedOver{}, err
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
		afterAt, afterID = store.TimeText(last.CreatedAt), last.ID
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
	rows, err := t.query(ctx, pickContactsSQL, orgID, since, actionID, afterAt, afterID, orgID, pickPage)
	if err != nil {
		return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
	}
	defer rows.Close()
	var out []store.PoolContact
	for rows.Next() {
		var p store.PoolContact
		if p.Contact, err = scanContact(store.ThenFlag{Row: rows, Flag: &p.Recent}); err != nil {
			return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
