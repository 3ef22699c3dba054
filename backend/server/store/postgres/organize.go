package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/textbank/textbank/backend/server/store"
)

const tokenUserSQL = `SELECT u.id, u.name, u.email, u.password_hash, u.created_at,
	k.created_at, COALESCE(k.last_used_at, k.created_at)
	FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ?`

func (t *tx) TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error) {
	return scanTokenUser(t.queryRow(ctx, tokenUserSQL, hash).Scan)
}

// TokenUser is Tx.TokenUser as one statement on the pool, without a read
// transaction of its own: one round trip on every request instead of two.
func (s *Store) TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error) {
	return scanTokenUser(s.pool.QueryRow(ctx, rebind(tokenUserSQL), hash).Scan)
}

func scanTokenUser(scan func(...any) error) (store.User, store.TokenTimes, error) {
	var created, lastUsed string
	u, err := scanUser(store.WrapScanner{ScanRow: scan, Tail: []any{&created, &lastUsed}})
	if err != nil {
		return store.User{}, store.TokenTimes{}, notFound(err, "token")
	}
	var times store.TokenTimes
	if times.CreatedAt, err = store.ParseTimeText(created); err != nil {
		return store.User{}, store.TokenTimes{}, fmt.Errorf("token's created_at: %w", err)
	}
	if times.LastUsed, err = store.ParseTimeText(lastUsed); err != nil {
		return store.User{}, store.TokenTimes{}, fmt.Errorf("token's last_used_at: %w", err)
	}
	return u, times, nil
}

func (t *tx) TouchToken(ctx context.Context, hash string, at time.Time) error {
	res, err := t.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE hash = ?`, store.TimeText(at), hash)
	if err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return mustAffect(res, "token")
}

func (t *tx) DeleteToken(ctx context.Context, hash string) error {
	res, err := t.exec(ctx, `DELETE FROM tokens WHERE hash = ?`, hash)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return mustAffect(res, "token")
}

func (t *tx) RenameUser(ctx context.Context, userID, name string) error {
	res, err := t.exec(ctx, `UPDATE users SET name = ? WHERE id = ?`, name, userID)
	if err != nil {
		return fmt.Errorf("rename user %s: %w", userID, err)
	}
	if err := mustAffect(res, "user"); err != nil {
		return err
	}
	// Touched, for the trigger to announce each token (migration 0009):
	// every server forgets its cached user, with the old name.
	if _, err := t.exec(ctx, `UPDATE tokens SET user_id = user_id WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("announce the rename of user %s: %w", userID, err)
	}
	return nil
}

