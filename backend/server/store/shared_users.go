package store

import (
	"context"
	"fmt"
	"strings"
)

// Reads of users and campaigns, by what people type (an email, a join
// code), and organizations' creation. The reads by id, on every sync,
// stay with each engine.

func (t Shared) CreateOrganization(ctx context.Context, o Organization) error {
	if _, err := t.run.Exec(ctx, `INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)`,
		o.ID, o.Name, TimeText(o.CreatedAt)); err != nil {
		return fmt.Errorf("create organization %q: %w", o.Name, err)
	}
	return nil
}

func (t Shared) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(t.run.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, strings.ToLower(email)))
	if err != nil {
		return User{}, notFound(err, "user "+email)
	}
	return u, nil
}

func (t Shared) CampaignByJoinCode(ctx context.Context, code string) (Campaign, error) {
	c, err := scanCampaign(t.run.QueryRow(ctx,
		`SELECT `+campaignCols+` FROM campaigns c WHERE c.join_code = ? AND c.active = 1`, code))
	if err != nil {
		return Campaign{}, notFound(err, "campaign with join code "+code)
	}
	return c, nil
}

func (t Shared) AdminCampaigns(ctx context.Context, userID string) ([]string, error) {
	rows, err := t.run.Query(ctx, `SELECT campaign_id FROM memberships WHERE user_id = ? AND role = ? ORDER BY campaign_id`, userID, RoleAdmin)
	if err != nil {
		return nil, fmt.Errorf("campaigns %s is an admin of: %w", userID, err)
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, fmt.Errorf("campaigns %s is an admin of: %w", userID, err)
	}
	return ids, nil
}
