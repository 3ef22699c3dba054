package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Joins through search and their refusals (migrations 0040 and 0041), the
// same on both engines.

func (t Shared) AddSearchJoin(ctx context.Context, campaignID, userID string, at time.Time) error {
	if _, err := t.run.Exec(ctx, `INSERT INTO search_joins (campaign_id, user_id, joined_at) VALUES (?, ?, ?)
		ON CONFLICT (campaign_id, user_id) DO UPDATE SET joined_at = excluded.joined_at`,
		campaignID, userID, TimeText(at)); err != nil {
		return fmt.Errorf("record %s joining campaign %s through search: %w", userID, campaignID, err)
	}
	return nil
}

func (t Shared) SearchJoinsSince(ctx context.Context, campaignID string, since time.Time) (int, time.Time, error) {
	var n int
	var first sql.NullString
	if err := t.run.QueryRow(ctx, `SELECT COUNT(*), MIN(joined_at) FROM search_joins WHERE campaign_id = ? AND joined_at > ?`,
		campaignID, TimeText(since)).Scan(&n, &first); err != nil {
		return 0, time.Time{}, fmt.Errorf("count joins through search of campaign %s: %w", campaignID, err)
	}
	if !first.Valid {
		return n, time.Time{}, nil
	}
	at, err := ParseTimeText(first.String)
	return n, at, err
}

// AddSearchJoinRefusal counts the refusal on the account's one row, so an
// account retrying without end adds no row, and decides in the same upsert
// whether it is logged: when none of this account's refusals here was
// logged after logAfter. The SET's expressions read the row as it was.
func (t Shared) AddSearchJoinRefusal(ctx context.Context, campaignID, userID string, at, logAfter time.Time) (SearchJoinRefusal, error) {
	var r SearchJoinRefusal
	var unlogged int
	if err := t.run.QueryRow(ctx, `INSERT INTO search_join_refusals (campaign_id, user_id, refused_at, refusals, logged_at, unlogged)
		VALUES (?, ?, ?, 1, ?, 0)
		ON CONFLICT (campaign_id, user_id) DO UPDATE SET refused_at = excluded.refused_at,
			refusals = search_join_refusals.refusals + 1,
			logged_at = CASE WHEN search_join_refusals.logged_at IS NULL OR search_join_refusals.logged_at <= ?
				THEN excluded.logged_at ELSE search_join_refusals.logged_at END,
			unlogged = CASE WHEN search_join_refusals.logged_at IS NULL OR search_join_refusals.logged_at <= ?
				THEN 0 ELSE search_join_refusals.unlogged + 1 END
		RETURNING refusals, unlogged`,
		campaignID, userID, TimeText(at), TimeText(at), TimeText(logAfter), TimeText(logAfter)).Scan(&r.Refusals, &unlogged); err != nil {
		return SearchJoinRefusal{}, fmt.Errorf("record %s refused a join through search of campaign %s: %w", userID, campaignID, err)
	}
	r.Log = unlogged == 0
	return r, nil
}
