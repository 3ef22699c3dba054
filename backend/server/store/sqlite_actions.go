package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

func (t *sqliteTx) ActionByID(ctx context.Context, id string) (Action, error) {
	a, err := ScanAction(t.tx.QueryRowContext(ctx, `SELECT `+ActionCols+` FROM actions WHERE id = ?`, id))
	if err != nil {
		return Action{}, notFound(err, "action "+id)
	}
	return a, nil
}

// MemberAction reads with three calls: on SQLite a read is a call, not a
// round trip.
func (t *sqliteTx) MemberAction(ctx context.Context, actionID, userID string) (Action, Campaign, bool, error) {
	a, err := t.ActionByID(ctx, actionID)
	if err != nil {
		return Action{}, Campaign{}, false, err
	}
	c, err := t.CampaignByID(ctx, a.CampaignID)
	if err != nil {
		return Action{}, Campaign{}, false, err
	}
	_, err = t.Membership(ctx, c.ID, userID)
	if errors.Is(err, ErrNotFound) {
		return a, c, false, nil
	}
	return a, c, err == nil, err
}

func (t *sqliteTx) CreateContact(ctx context.Context, c Contact) error {
	if c.Fields == nil {
		c.Fields = map[string]string{}
	}
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return fmt.Errorf("encode fields of contact %s: %w", c.Phone, err)
	}
	if c.State == "" {
		c.State = ContactUnassigned
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO contacts (id, action_id, first_name, last_name, phone, zip,
		external_id, fields, script_index, state, assigned_to, assigned_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.ActionID, c.FirstName, c.LastName, c.Phone, c.Zip, c.ExternalID, string(fields), c.ScriptIndex,
		c.State, NullIfEmpty(c.AssignedTo), TimeTextOrNil(c.AssignedAt), TimeText(c.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("create contact %s in action %s: %w", c.Phone, c.ActionID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create contact %s: %w", c.Phone, err)
	}
	return nil
}

const contactCols = `id, action_id, first_name, last_name, phone, zip, external_id, fields, script_index, state,
	assigned_to, assigned_at, created_at`

func scanContact(row interface{ Scan(...any) error }) (Contact, error) {
	var c Contact
	var fields, created string
	var assignedTo, assignedAt sql.NullString
	if err := row.Scan(&c.ID, &c.ActionID, &c.FirstName, &c.LastName, &c.Phone, &c.Zip, &c.ExternalID, &fields,
		&c.ScriptIndex, &c.State, &assignedTo, &assignedAt, &created); err != nil {
		return Contact{}, err
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return Contact{}, fmt.Errorf("stored fields of contact %s: %w", c.ID, err)
	}
	c.AssignedTo = assignedTo.String
	var err error
	if c.AssignedAt, err = ParseNullTimeText(assignedAt); err != nil {
		return Contact{}, err
	}
	c.CreatedAt, err = ParseTimeText(created)
	return c, err
}

func (t *sqliteTx) queryContacts(ctx context.Context, what, q string, args ...any) ([]Contact, error) {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *sqliteTx) ContactByID(ctx context.Context, id string) (Contact, error) {
	c, err := scanContact(t.tx.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
	if err != nil {
		return Contact{}, notFound(err, "contact "+id)
	}
	return c, nil
}

func (t *sqliteTx) AssignedUnsent(ctx context.Context, actionID, userID string) ([]Contact, error) {
	return t.queryContacts(ctx, "assigned contacts of "+userID,
		`SELECT `+contactCols+` FROM contacts WHERE assigned_to = ? AND action_id = ? AND state = 'assigned'
		ORDER BY assigned_at, created_at, id`, userID, actionID)
}

// countAssignableSQL counts the action's pool less its numbers opted out
// of the organization, which no hand-out gives anyone: the pool's index
// (contacts not waiting), the contacts waiting for a time (contacts_waiting:
// they are still to be texted), then one probe of contacts_action_phone for
// each of the organization's opt-outs (a few, against a pool of many).
const countAssignableSQL = `SELECT
	(SELECT COUNT(*) FROM contacts WHERE action_id = ? AND state IN ('unassigned', 'released') AND waits_until IS NULL)
	+ (SELECT COUNT(*) FROM contacts WHERE action_id = ? AND waits_until IS NOT NULL AND state IN ('unassigned', 'released'))
	- (SELECT COUNT(*) FROM opt_outs o JOIN contacts c ON c.action_id = ? AND c.phone = o.phone
		AND c.state IN ('unassigned', 'released')
		WHERE o.organization_id = (SELECT cp.organization_id FROM actions a JOIN campaigns cp ON cp.id = a.campaign_id
			WHERE a.id = ?))`

func (t *sqliteTx) CountAssignable(ctx context.Context, actionID string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, countAssignableSQL, actionID, actionID, actionID, actionID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count pool of action %s: %w", actionID, err)
	}
	return n, nil
}

func (t *sqliteTx) ReleaseContacts(ctx context.Context, actionID, userID string, only []string) ([]string, error) {
	held, err := t.AssignedUnsent(ctx, actionID, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(held))
	for _, c := range held {
		if only != nil && !slices.Contains(only, c.ID) {
			continue
		}
		if _, err := t.tx.ExecContext(ctx, `UPDATE contacts SET state = 'released', assigned_to = NULL, assigned_at = NULL
			WHERE id = ?`, c.ID); err != nil {
			return nil, fmt.Errorf("release contact %s: %w", c.ID, err)
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}

func (t *sqliteTx) SetContactState(ctx context.Context, id, state string) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE contacts SET state = ? WHERE id = ?`, state, id)
	if err != nil {
		return fmt.Errorf("set contact %s %s: %w", id, state, err)
	}
	return mustAffect(res, "contact "+id)
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

func (t *sqliteTx) AddSendingNumber(ctx context.Context, campaignID, phone string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO sending_numbers (phone, campaign_id, created_at) VALUES (?, ?, ?)`,
		phone, campaignID, TimeText(at))
	if isUnique(err) {
		return fmt.Errorf("sending number %s: %w", phone, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("add sending number %s: %w", phone, err)
	}
	return nil
}

const sendingNumberSQL = `SELECT phone FROM number_assignments WHERE campaign_id = ? AND user_id = ?`

func (t *sqliteTx) SendingNumber(ctx context.Context, campaignID, userID string) (string, error) {
	var phone string
	err := t.tx.QueryRowContext(ctx, sendingNumberSQL, campaignID, userID).Scan(&phone)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("sending number of %s in campaign %s", userID, campaignID))
	}
	return phone, nil
}

// AssignSendingNumber gives userID the campaign's number that carries the
// fewest volunteers (the oldest among equals), so load spreads evenly.
func (t *sqliteTx) AssignSendingNumber(ctx context.Context, campaignID, userID string, at time.Time) (string, error) {
	var phone string
	err := t.tx.QueryRowContext(ctx, `SELECT n.phone FROM sending_numbers n WHERE n.campaign_id = ? AND n.removed_at IS NULL
		ORDER BY (SELECT COUNT(*) FROM number_assignments a WHERE a.phone = n.phone AND a.campaign_id = n.campaign_id), n.created_at, n.phone LIMIT 1`,
		campaignID).Scan(&phone)
	if err != nil {
		return "", notFound(err, "sending number in campaign "+campaignID)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO number_assignments (campaign_id, user_id, phone, assigned_at)
		VALUES (?, ?, ?, ?)`, campaignID, userID, phone, TimeText(at)); err != nil {
		if isUnique(err) {
			return "", fmt.Errorf("sending number of %s in campaign %s: %w", userID, campaignID, ErrDuplicate)
		}
		return "", fmt.Errorf("assign sending number %s: %w", phone, err)
	}
	return phone, nil
}
