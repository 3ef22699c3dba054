package store

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"
)

func (t *sqliteTx) CreateUser(ctx context.Context, u User) error {
	_, err := t.tx.ExecContext(ctx,
		`INSERT INTO users (id, name, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, u.Name, strings.ToLower(u.Email), u.PasswordHash, TimeText(u.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("create user %s: %w", u.Email, ErrEmailTaken)
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return nil
}

const userCols = `id, name, email, password_hash, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created string
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &u.PasswordHash, &created); err != nil {
		return User{}, err
	}
	var err error
	u.CreatedAt, err = ParseTimeText(created)
	return u, err
}

func (t *sqliteTx) UserByID(ctx context.Context, id string) (User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return User{}, notFound(err, "user "+id)
	}
	return u, nil
}

func (t *sqliteTx) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

func (t *sqliteTx) CreateToken(ctx context.Context, hash, userID string, at time.Time) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)`,
		hash, userID, TimeText(at)); err != nil {
		return fmt.Errorf("create token for user %s: %w", userID, err)
	}
	return nil
}

func (t *sqliteTx) CreateLoginToken(ctx context.Context, hash, userID, passwordHash string, at time.Time) error {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO tokens (hash, user_id, created_at)
		SELECT ?, id, ? FROM users WHERE id = ? AND password_hash = ?`, hash, TimeText(at), userID, passwordHash)
	if err != nil {
		return fmt.Errorf("create token for user %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("create token for user %s: the password changed: %w", userID, cmp.Or(err, ErrNotFound))
	}
	return nil
}

func (t *sqliteTx) UserByToken(ctx context.Context, hash string) (User, error) {
	u, err := scanUser(t.tx.QueryRowContext(ctx, `SELECT u.id, u.name, u.email, u.password_hash, u.created_at
		FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ?`, hash))
	if err != nil {
		return User{}, notFound(err, "token")
	}
	return u, nil
}

func (t *sqliteTx) CreateCampaign(ctx context.Context, c Campaign) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO campaigns
		(id, organization_id, name, issue, join_code, public, active, created_at, contact, name_folded, issue_folded, search_joins_per_hour)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.OrganizationID, c.Name, c.Issue, c.JoinCode, BoolInt(c.Public), BoolInt(c.Active), TimeText(c.CreatedAt), c.Contact,
		FoldedName(c.Name), FoldedName(c.Issue), c.SearchJoinsPerHour)
	if isUnique(err) {
		return fmt.Errorf("create campaign %q with code %s: %w", c.Name, c.JoinCode, ErrJoinCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", c.Name, err)
	}
	return nil
}

const campaignCols = `c.id, c.organization_id, c.name, c.issue, c.join_code, c.public, c.active, c.created_at, c.contact, c.search_joins_per_hour`

func scanCampaign(row interface{ Scan(...any) error }, extra ...any) (Campaign, error) {
	var c Campaign
	var pub, active int
	var created string
	dest := append([]any{&c.ID, &c.OrganizationID, &c.Name, &c.Issue, &c.JoinCode, &pub, &active, &created, &c.Contact, &c.SearchJoinsPerHour}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Campaign{}, err
	}
	c.Public, c.Active = pub == 1, active == 1
	var err error
	c.CreatedAt, err = ParseTimeText(created)
	return c, err
}

func (t *sqliteTx) CampaignByID(ctx context.Context, id string) (Campaign, error) {
	c, err := scanCampaign(t.tx.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM campaigns c WHERE c.id = ?`, id))
	if err != nil {
		return Campaign{}, notFound(err, "campaign "+id)
	}
	return c, nil
}

func (t *sqliteTx) JoinCodeEverUsed(ctx context.Context, code string) (bool, error) {
	var used bool
	if err := t.tx.QueryRowContext(ctx, JoinCodeEverUsedSQL, code, code).Scan(&used); err != nil {
		return false, fmt.Errorf("is join code %s used: %w", code, err)
	}
	return used, nil
}

func (t *sqliteTx) AddMembership(ctx context.Context, m Membership) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO memberships (campaign_id, user_id, role, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, user_id) DO NOTHING`,
		m.CampaignID, m.UserID, m.Role, TimeText(m.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("add %s %s to campaign %s: %w", m.Role, m.UserID, m.CampaignID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *sqliteTx) Membership(ctx context.Context, campaignID, userID string) (Membership, error) {
	var m Membership
	var created string
	err := t.tx.QueryRowContext(ctx, `SELECT campaign_id, user_id, role, created_at FROM memberships
		WHERE campaign_id = ? AND user_id = ?`, campaignID, userID).Scan(&m.CampaignID, &m.UserID, &m.Role, &created)
	if err != nil {
		return Membership{}, notFound(err, fmt.Sprintf("membership of %s in campaign %s", userID, campaignID))
	}
	m.CreatedAt, err = ParseTimeText(created)
	return m, err
}
