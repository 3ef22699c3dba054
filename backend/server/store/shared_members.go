package store

import (
	"context"
	"fmt"
	"time"
)

// Members an organizer took off a campaign (migration 0038), the same on
// both engines.

func (t Shared) RemoveMembership(ctx context.Context, campaignID, userID string, at time.Time) error {
	n, err := t.run.Exec(ctx, `DELETE FROM memberships WHERE campaign_id = ? AND user_id = ?`, campaignID, userID)
	if err != nil {
		return fmt.Errorf("remove %s from campaign %s: %w", userID, campaignID, err)
	}
	if err := affected(n, fmt.Sprintf("membership of %s in campaign %s", userID, campaignID)); err != nil {
		return err
	}
	if _, err := t.run.Exec(ctx, `INSERT INTO removed_members (campaign_id, user_id, removed_at) VALUES (?, ?, ?)
		ON CONFLICT (campaign_id, user_id) DO UPDATE SET removed_at = excluded.removed_at`,
		campaignID, userID, TimeText(at)); err != nil {
		return fmt.Errorf("remember %s removed from campaign %s: %w", userID, campaignID, err)
	}
	// Their number goes back to the pool: numbers list's count and the
	// next joiner's least-used number count the people texting from it,
	// and the conversations they held keep the number they were texted
	// from whoever holds them now. Readmitted, they are given one again
	// at their next join or send, as any member without one.
	if _, err := t.run.Exec(ctx, `DELETE FROM number_assignments WHERE campaign_id = ? AND user_id = ?`, campaignID, userID); err != nil {
		return fmt.Errorf("take %s's sending number in campaign %s back: %w", userID, campaignID, err)
	}
	return nil
}

func (t Shared) RemovedAt(ctx context.Context, campaignID, userID string) (time.Time, error) {
	var at string
	err := t.run.QueryRow(ctx, `SELECT removed_at FROM removed_members WHERE campaign_id = ? AND user_id = ?`,
		campaignID, userID).Scan(&at)
	if err != nil {
		return time.Time{}, notFound(err, fmt.Sprintf("removal of %s from campaign %s", userID, campaignID))
	}
	return ParseTimeText(at)
}

func (t Shared) ForgetRemoval(ctx context.Context, campaignID, userID string) error {
	n, err := t.run.Exec(ctx, `DELETE FROM removed_members WHERE campaign_id = ? AND user_id = ?`, campaignID, userID)
	if err != nil {
		return fmt.Errorf("forget %s's removal from campaign %s: %w", userID, campaignID, err)
	}
	return affected(n, fmt.Sprintf("removal of %s from campaign %s", userID, campaignID))
}
