package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// tokenUserSQL reads a token's user, when the token was made and when it
// was last used.
const tokenUserSQL = `SELECT u.id, u.name, u.email, u.password_hash, u.created_at,
	k.created_at, COALESCE(k.last_used_at, k.created_at)
	FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ?`

func (t *sqliteTx) TokenUser(ctx context.Context, hash string) (User, TokenTimes, error) {
	return scanTokenUser(t.tx.QueryRowContext(ctx, tokenUserSQL, hash).Scan)
}

func scanTokenUser(scan func(...any) error) (User, TokenTimes, error) {
	var created, lastUsed string
	u, err := scanUser(WrapScanner{scan, nil, []any{&created, &lastUsed}})
	if err != nil {
		return User{}, TokenTimes{}, notFound(err, "token")
	}
	var times TokenTimes
	if times.CreatedAt, err = ParseTimeText(created); err != nil {
		return User{}, TokenTimes{}, fmt.Errorf("token's created_at: %w", err)
	}
	if times.LastUsed, err = ParseTimeText(lastUsed); err != nil {
		return User{}, TokenTimes{}, fmt.Errorf("token's last_used_at: %w", err)
	}
	return u, times, nil
}

// TokenUser is Tx.TokenUser as one statement on the read pool, without
// a read transaction of its own: the server asks on every request, and
// BEGIN and COMMIT cost about as much as the lookup.
func (s *SQLite) TokenUser(ctx context.Context, hash string) (User, TokenTimes, error) {
	stmt, err := s.tokenStatement(ctx)
	if err != nil {
		return User{}, TokenTimes{}, fmt.Errorf("token: %w", err)
	}
	return scanTokenUser(stmt.QueryRowContext(ctx, hash).Scan)
}

// tokenStatement prepares TokenUser's statement on the read pool at first
// use; a failed prepare is tried again by the next request.
func (s *SQLite) tokenStatement(ctx context.Context) (*sql.Stmt, error) {
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	if s.tokenStmt == nil {
		stmt, err := s.read.PrepareContext(context.WithoutCancel(ctx), tokenUserSQL)
		if err != nil {
			return nil, err
		}
		s.tokenStmt = stmt
	}
	return s.tokenStmt, nil
}

func (t *sqliteTx) TouchToken(ctx context.Context, hash string, at time.Time) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE hash = ?`, TimeText(at), hash)
	if err != nil {
		return fmt.Errorf("touch token: %w", err)
	}
	return mustAffect(res, "token")
}

func (t *sqliteTx) DeleteToken(ctx context.Context, hash string) error {
	res, err := t.tx.ExecContext(ctx, `DELETE FROM tokens WHERE hash = ?`, hash)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return mustAffect(res, "token")
}

func (t *sqliteTx) RenameUser(ctx context.Context, userID, name string) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE users SET name = ? WHERE id = ?`, name, userID)
	if err != nil {
		return fmt.Errorf("rename user %s: %w", userID, err)
	}
	if err := mustAffect(res, "user"); err != nil {
		return err
	}
	return nil
}

