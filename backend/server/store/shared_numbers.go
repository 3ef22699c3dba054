package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// The organizer's sending numbers (the dispatcher's reads of them stay
// with the engines' send path).

const sendingNumberCols = `n.phone, n.campaign_id, n.created_at, n.removed_at,
	(SELECT COUNT(*) FROM number_assignments a WHERE a.phone = n.phone AND a.campaign_id = n.campaign_id)`

func scanSendingNumber(row interface{ Scan(...any) error }) (SendingNumberInfo, error) {
	var n SendingNumberInfo
	var at string
	var removed sql.NullString
	if err := row.Scan(&n.Phone, &n.CampaignID, &at, &removed, &n.Volunteers); err != nil {
		return n, err
	}
	var err error
	if n.CreatedAt, err = ParseTimeText(at); err != nil {
		return n, err
	}
	n.RemovedAt, err = ParseNullTimeText(removed)
	return n, err
}

func (t Shared) ListSendingNumbers(ctx context.Context, campaignID string) ([]SendingNumberInfo, error) {
	rows, err := t.run.Query(ctx, `SELECT `+sendingNumberCols+`
		FROM sending_numbers n WHERE ? = '' OR n.campaign_id = ? ORDER BY n.campaign_id, n.created_at, n.phone`,
		campaignID, campaignID)
	if err != nil {
		return nil, fmt.Errorf("list sending numbers: %w", err)
	}
	defer rows.Close()
	var out []SendingNumberInfo
	for rows.Next() {
		n, err := scanSendingNumber(rows)
		if err != nil {
			return nil, fmt.Errorf("list sending numbers: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (t Shared) SendingNumberLastTexts(ctx context.Context, campaignID string) (map[string]time.Time, error) {
	rows, err := t.run.Query(ctx, `SELECT t.sending_number, MAX(t.last_message_at) FROM threads t
		JOIN sending_numbers n ON n.phone = t.sending_number
		WHERE ? = '' OR n.campaign_id = ? GROUP BY t.sending_number`, campaignID, campaignID)
	if err != nil {
		return nil, fmt.Errorf("last texts of sending numbers: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var phone, last string
		if err := rows.Scan(&phone, &last); err != nil {
			return nil, fmt.Errorf("last texts of sending numbers: %w", err)
		}
		at, err := ParseTimeText(last)
		if err != nil {
			return nil, err
		}
		out[phone] = at
	}
	return out, rows.Err()
}

func (t Shared) SendingNumberByPhone(ctx context.Context, phone string) (SendingNumberInfo, error) {
	n, err := scanSendingNumber(t.run.QueryRow(ctx, `SELECT `+sendingNumberCols+` FROM sending_numbers n WHERE n.phone = ?`, phone))
	if err != nil {
		return n, notFound(err, "sending number "+phone)
	}
	return n, nil
}

func (t Shared) RemoveSendingNumber(ctx context.Context, phone string, at time.Time) ([]string, error) {
	res, err := t.run.Exec(ctx, `UPDATE sending_numbers SET removed_at = ? WHERE phone = ? AND removed_at IS NULL`, TimeText(at), phone)
	if err != nil {
		return nil, fmt.Errorf("remove sending number %s: %w", phone, err)
	}
	if err := affected(res, "sending number in use "+phone); err != nil {
		return nil, err
	}
	rows, err := t.run.Query(ctx, `DELETE FROM number_assignments WHERE phone = ?
		AND campaign_id = (SELECT campaign_id FROM sending_numbers WHERE phone = ?) RETURNING user_id`, phone, phone)
	if err != nil {
		return nil, fmt.Errorf("unassign sending number %s: %w", phone, err)
	}
	defer rows.Close()
	var users []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("unassign sending number %s: %w", phone, err)
		}
		users = append(users, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unassign sending number %s: %w", phone, err)
	}
	slices.Sort(users)
	return users, nil
}
