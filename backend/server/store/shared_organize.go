package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// The organizer's reads and edits of organizations, members, users and
// actions, and account changes, the same on both engines.

func (t Shared) OrganizationByName(ctx context.Context, name string) (Organization, error) {
	return t.organization(ctx, `name = ? ORDER BY created_at, id LIMIT 1`, name)
}

func (t Shared) OrganizationByID(ctx context.Context, id string) (Organization, error) {
	return t.organization(ctx, `id = ?`, id)
}

func (t Shared) organization(ctx context.Context, where, arg string) (Organization, error) {
	var o Organization
	var created string
	err := t.run.QueryRow(ctx, `SELECT id, name, created_at FROM organizations WHERE `+where, arg).
		Scan(&o.ID, &o.Name, &created)
	if err != nil {
		return Organization{}, notFound(err, "organization "+arg)
	}
	o.CreatedAt, err = ParseTimeText(created)
	return o, err
}

func (t Shared) ListUsers(ctx context.Context) ([]UserListing, error) {
	rows, err := t.run.Query(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.created_at,
		COALESCE(c.id, ''), COALESCE(c.name, ''), COALESCE(c.join_code, ''), COALESCE(m.role, '')
		FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN campaigns c ON c.id = m.campaign_id
		ORDER BY u.email, c.name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []UserListing
	for rows.Next() {
		var m UserMembership
		u, err := scanUser(WrapScanner{rows.Scan, nil, []any{&m.CampaignID, &m.Campaign, &m.JoinCode, &m.Role}})
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.PasswordHash = ""
		if len(out) == 0 || out[len(out)-1].ID != u.ID {
			out = append(out, UserListing{User: u})
		}
		if m.CampaignID != "" {
			last := &out[len(out)-1]
			last.Memberships = append(last.Memberships, m)
		}
	}
	return out, rows.Err()
}

func (t Shared) Members(ctx context.Context, campaignID string) ([]Member, error) {
	rows, err := t.run.Query(ctx, `SELECT m.campaign_id, m.user_id, m.role, m.created_at, u.name, u.email
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.campaign_id = ? ORDER BY m.created_at, u.email`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("members of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var created string
		if err := rows.Scan(&m.CampaignID, &m.UserID, &m.Role, &created, &m.Name, &m.Email); err != nil {
			return nil, fmt.Errorf("members of campaign %s: %w", campaignID, err)
		}
		if m.CreatedAt, err = ParseTimeText(created); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t Shared) SetMembershipRole(ctx context.Context, campaignID, userID, role string) error {
	res, err := t.run.Exec(ctx, `UPDATE memberships SET role = ? WHERE campaign_id = ? AND user_id = ?`,
		role, campaignID, userID)
	if err != nil {
		return fmt.Errorf("make %s %s of campaign %s: %w", userID, role, campaignID, err)
	}
	return affected(res, fmt.Sprintf("membership of %s in campaign %s", userID, campaignID))
}

func (t Shared) UpdateAction(ctx context.Context, a Action) error {
	scripts, rs, rf, err := actionJSON(a)
	if err != nil {
		return err
	}
	res, err := t.run.Exec(ctx, `UPDATE actions SET type = ?, title = ?, description = ?, instructions = ?,
		scripts = ?, response_scripts = ?, report_fields = ?, hours_start = ?, hours_end = ?, batch_size = ?,
		allow_free_text = ?, creator_id = ?, shown_fields = ? WHERE id = ?`,
		a.Type, a.Title, a.Description, a.Instructions, string(scripts), string(rs), string(rf),
		a.TextingHours.Start, a.TextingHours.End, a.BatchSize, BoolInt(a.AllowFreeText), a.CreatorID, shownJSON(a), a.ID)
	if err != nil {
		return fmt.Errorf("update action %s: %w", a.ID, err)
	}
	if err := affected(res, "action "+a.ID); err != nil {
		return err
	}
	// Contacts waiting for the old hours' morning are read again by the
	// next hand-out, under the new hours (contacts_waiting).
	if _, err := t.run.Exec(ctx, `UPDATE contacts SET waits_until = NULL WHERE action_id = ? AND waits_until IS NOT NULL`, a.ID); err != nil {
		return fmt.Errorf("contacts of action %s back from waiting: %w", a.ID, err)
	}
	return nil
}

func (t Shared) ActionContactFields(ctx context.Context, actionID string) ([]string, error) {
	var raw string
	if err := t.run.QueryRow(ctx, `SELECT contact_fields FROM actions WHERE id = ?`, actionID).Scan(&raw); err != nil {
		return nil, notFound(err, "action "+actionID)
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("stored contact fields of action %s: %w", actionID, err)
	}
	return out, nil
}

func (t Shared) SetActionContactFields(ctx context.Context, actionID string, fields []string) error {
	raw, err := json.Marshal(nonNil(fields))
	if err != nil {
		return fmt.Errorf("encode contact fields of action %s: %w", actionID, err)
	}
	res, err := t.run.Exec(ctx, `UPDATE actions SET contact_fields = ? WHERE id = ?`, string(raw), actionID)
	if err != nil {
		return fmt.Errorf("set contact fields of action %s: %w", actionID, err)
	}
	return affected(res, "action "+actionID)
}

// refeedSQL are RefeedContacts' statements: the holders, then the rows,
// of the queued contacts (assignment rows) and of the conversations
// (contact rows). A blocked conversation's row is fed too: sync answers it
// deleted (not the caller's to see), which the app ignores, cheaper than
// a filter each engine writes its own way.
var refeedSQL = []struct{ what, holders, rows string }{
	{"queued contacts",
		`SELECT DISTINCT assigned_to FROM contacts WHERE action_id = ? AND state = '` + ContactAssigned + `' ORDER BY assigned_to`,
		`INSERT INTO feed (user_id, kind, entity_id, created_at)
		SELECT assigned_to, '` + api.KindAssignment + `', id, ? FROM contacts
		WHERE action_id = ? AND state = '` + ContactAssigned + `' ORDER BY assigned_to, id`},
	{"conversations",
		`SELECT DISTINCT owner_id FROM threads WHERE action_id = ? ORDER BY owner_id`,
		`INSERT INTO feed (user_id, kind, entity_id, created_at)
		SELECT owner_id, '` + api.KindContact + `', id, ? FROM threads WHERE action_id = ? ORDER BY owner_id, id`},
}

func (t Shared) RefeedContacts(ctx context.Context, actionID string, at time.Time) ([]string, error) {
	var all []string
	for _, q := range refeedSQL {
		rows, err := t.run.Query(ctx, q.holders, actionID)
		if err != nil {
			return nil, fmt.Errorf("holders of action %s's %s: %w", actionID, q.what, err)
		}
		holders, err := scanIDs(rows)
		if err != nil {
			return nil, fmt.Errorf("holders of action %s's %s: %w", actionID, q.what, err)
		}
		if len(holders) == 0 {
			continue
		}
		if _, err := t.run.Exec(ctx, q.rows, TimeText(at), actionID); err != nil {
			return nil, fmt.Errorf("feed action %s's %s again: %w", actionID, q.what, err)
		}
		all = append(all, holders...)
	}
	return all, nil
}

func (t Shared) CountContacts(ctx context.Context, actionID string) (int, error) {
	var n int
	if err := t.run.QueryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE action_id = ?`, actionID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts of action %s: %w", actionID, err)
	}
	return n, nil
}

func (t Shared) ActionPhones(ctx context.Context, actionID string) (map[string]struct{}, error) {
	return t.phoneSet(ctx, "phones of action "+actionID, `SELECT phone FROM contacts WHERE action_id = ?`, actionID)
}

func (t Shared) OptedOutPhones(ctx context.Context, orgID string) (map[string]struct{}, error) {
	return t.phoneSet(ctx, "opt-outs of organization "+orgID, `SELECT phone FROM opt_outs WHERE organization_id = ?`, orgID)
}

func (t Shared) phoneSet(ctx context.Context, what, q, arg string) (map[string]struct{}, error) {
	rows, err := t.run.Query(ctx, q, arg)
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

func (t Shared) SetPasswordHash(ctx context.Context, userID, hash string) error {
	res, err := t.run.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	if err != nil {
		return fmt.Errorf("set password of user %s: %w", userID, err)
	}
	return affected(res, "user")
}

func (t Shared) ReplacePasswordHash(ctx context.Context, userID, old, hash string) error {
	res, err := t.run.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, userID, old)
	if err != nil {
		return fmt.Errorf("replace password of user %s: %w", userID, err)
	}
	return affected(res, "user "+userID+" with the password checked")
}

func (t Shared) DeleteUserTokens(ctx context.Context, userID, keep string) (int, error) {
	res, err := t.run.Exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND hash <> ?`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("delete tokens of user %s: %w", userID, err)
	}
	return int(res), nil
}