func (t *sqliteTx) UpdateCampaign(ctx context.Context, c Campaign) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE campaigns SET name = ?, issue = ?, public = ?, active = ?, contact = ?,
		name_folded = ?, issue_folded = ?, search_joins_per_hour = ? WHERE id = ?`,
		c.Name, c.Issue, BoolInt(c.Public), BoolInt(c.Active), c.Contact, FoldedName(c.Name), FoldedName(c.Issue), c.SearchJoinsPerHour, c.ID)
	if isUnique(err) {
		return fmt.Errorf("update campaign %q with code %s: %w", c.Name, c.JoinCode, ErrJoinCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("update campaign %s: %w", c.ID, err)
	}
	return mustAffect(res, "campaign "+c.ID)
}

func (t *sqliteTx) ListCampaigns(ctx context.Context, includeArchived bool) ([]CampaignListing, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+campaignCols+`, o.name,
		(SELECT COUNT(*) FROM actions a WHERE a.campaign_id = c.id),
		(SELECT COUNT(*) FROM memberships m WHERE m.campaign_id = c.id AND m.role = 'volunteer'),
		(SELECT COUNT(*) FROM memberships m WHERE m.campaign_id = c.id AND m.role = 'admin'),
		(SELECT COUNT(*) FROM contacts k JOIN actions a ON a.id = k.action_id WHERE a.campaign_id = c.id),
		(SELECT COUNT(*) FROM search_joins j WHERE j.campaign_id = c.id),
		(SELECT COALESCE(SUM(r.refusals), 0) FROM search_join_refusals r WHERE r.campaign_id = c.id)
		FROM campaigns c JOIN organizations o ON o.id = c.organization_id
		WHERE c.active = 1 OR ?
		ORDER BY c.active DESC, o.name, c.name, c.created_at`, BoolInt(includeArchived))
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	defer rows.Close()
	var out []CampaignListing
	for rows.Next() {
		var l CampaignListing
		c, err := scanCampaign(rows, &l.OrganizationName, &l.Actions, &l.Volunteers, &l.Admins, &l.Contacts, &l.SearchJoins, &l.SearchJoinsRefused)
		if err != nil {
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		l.Campaign = c
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *sqliteTx) ContactsHaveField(ctx context.Context, actionID, field string) (bool, error) {
	// A quoted label: a merge field name may start with a digit, which a
	// bare $.label may not.
	var has bool
	q, args := `SELECT EXISTS (SELECT 1 FROM contacts WHERE action_id = ? AND COALESCE(fields ->> ('$."' || ? || '"'), '') <> '')`, []any{actionID, field}
	if StandardColumns[field] {
		q, args = `SELECT EXISTS (SELECT 1 FROM contacts WHERE action_id = ? AND `+field+` <> '')`, []any{actionID}
	}
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&has)
	if err != nil {
		return false, fmt.Errorf("look for %q among the contacts of action %s: %w", field, actionID, err)
	}
	return has, nil
}

// importProgressEvery spaces progress callbacks during an import.
const importProgressEvery = 2000

func (t *sqliteTx) InsertContacts(ctx context.Context, cs []Contact, progress func(done int)) error {
	stmt, err := t.tx.PrepareContext(ctx, `INSERT INTO contacts (id, action_id, first_name, last_name, phone, zip,
		external_id, fields, script_index, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'unassigned', ?)`)
	if err != nil {
		return fmt.Errorf("prepare contact import: %w", err)
	}
	defer stmt.Close()
	for i, c := range cs {
		fields := "{}"
		if len(c.Fields) > 0 {
			raw, err := json.Marshal(c.Fields)
			if err != nil {
				return fmt.Errorf("encode fields of contact %s: %w", c.Phone, err)
			}
			fields = string(raw)
		}
		_, err := stmt.ExecContext(ctx, c.ID, c.ActionID, c.FirstName, c.LastName, c.Phone, c.Zip, c.ExternalID,
			fields, c.ScriptIndex, TimeText(c.CreatedAt))
		if isUnique(err) {
			return fmt.Errorf("import contact %s into action %s: %w", c.Phone, c.ActionID, ErrDuplicate)
		}
		if err != nil {
			return fmt.Errorf("import contact %s: %w", c.Phone, err)
		}
		if progress != nil && (i+1)%importProgressEvery == 0 {
			progress(i + 1)
		}
	}
	if progress != nil {
		progress(len(cs))
	}
	return nil
}

func (t *sqliteTx) MaxFeedSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM feed`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("newest feed version: %w", err)
	}
	return seq, nil
}

func (t *sqliteTx) FeedUsersAfter(ctx context.Context, seq int64) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT DISTINCT user_id FROM feed WHERE seq > ?`, seq)
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
