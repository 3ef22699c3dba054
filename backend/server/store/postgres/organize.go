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
	u, err := scanUser(wrapScanner{scan, nil, []any{&created, &lastUsed}})
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

func (t *tx) DeleteUserTokens(ctx context.Context, userID, keep string) (int, error) {
	res, err := t.exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND hash <> ?`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("delete tokens of user %s: %w", userID, err)
	}
	return int(res.RowsAffected()), nil
}

// ReplacePasswordHash's WHERE is checked again against a change committed
// meanwhile (READ COMMITTED re-reads the row it waited for), so an
// organizer's reset on another server wins.
func (t *tx) ReplacePasswordHash(ctx context.Context, userID, old, hash string) error {
	res, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, userID, old)
	if err != nil {
		return fmt.Errorf("replace password of user %s: %w", userID, err)
	}
	return mustAffect(res, "user with the password checked")
}

func (t *tx) SetPasswordHash(ctx context.Context, userID, hash string) error {
	res, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	if err != nil {
		return fmt.Errorf("set password of user %s: %w", userID, err)
	}
	return mustAffect(res, "user")
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

func (t *tx) OrganizationByName(ctx context.Context, name string) (store.Organization, error) {
	return t.organization(ctx, `name = ? ORDER BY created_at, id LIMIT 1`, name)
}

func (t *tx) OrganizationByID(ctx context.Context, id string) (store.Organization, error) {
	return t.organization(ctx, `id = ?`, id)
}

func (t *tx) organization(ctx context.Context, where, arg string) (store.Organization, error) {
	var o store.Organization
	var created string
	err := t.queryRow(ctx, `SELECT id, name, created_at FROM organizations WHERE `+where, arg).
		Scan(&o.ID, &o.Name, &created)
	if err != nil {
		return store.Organization{}, notFound(err, "organization "+arg)
	}
	o.CreatedAt, err = store.ParseTimeText(created)
	return o, err
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
	res, err := t.exec(ctx, `UPDATE campaigns SET name = ?, issue = ?, public = ?, active = ?, contact = ? WHERE id = ?`,
		c.Name, c.Issue, store.BoolInt(c.Public), store.BoolInt(c.Active), c.Contact, c.ID)
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
		(SELECT COUNT(*) FROM contacts k JOIN actions a ON a.id = k.action_id WHERE a.campaign_id = c.id)
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
		c, err := scanCampaign(rows, &l.OrganizationName, &l.Actions, &l.Volunteers, &l.Admins, &l.Contacts)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		l.Campaign = c
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *tx) Members(ctx context.Context, campaignID string) ([]store.Member, error) {
	rows, err := t.query(ctx, `SELECT m.campaign_id, m.user_id, m.role, m.created_at, u.name, u.email
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.campaign_id = ? ORDER BY m.created_at, u.email`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("members of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []store.Member
	for rows.Next() {
		var m store.Member
		var created string
		if err := rows.Scan(&m.CampaignID, &m.UserID, &m.Role, &created, &m.Name, &m.Email); err != nil {
			return nil, fmt.Errorf("members of campaign %s: %w", campaignID, err)
		}
		if m.CreatedAt, err = store.ParseTimeText(created); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t *tx) SetMembershipRole(ctx context.Context, campaignID, userID, role string) error {
	res, err := t.exec(ctx, `UPDATE memberships SET role = ? WHERE campaign_id = ? AND user_id = ?`,
		role, campaignID, userID)
	if err != nil {
		return fmt.Errorf("make %s %s of campaign %s: %w", userID, role, campaignID, err)
	}
	return mustAffect(res, fmt.Sprintf("membership of %s in campaign %s", userID, campaignID))
}

func (t *tx) ListUsers(ctx context.Context) ([]store.UserListing, error) {
	rows, err := t.query(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.created_at,
		COALESCE(c.id, ''), COALESCE(c.name, ''), COALESCE(c.join_code, ''), COALESCE(m.role, '')
		FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN campaigns c ON c.id = m.campaign_id
		ORDER BY u.email, c.name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []store.UserListing
	for rows.Next() {
		var m store.UserMembership
		u, err := scanUser(wrapScanner{rows.Scan, nil, []any{&m.CampaignID, &m.Campaign, &m.JoinCode, &m.Role}})
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.PasswordHash = ""
		if len(out) == 0 || out[len(out)-1].ID != u.ID {
			out = append(out, store.UserListing{User: u})
		}
		if m.CampaignID != "" {
			last := &out[len(out)-1]
			last.Memberships = append(last.Memberships, m)
		}
	}
	return out, rows.Err()
}

func (t *tx) UpdateAction(ctx context.Context, a store.Action) error {
	scripts, rs, rf, err := actionJSON(a)
	if err != nil {
		return err
	}
	res, err := t.exec(ctx, `UPDATE actions SET type = ?, title = ?, description = ?, instructions = ?,
		scripts = ?, response_scripts = ?, report_fields = ?, hours_start = ?, hours_end = ?, batch_size = ?,
		allow_free_text = ?, creator_id = ? WHERE id = ?`,
		a.Type, a.Title, a.Description, a.Instructions, string(scripts), string(rs), string(rf),
		a.TextingHours.Start, a.TextingHours.End, a.BatchSize, store.BoolInt(a.AllowFreeText), a.CreatorID, a.ID)
	if err != nil {
		return fmt.Errorf("update action %s: %w", a.ID, err)
	}
	if err := mustAffect(res, "action "+a.ID); err != nil {
		return err
	}
	// Contacts waiting for the old hours' morning are read again by the
	// next hand-out, under the new hours (contacts_waiting).
	if _, err := t.exec(ctx, `UPDATE contacts SET waits_until = NULL WHERE action_id = ? AND waits_until IS NOT NULL`, a.ID); err != nil {
		return fmt.Errorf("contacts of action %s back from waiting: %w", a.ID, err)
	}
	return nil
}

func (t *tx) ActionContactFields(ctx context.Context, actionID string) ([]string, error) {
	var raw string
	if err := t.queryRow(ctx, `SELECT contact_fields FROM actions WHERE id = ?`, actionID).Scan(&raw); err != nil {
		return nil, notFound(err, "action "+actionID)
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("stored contact fields of action %s: %w", actionID, err)
	}
	return out, nil
}

func (t *tx) SetActionContactFields(ctx context.Context, actionID string, fields []string) error {
	raw, err := json.Marshal(nonNil(fields))
	if err != nil {
		return fmt.Errorf("encode contact fields of action %s: %w", actionID, err)
	}
	res, err := t.exec(ctx, `UPDATE actions SET contact_fields = ? WHERE id = ?`, string(raw), actionID)
	if err != nil {
		return fmt.Errorf("set contact fields of action %s: %w", actionID, err)
	}
	return mustAffect(res, "action "+actionID)
}

func (t *tx) CountContacts(ctx context.Context, actionID string) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE action_id = ?`, actionID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts of action %s: %w", actionID, err)
	}
	return n, nil
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

func (t *tx) phoneSet(ctx context.Context, what, q, arg string) (map[string]struct{}, error) {
	rows, err := t.query(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := map[string]struct{}{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out[p] = struct{}{}
	}
	return out, rows.Err()
}

func (t *tx) ActionPhones(ctx context.Context, actionID string) (map[string]struct{}, error) {
	return t.phoneSet(ctx, "phones of action "+actionID, `SELECT phone FROM contacts WHERE action_id = ?`, actionID)
}

func (t *tx) OptedOutPhones(ctx context.Context, orgID string) (map[string]struct{}, error) {
	return t.phoneSet(ctx, "opt-outs of organization "+orgID, `SELECT phone FROM opt_outs WHERE organization_id = ?`, orgID)
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
