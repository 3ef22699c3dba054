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

// actionJSON encodes an action's JSON columns: scripts, response scripts
// and report fields.
func actionJSON(a store.Action) (scripts, rs, rf []byte, err error) {
	if scripts, err = json.Marshal(nonNil(a.Scripts)); err != nil {
		return nil, nil, nil, fmt.Errorf("encode scripts of action %q: %w", a.Title, err)
	}
	if rs, err = json.Marshal(a.ResponseScripts); err != nil {
		return nil, nil, nil, fmt.Errorf("encode response scripts of action %q: %w", a.Title, err)
	}
	if rf, err = json.Marshal(a.ReportFields); err != nil {
		return nil, nil, nil, fmt.Errorf("encode report fields of action %q: %w", a.Title, err)
	}
	return scripts, rs, rf, nil
}

func (t *tx) CreateAction(ctx context.Context, a store.Action) error {
	scripts, rs, rf, err := actionJSON(a)
	if err != nil {
		return err
	}
	if a.BatchSize <= 0 {
		a.BatchSize = 100
	}
	_, err = t.exec(ctx, `INSERT INTO actions (id, campaign_id, type, title, description, instructions,
		scripts, response_scripts, report_fields, hours_start, hours_end, batch_size, allow_free_text, creator_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.CampaignID, a.Type, a.Title, a.Description, a.Instructions, string(scripts), string(rs), string(rf),
		a.TextingHours.Start, a.TextingHours.End, a.BatchSize, store.BoolInt(a.AllowFreeText), a.CreatorID, store.TimeText(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("create action %q: %w", a.Title, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const actionCols = `id, campaign_id, type, title, description, instructions, scripts, response_scripts,
	report_fields, hours_start, hours_end, batch_size, allow_free_text, creator_id, created_at`

func scanAction(row interface{ Scan(...any) error }) (store.Action, error) {
	var a store.Action
	var scripts, rs, rf, created string
	var free int
	if err := row.Scan(&a.ID, &a.CampaignID, &a.Type, &a.Title, &a.Description, &a.Instructions, &scripts, &rs, &rf,
		&a.TextingHours.Start, &a.TextingHours.End, &a.BatchSize, &free, &a.CreatorID, &created); err != nil {
		return store.Action{}, err
	}
	a.AllowFreeText = free == 1
	if err := json.Unmarshal([]byte(scripts), &a.Scripts); err != nil {
		return store.Action{}, fmt.Errorf("stored scripts of action %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rs), &a.ResponseScripts); err != nil {
		return store.Action{}, fmt.Errorf("stored response scripts of action %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rf), &a.ReportFields); err != nil {
		return store.Action{}, fmt.Errorf("stored report fields of action %s: %w", a.ID, err)
	}
	var err error
	a.CreatedAt, err = store.ParseTimeText(created)
	return a, err
}

func (t *tx) ActionByID(ctx context.Context, id string) (store.Action, error) {
	a, err := scanAction(t.queryRow(ctx, `SELECT `+actionCols+` FROM actions WHERE id = ?`, id))
	if err != nil {
		return store.Action{}, notFound(err, "action "+id)
	}
	return a, nil
}

// memberActionSQL reads an action ($1), its campaign and whether $2 is a
// member of it in one statement.
var memberActionSQL = `SELECT ` + prefixed("a.", actionCols) + `, ` + campaignCols + `,
	EXISTS (SELECT 1 FROM memberships m WHERE m.campaign_id = c.id AND m.user_id = $2)
	FROM actions a JOIN campaigns c ON c.id = a.campaign_id WHERE a.id = $1`

func (t *tx) MemberAction(ctx context.Context, actionID, userID string) (store.Action, store.Campaign, bool, error) {
	row := t.q.QueryRow(ctx, memberActionSQL, actionID, userID)
	var c store.Campaign
	var member bool
	// The action's columns come first, then the campaign's and the flag.
	a, err := scanAction(wrapScanner{scan: func(dest ...any) (err error) {
		c, err = scanCampaign(wrapScanner{scan: row.Scan, head: dest}, &member)
		return err
	}})
	if err != nil {
		return store.Action{}, store.Campaign{}, false, notFound(err, "action "+actionID)
	}
	return a, c, member, nil
}

func (t *tx) ActionsByCampaign(ctx context.Context, campaignID string) ([]store.Action, error) {
	rows, err := t.query(ctx, `SELECT `+actionCols+` FROM actions WHERE campaign_id = ? ORDER BY created_at, id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("actions of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []store.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("actions of campaign %s: %w", campaignID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
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

// pickContactsSQL locks the pool rows it reads and skips those another
// transaction holds: volunteers taking batches at once get different
// contacts without waiting for each other. Each comes with whether the
// organization sent its number an initial text at or after the 6-hour
// lock's start (initialSentSinceSQL's shape; NULL: none did): such a
// contact would be refused at the send and handed out again and again.
// Parameters: organization, lock start, action, the page's start (two),
// organization, page size.
const pickContactsSQL = `SELECT ` + contactCols + `,
	EXISTS (SELECT 1 FROM threads th WHERE th.organization_id = ? AND th.contact_phone = c.phone
		AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= ?::text))
	FROM contacts c
	WHERE c.action_id = ? AND c.state IN ('unassigned', 'released') AND (c.created_at, c.id) > (?, ?)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ? AND o.phone = c.phone)
	ORDER BY c.created_at, c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED`

// assignSQL assigns the contacts $3 to $1 at $2, and is refused unless
// it assigns all $4 of them.
const assignSQL = checkedPrefix + `UPDATE contacts SET state = 'assigned', assigned_to = $1, assigned_at = $2
	WHERE id = ANY($3) RETURNING 1) SELECT 1 / (count(*) = $4::bigint)::int` + checkedSuffix

// pickPage is how many pool rows AssignContacts reads at a time.
const pickPage = 64

func (t *tx) AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int,
	at time.Time, initialSince *time.Time, keep func(store.Contact) bool) ([]store.Contact, store.PassedOver, error) {
	var picked []store.Contact
	var passed store.PassedOver
	scanned := 0
	afterAt, afterID := "", ""
	since := store.TimeTextOrNil(initialSince)
	for len(picked) < limit && scanned < maxScan {
		// contacts_pick: a range of this action's pool in list order.
		page, err := t.pickPage(ctx, orgID, since, actionID, afterAt, afterID)
		if err != nil {
			return nil, store.PassedOver{}, err
		}
		for _, p := range page {
			scanned++
			if len(picked) == limit || scanned > maxScan {
				break
			}
			if p.recent {
				passed.Recent++
				continue
			}
			if keep != nil && !keep(p.Contact) {
				passed.Refused++
				continue
			}
			picked = append(picked, p.Contact)
		}
		if len(page) < pickPage {
			break
		}
		last := page[len(page)-1]
		afterAt, afterID = store.TimeText(last.CreatedAt), last.ID
	}
	ids := make([]string, len(picked))
	for i, c := range picked {
		ids[i] = c.ID
	}
	if len(ids) > 0 {
		// Held, to ride with what the transaction sends next (its COMMIT,
		// in a hand-out): the rows were just read, locked, in this
		// transaction, and PostgreSQL refuses the update should one of
		// them not be there (checks.go).
		what := fmt.Sprintf("assign %d contacts of action %s", len(ids), actionID)
		t.q.holdRefusable(what, assignSQL, refusedAs(codeTooFew, fmt.Errorf("%s: %w", what, store.ErrNotFound)),
			userID, store.TimeText(at), ids, len(ids))
	}
	for i := range picked {
		picked[i].State, picked[i].AssignedTo = store.ContactAssigned, userID
		a := at.UTC()
		picked[i].AssignedAt = &a
	}
	return picked, passed, nil
}

// picked is a pool contact as pickContactsSQL reads it.
type picked struct {
	store.Contact
	recent bool
}

func (t *tx) pickPage(ctx context.Context, orgID string, since any, actionID, afterAt, afterID string) ([]picked, error) {
	rows, err := t.query(ctx, pickContactsSQL, orgID, since, actionID, afterAt, afterID, orgID, pickPage)
	if err != nil {
		return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
	}
	defer rows.Close()
	var out []picked
	for rows.Next() {
		var p picked
		if p.Contact, err = scanContact(withRecent{rows, &p.recent}); err != nil {
			return nil, fmt.Errorf("pick contacts of action %s: %w", actionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// withRecent scans a contact's columns and then the pick's recent flag.
type withRecent struct {
	row    interface{ Scan(...any) error }
	recent *bool
}

func (w withRecent) Scan(dest ...any) error { return w.row.Scan(append(dest, w.recent)...) }

// countAssignableSQL counts the action's pool less its numbers opted out
// of the organization, which no hand-out gives anyone: the pool's index,
// then one probe of contacts_action_phone for each of the organization's
// opt-outs (a few, against a pool of many).
const countAssignableSQL = `SELECT
	(SELECT COUNT(*) FROM contacts WHERE action_id = ? AND state IN ('unassigned', 'released'))
	- (SELECT COUNT(*) FROM opt_outs o JOIN contacts c ON c.action_id = ? AND c.phone = o.phone
		AND c.state IN ('unassigned', 'released')
		WHERE o.organization_id = (SELECT cp.organization_id FROM actions a JOIN campaigns cp ON cp.id = a.campaign_id
			WHERE a.id = ?))`

func (t *tx) CountAssignable(ctx context.Context, actionID string) (int, error) {
	var n int
	err := t.queryRow(ctx, countAssignableSQL, actionID, actionID, actionID).Scan(&n)
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

func (t *tx) MoveSendingNumber(ctx context.Context, phone, campaignID string) error {
	res, err := t.exec(ctx, `UPDATE sending_numbers SET campaign_id = ? WHERE phone = ?`, campaignID, phone)
	if err != nil {
		return fmt.Errorf("move sending number %s: %w", phone, err)
	}
	return mustAffect(res, "sending number "+phone)
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
	err := t.queryRow(ctx, `SELECT n.phone FROM sending_numbers n WHERE n.campaign_id = ?
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
