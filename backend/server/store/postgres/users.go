package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) CreateUser(ctx context.Context, u store.User) error {
	res, err := t.exec(ctx,
		`INSERT INTO users (id, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		u.ID, u.Name, strings.ToLower(u.Email), u.PasswordHash, store.TimeText(u.CreatedAt))
	if err == nil && !inserted(res) {
		return fmt.Errorf("create user %s: %w", u.Email, store.ErrEmailTaken)
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return nil
}

const userCols = `id, name, email, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created string
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &created); err != nil {
		return store.User{}, err
	}
	var err error
	u.CreatedAt, err = store.ParseTimeText(created)
	return u, err
}

func (t *tx) UserByID(ctx context.Context, id string) (store.User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return store.User{}, notFound(err, "user "+id)
	}
	return u, nil
}

func (t *tx) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (t *tx) CreateToken(ctx context.Context, hash, userID string, at time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)`,
		hash, userID, store.TimeText(at)); err != nil {
		return fmt.Errorf("create token for user %s: %w", userID, err)
	}
	return nil
}

// CreateLoginToken locks the user's row (FOR SHARE) so that a password
// change in flight is waited for and its new hash seen: without it, the
// token could be inserted after the change's DeleteUserTokens had looked.
func (t *tx) CreateLoginToken(ctx context.Context, hash, userID, passwordHash string, at time.Time) error {
	tag, err := t.exec(ctx, `INSERT INTO tokens (hash, user_id, created_at)
		SELECT ?, id, ? FROM users WHERE id = ? AND password_hash = ? FOR SHARE`, hash, store.TimeText(at), userID, passwordHash)
	if err != nil {
		return fmt.Errorf("create token for user %s: %w", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("create token for user %s: the password changed: %w", userID, store.ErrNotFound)
	}
	return nil
}

func (t *tx) UserByToken(ctx context.Context, hash string) (store.User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.created_at
		FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ?`, hash))
	if err != nil {
		return store.User{}, notFound(err, "token")
	}
	return u, nil
}

func (t *tx) CreateCampaign(ctx context.Context, c store.Campaign) error {
	res, err := t.exec(ctx, `INSERT INTO campaigns
		(id, organization_id, name, issue, join_code, public, active, created_at, contact, name_folded, issue_folded, search_joins_per_hour)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		c.ID, c.OrganizationID, c.Name, c.Issue, c.JoinCode, store.BoolInt(c.Public), store.BoolInt(c.Active), store.TimeText(c.CreatedAt), c.Contact,
		store.FoldedName(c.Name), store.FoldedName(c.Issue), c.SearchJoinsPerHour)
	if err == nil && !inserted(res) {
		return fmt.Errorf("create campaign %q with code %s: %w", c.Name, c.JoinCode, store.ErrJoinCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", c.Name, err)
	}
	return nil
}

const campaignCols = `c.id, c.organization_id, c.name, c.issue, c.join_code, c.public, c.active, c.created_at, c.contact, c.search_joins_per_hour`

func scanCampaign(row interface{ Scan(...any) error }, extra ...any) (store.Campaign, error) {
	var c store.Campaign
	var pub, active int
	var created string
	dest := append([]any{&c.ID, &c.OrganizationID, &c.Name, &c.Issue, &c.JoinCode, &pub, &active, &created, &c.Contact, &c.SearchJoinsPerHour}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.Campaign{}, err
	}
	c.Public, c.Active = pub == 1, active == 1
	var err error
	c.CreatedAt, err = store.ParseTimeText(created)
	return c, err
}

func (t *tx) CampaignByID(ctx context.Context, id string) (store.Campaign, error) {
	c, err := scanCampaign(t.queryRow(ctx, `SELECT `+campaignCols+` FROM campaigns c WHERE c.id = ?`, id))
	if err != nil {
		return store.Campaign{}, notFound(err, "campaign "+id)
	}
	return c, nil
}

func (t *tx) JoinCodeEverUsed(ctx context.Context, code string) (bool, error) {
	var used bool
	if err := t.queryRow(ctx, store.JoinCodeEverUsedSQL, code, code).Scan(&used); err != nil {
		return false, fmt.Errorf("is join code %s used: %w", code, err)
	}
	return used, nil
}

func (t *tx) AddMembership(ctx context.Context, m store.Membership) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO memberships (campaign_id, user_id, role, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, user_id) DO NOTHING`,
		m.CampaignID, m.UserID, m.Role, store.TimeText(m.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("add %s %s to campaign %s: %w", m.Role, m.UserID, m.CampaignID, err)
	}
	return inserted(res), nil
}

func (t *tx) Membership(ctx context.Context, campaignID, userID string) (store.Membership, error) {
	var m store.Membership
	var created string
	err := t.queryRow(ctx, `SELECT campaign_id, user_id, role, created_at FROM memberships
		WHERE campaign_id = ? AND user_id = ?`, campaignID, userID).Scan(&m.CampaignID, &m.UserID, &m.Role, &created)
	if err != nil {
		return store.Membership{}, notFound(err, fmt.Sprintf("membership of %s in campaign %s", userID, campaignID))
	}
	m.CreatedAt, err = store.ParseTimeText(created)
	return m, err
}
