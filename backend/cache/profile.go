package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// applyProfile stores the signed-in account as the server has it now
// (renamed elsewhere) as the session's user, the token and server as they
// were. A change naming another account than the one signed in here is
// not this session's: left aside.
func applyProfile(ctx context.Context, tx *sql.Tx, ch api.Change) error {
	if ch.Deleted {
		return nil
	}
	var u api.User
	if err := json.Unmarshal(ch.Data, &u); err != nil {
		return fmt.Errorf("decode profile: %w", err)
	}
	if u.ID != ch.ID || u.Name == "" {
		return fmt.Errorf("profile %s names account %q with name %q", ch.ID, u.ID, u.Name)
	}
	return replaceSessionUser(ctx, tx, u)
}

// SaveSessionUser stores u, the signed-in account as the server answered
// it (renamed), as the session's user, the token and server as they were;
// unless the session here is no longer u's (signed out, or another account
// signed in, while the answer came back): then nothing is stored.
func (c *Cache) SaveSessionUser(ctx context.Context, u api.User) error {
	return c.write(ctx, func(tx *sql.Tx) error { return replaceSessionUser(ctx, tx, u) })
}

// replaceSessionUser stores u as the session's user if the stored one is
// the same account.
func replaceSessionUser(ctx context.Context, tx *sql.Tx, u api.User) error {
	var stored string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaUser).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the session's user: %w", err)
	}
	var was api.User
	if err := json.Unmarshal([]byte(stored), &was); err != nil || was.ID != u.ID {
		return nil
	}
	user, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("encode user: %w", err)
	}
	return setMeta(ctx, tx, metaUser, string(user))
}
