package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// What admins read and record about conversations: hand-overs, opt-ins and
// abuse reports to review, and who may take a thread over.

func (t Shared) AddReassignment(ctx context.Context, r Reassignment) error {
	_, err := t.run.Exec(ctx, `INSERT INTO reassignments (id, thread_id, from_user_id, to_user_id, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.ThreadID, r.FromUserID, r.ToUserID, r.Note, TimeText(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("record reassignment of %s: %w", r.ThreadID, err)
	}
	return nil
}

func (t Shared) OptIns(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]OptIn, error) {
	rows, err := t.run.Query(ctx, OptInsSQL(which), campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("list opt-ins: %w", err)
	}
	defer rows.Close()
	var out []OptIn
	for rows.Next() {
		o, err := ScanOptIn(rows)
		if err != nil {
			return nil, fmt.Errorf("list opt-ins: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (t Shared) AbuseReports(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]AbuseReport, error) {
	rows, err := t.run.Query(ctx, AbuseReportsSQL(which), campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("list abuse reports: %w", err)
	}
	defer rows.Close()
	var out []AbuseReport
	for rows.Next() {
		r, err := ScanAbuseReport(rows)
		if err != nil {
			return nil, fmt.Errorf("list abuse reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t Shared) CountReassignedTo(ctx context.Context, userID, campaignID string) (int, error) {
	var n int
	if err := t.run.QueryRow(ctx, CountReassignedToSQL, userID, campaignID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count threads reassigned to %s: %w", userID, err)
	}
	return n, nil
}

func (t Shared) ThreadReadAt(ctx context.Context, threadID, ownerID string) (*time.Time, error) {
	var at sql.NullString
	if err := t.run.QueryRow(ctx, ThreadReadAtSQL, threadID, ownerID, threadID, threadID).Scan(&at); err != nil {
		return nil, fmt.Errorf("when thread %s was last read: %w", threadID, err)
	}
	return ParseNullTimeText(at)
}

func (t Shared) CampaignAdmins(ctx context.Context, campaignID string) ([]User, error) {
	rows, err := t.run.Query(ctx, `SELECT `+prefixed("u.", userCols)+` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.campaign_id = ? AND m.role = ? ORDER BY m.created_at, u.id`, campaignID, RoleAdmin)
	if err != nil {
		return nil, fmt.Errorf("admins of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("admins of campaign %s: %w", campaignID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
