package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (t *tx) ActionByID(ctx context.Context, id string) (store.Action, error) {
	a, err := store.ScanAction(t.queryRow(ctx, `SELECT `+store.ActionCols+` FROM actions WHERE id = ?`, id))
	if err != nil {
		return store.Action{}, notFound(err, "action "+id)
	}
	return a, nil
}

// memberActionSQL reads an action ($1), its campaign and whether $2 is a
// member of it in one statement.
var memberActionSQL = `SELECT ` + prefixed("a.", store.ActionCols) + `, ` + campaignCols + `,
	EXISTS (SELECT 1 FROM memberships m WHERE m.campaign_id = c.id AND m.user_id = $2)
	FROM actions a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`

func (t *tx) MemberAction(ctx context.Context, actionID, userID string) (store.Action, store.Campaign, bool, error) {
	row := t.q.QueryRow(ctx, memberActionSQL, actionID, userID)
	var c store.Campaign
	var member bool
	// The action's columns come first, then the campaign's and the flag.
	a, err := store.ScanAction(store.WrapScanner{ScanRow: func(dest ...any) (err error) {
		c, err = scanCampaign(store.WrapScanner{ScanRow: row.Scan, Head: dest}, &member)
		return err
	}})
	if err != nil {
		return store.Action{}, store.Campaign{}, false, notFound(err, "action "+actionID)
	}
	return a, c, member, nil
}

func (t *tx) CreateContact(ctx context.Context, c store.Contact) error {
	if c.Fields == nil {
		c.Fields = map[string]string{}
	}
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return fmt.Errorf("encode fields of contact %s: %w", c.Phone, err)
	}
	if c.State == "" {
		c.State = store.ContactUnassigned
	}
	res, err := t.exec(ctx, `INSERT INTO contacts (id, action_id, first_name, last_name, phone, zip,
		external_id, fields, script_index, state, assigned_to, assigned_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		c.ID, c.ActionID, c.FirstName, c.LastName, c.Phone, c.Zip, c.ExternalID, string(fields), c.ScriptIndex,
		c.State, store.NullIfEmpty(c.AssignedTo), store.TimeTextOrNil(c.AssignedAt), store.TimeText(c.CreatedAt))
	if err == nil && !inserted(res) {
		return fmt.Errorf("create contact %s in action %s: %w", c.Phone, c.ActionID, store.ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create contact %s: %w", c.Phone, err)
	}
	return nil
}

const contactCols = `id, action_id, first_name, last_name, phone, zip, external_id, fields, script_index, state,
	assigned_to, assigned_at, created_at`

func scanContact(row interface{ Scan(...any) error }) (store.Contact, error) {
	var c store.Contact
	var fields, created string
	var assignedTo, assignedAt sql.NullString
	if err := row.Scan(&c.ID, &c.ActionID, &c.FirstName, &c.LastName, &c.Phone, &c.Zip, &c.ExternalID, &fields,
		&c.ScriptIndex, &c.State, &assignedTo, &assignedAt, &created); err != nil {
		return store.Contact{}, err
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return store.Contact{}, fmt.Errorf("stored fields of contact %s: %w", c.ID, err)
	}
	c.AssignedTo = assignedTo.String
	var err error
	if c.AssignedAt, err = store.ParseNullTimeText(assignedAt); err != nil {
		return store.Contact{}, err
	}
	c.CreatedAt, err = store.ParseTimeText(created)
	return c, err
}

func (t *tx) queryContacts(ctx context.Context, what, q string, args ...any) ([]store.Contact, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []store.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) ContactByID(ctx context.Context, id string) (store.Contact, error) {
	c, err := scanContact(t.queryRow(ctx, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
	if err != nil {
		return store.Contact{}, notFound(err, "contact "+id)
	}
	return c, nil
}

func (t *tx) AssignedUnsent(ctx context.Context, actionID, userID string) ([]store.Contact, error) {
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

func (t *tx) CountAssignable(ctx context.Context, actionID string) (int, error) {
	var n int
	err := t.queryRow(ctx, countAssignableSQL, actionID, actionID, actionID, actionID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count pool of action %s: %w", actionID, err)
	}
	return n, nil
}

func (t *tx) ReleaseContacts(ctx context.Context, actionID, userID string, only []string) ([]string, error) {
	held, err := t.AssignedUnsent(ctx, actionID, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(held))
	for _, c := range held {
		if only != nil && !slices.Contains(only, c.ID) {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE contacts SET state = 'released', assigned_to = NULL, assigned_at = NULL
			WHERE id = ?`, c.ID); err != nil {
			return nil, fmt.Errorf("release contact %s: %w", c.ID, err)
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}

func (t *tx) SetContactState(ctx context.Context, id, state string) error {
	res, err := t.exec(ctx, `UPDATE contacts SET state = ? WHERE id = ?`, state, id)
	if err != nil {
		return fmt.Errorf("set contact %s %s: %w", id, state, err)
	}
	return mustAffect(res, "contact "+id)
}

func (t *tx) AddSendingNumber(ctx context.Context, campaignID, phone string, at time.Time) error {
	res, err := t.exec(ctx, `INSERT INTO sending_numbers (phone, campaign_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		phone, campaignID, store.TimeText(at))
	if err == nil && !inserted(res) {
		return fmt.Errorf("sending number %s: %w", phone, store.ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("add sending number %s: %w", phone, err)
	}
	return nil
}

const sendingNumberSQL = `SELECT phone FROM number_assignments WHERE campaign_id = ? AND user_id = ?`

func (t *tx) SendingNumber(ctx context.Context, campaignID, userID string) (string, error) {
	var phone string
	err := t.queryRow(ctx, sendingNumberSQL, campaignID, userID).Scan(&phone)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("sending number of %s in campaign %s", userID, campaignID))
	}
	return phone, nil
}

// AssignSendingNumber gives userID the campaign's number that carries the
// fewest volunteers (the oldest among equals), so load spreads evenly.
func (t *tx) AssignSendingNumber(ctx context.Context, campaignID, userID string, at time.Time) (string, error) {
	var phone string
	err := t.queryRow(ctx, `SELECT n.phone FROM sending_numbers n WHERE n.campaign_id = ? AND n.removed_at IS NULL
		ORDER BY (SELECT COUNT(*) FROM number_assignments a WHERE a.phone = n.phone AND a.campaign_id = n.campaign_id), n.created_at, n.phone LIMIT 1`,
		campaignID).Scan(&phone)
	if err != nil {
		return "", notFound(err, "sending number in campaign "+campaignID)
	}
	res, err := t.exec(ctx, `INSERT INTO number_assignments (campaign_id, user_id, phone, assigned_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, campaignID, userID, phone, store.TimeText(at))
	if err != nil {
		return "", fmt.Errorf("assign sending number %s: %w", phone, err)
	}
	if !inserted(res) {
		return "", fmt.Errorf("sending number of %s in campaign %s: %w", userID, campaignID, store.ErrDuplicate)
	}
	return phone, nil
}
