package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// ThreadsWithoutContact lists, of the conversations named by ids (all of
// them when ids is nil), those whose contact the cache never saw: handed
// over by Reassign, or synced into this cache after another one texted
// them. Their response scripts are filled from the contact's columns,
// which the sync feed carries only with an assignment; the sync engine
// asks the server for them (api.Client.Contacts).
func (c *Cache) ThreadsWithoutContact(ctx context.Context, ids []string) ([]string, error) {
	var (
		out []string
		err error
	)
	if ids == nil {
		out, err = queryIDs(ctx, c.db, `SELECT id FROM threads WHERE id NOT IN (SELECT id FROM contacts) ORDER BY id`)
	} else {
		if len(ids) == 0 {
			return nil, nil
		}
		list, jerr := json.Marshal(ids)
		if jerr != nil {
			return nil, jerr
		}
		out, err = queryIDs(ctx, c.db, `SELECT DISTINCT j.value FROM json_each(?) j
			WHERE j.value IN (SELECT id FROM threads) AND j.value NOT IN (SELECT id FROM contacts) ORDER BY j.value`, string(list))
	}
	if err != nil {
		return nil, fmt.Errorf("conversations without their contact: %w", err)
	}
	return out, nil
}

// RememberContacts keeps the contacts the server answered for
// conversations (api.Client.Contacts), as a contact's assignment is kept:
// its response scripts are filled from them from then on. A contact of no
// conversation here (gone meanwhile) is not kept.
func (c *Cache) RememberContacts(ctx context.Context, contacts []api.Assignment) error {
	if len(contacts) == 0 {
		return nil
	}
	return c.write(ctx, func(tx *sql.Tx) error {
		for _, a := range contacts {
			data, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := rememberThreadContact(ctx, tx, a.ContactID, string(data)); err != nil {
				return err
			}
		}
		return nil
	})
}

// rememberThreadContact keeps (replaces) the contact of a conversation
// here; a contact of none is not kept.
func rememberThreadContact(ctx context.Context, tx *sql.Tx, id, assignmentJSON string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO contacts(id, data) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM threads WHERE id = ?1)
		ON CONFLICT(id) DO UPDATE SET data = excluded.data`, id, assignmentJSON); err != nil {
		return fmt.Errorf("remember contact %s: %w", id, err)
	}
	return nil
}

func rememberContact(ctx context.Context, tx *sql.Tx, id, assignmentJSON string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO contacts(id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data`, id, assignmentJSON)
	return err
}

// forgetContact drops a contact's name, number and columns once the server
// says this volunteer holds neither their assignment nor their
// conversation (handed back, reassigned away, blocked): the cache keeps
// contacts' details only while the volunteer has a use for them. A
// conversation that comes back has its contact asked for again
// (ThreadsWithoutContact). A block or reassign still waiting in the outbox
// keeps its contact: only the server's delete, not the local hide, lets it
// go. Run at the end of a page, once its threads are written: a first
// text's page deletes the assignment before its thread is in.
func forgetContact(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?1
		AND NOT EXISTS (SELECT 1 FROM assignments WHERE contact_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM threads WHERE id = ?1)`, id)
	if err != nil {
		return fmt.Errorf("forget contact %s: %w", id, err)
	}
	return nil
}