func (t *tx) UpdateCampaign(ctx context.Context, c store.Campaign) error {
	if c.Active {
		// Checked first: the unique index's error would abort the
		// transaction, where SQLite lets the caller go on.
		var taken bool
		if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM campaigns WHERE active = 1 AND id <> ?
			AND join_code = (SELECT join_code FROM campaigns WHERE id = ?))`, c.ID, c.ID).Scan(&taken); err != nil {
			return fmt.Errorf("update campaign %s: %w", c.ID, err)
		}
		if taken {
			return fmt.Errorf("update campaign %q with code %s: %w", c.Name, c.JoinCode, store.ErrJoinCodeTaken)
		}
	}
	res, err := t.exec(ctx, `UPDATE campaigns SET name = ?, issue = ?, public = ?, active = ?, contact = ?,
		name_folded = ?, issue_folded = ?, search_joins_per_hour = ? WHERE id = ?`,
		c.Name, c.Issue, store.BoolInt(c.Public), store.BoolInt(c.Active), c.Contact,
		store.FoldedName(c.Name), store.FoldedName(c.Issue), c.SearchJoinsPerHour, c.ID)
	if err != nil {
		return fmt.Errorf("update campaign %s: %w", c.ID, err)
	}
	return mustAffect(res, "campaign "+c.ID)
}

func (t *tx) ListCampaigns(ctx context.Context, includeArchived bool) ([]store.CampaignListing, error) {
	rows, err := t.query(ctx, `SELECT `+campaignCols+`, o.name,
		(SELECT COUNT(*) FROM actions a WHERE a.campaign_id = c.id),
		(SELECT COUNT(*) FROM memberships m WHERE m.campaign_id = c.id AND m.role = 'volunteer'),
		(SELECT COUNT(*) FROM memberships m WHERE m.campaign_id = c.id AND m.role = 'admin'),
		(SELECT COUNT(*) FROM contacts k JOIN actions a ON a.id = k.action_id WHERE a.campaign_id = c.id),
		(SELECT COUNT(*) FROM search_joins j WHERE j.campaign_id = c.id),
		(SELECT COALESCE(SUM(r.refusals), 0) FROM search_join_refusals r WHERE r.campaign_id = c.id)
		FROM campaigns c JOIN organizations o ON o.id = c.organization_id
		WHERE c.active = 1 OR ?::boolean
		ORDER BY c.active DESC, o.name, c.name, c.created_at`, includeArchived)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	var out []store.CampaignListing
	for rows.Next() {
		var l store.CampaignListing
		c, err := scanCampaign(rows, &l.OrganizationName, &l.Actions, &l.Volunteers, &l.Admins, &l.Contacts, &l.SearchJoins, &l.SearchJoinsRefused)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		l.Campaign = c
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *tx) ContactsHaveField(ctx context.Context, actionID, field string) (bool, error) {
	var has bool
	q, args := `SELECT EXISTS (SELECT 1 FROM contacts WHERE action_id = ? AND COALESCE(fields::jsonb ->> ?, '') <> '')`, []any{actionID, field}
	if store.StandardColumns[field] {
		q, args = `SELECT EXISTS (SELECT 1 FROM contacts WHERE action_id = ? AND `+field+` <> '')`, []any{actionID}
	}
	err := t.queryRow(ctx, q, args...).Scan(&has)
	if err != nil {
		return false, fmt.Errorf("look for %q among the contacts of action %s: %w", field, actionID, err)
	}
	return has, nil
}

// importProgressEvery spaces progress callbacks during an import.
const importProgressEvery = 2000

// InsertContacts copies the contacts in with COPY; a phone the action
// already has is ErrDuplicate (the importer checks ActionPhones first).
func (t *tx) InsertContacts(ctx context.Context, cs []store.Contact, progress func(done int)) error {
	cols := []string{"id", "action_id", "first_name", "last_name", "phone", "zip", "external_id", "fields",
		"script_index", "state", "created_at"}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(cs) {
			return nil, nil
		}
		c := cs[i]
		i++
		fields := "{}"
		if len(c.Fields) > 0 {
			raw, err := json.Marshal(c.Fields)
			if err != nil {
				return nil, fmt.Errorf("encode fields of contact %s: %w", c.Phone, err)
			}
			fields = string(raw)
		}
		if progress != nil && i%importProgressEvery == 0 {
			progress(i)
		}
		return []any{c.ID, c.ActionID, c.FirstName, c.LastName, c.Phone, c.Zip, c.ExternalID, fields,
			int32(c.ScriptIndex), store.ContactUnassigned, store.TimeText(c.CreatedAt)}, nil
	})
	if _, err := t.q.CopyFrom(ctx, pgx.Identifier{"contacts"}, cols, src); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			// The detail names the row: Key (action_id, phone)=(..., +1...).
			return fmt.Errorf("import contacts: %s: %w", pe.Detail, store.ErrDuplicate)
		}
		return fmt.Errorf("import contacts: %w", err)
	}
	if progress != nil {
		progress(len(cs))
	}
	return nil
}

func (t *tx) MaxFeedSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM feed`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("newest feed version: %w", err)
	}
	return seq, nil
}

func (t *tx) FeedUsersAfter(ctx context.Context, seq int64) ([]string, error) {
	rows, err := t.query(ctx, `SELECT DISTINCT user_id FROM feed WHERE seq > ?`, seq)
	if err != nil {
		return nil, fmt.Errorf("feed users after %d: %w", seq, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("feed users after %d: %w", seq, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
