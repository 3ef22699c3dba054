package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/textbank/textbank/backend/texting"
)

// The organizer's actions, and how both engines read an action's row
// (ActionCols, ScanAction: the engines' own reads of one action use them).

// actionJSON encodes an action's JSON columns: scripts, response scripts
// and report fields.
func actionJSON(a Action) (scripts, rs, rf []byte, err error) {
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

func (t Shared) CreateAction(ctx context.Context, a Action) error {
	scripts, rs, rf, err := actionJSON(a)
	if err != nil {
		return err
	}
	if a.BatchSize <= 0 {
		a.BatchSize = texting.DefaultBatchSize
	}
	_, err = t.run.Exec(ctx, `INSERT INTO actions (id, campaign_id, type, title, description, instructions,
		scripts, response_scripts, report_fields, hours_start, hours_end, batch_size, allow_free_text, creator_id, created_at, shown_fields)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.CampaignID, a.Type, a.Title, a.Description, a.Instructions, string(scripts), string(rs), string(rf),
		a.TextingHours.Start, a.TextingHours.End, a.BatchSize, BoolInt(a.AllowFreeText), a.CreatorID, TimeText(a.CreatedAt), shownJSON(a))
	if err != nil {
		return fmt.Errorf("create action %q: %w", a.Title, err)
	}
	return nil
}

func (t Shared) ActionsByCampaign(ctx context.Context, campaignID string) ([]Action, error) {
	rows, err := t.run.Query(ctx, `SELECT `+ActionCols+` FROM actions WHERE campaign_id = ? ORDER BY created_at, id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("actions of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		a, err := ScanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("actions of campaign %s: %w", campaignID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t Shared) MoveSendingNumber(ctx context.Context, phone, campaignID string) error {
	res, err := t.run.Exec(ctx, `UPDATE sending_numbers SET campaign_id = ?, removed_at = NULL WHERE phone = ?`, campaignID, phone)
	if err != nil {
		return fmt.Errorf("move sending number %s: %w", phone, err)
	}
	return affected(res, "sending number "+phone)
}

// ActionCols are the columns ScanAction reads, in its order.
const ActionCols = `id, campaign_id, type, title, description, instructions, scripts, response_scripts,
	report_fields, hours_start, hours_end, batch_size, allow_free_text, creator_id, created_at, scripts_retired_at, shown_fields`

// ScanAction reads an action's row of ActionCols.
func ScanAction(row interface{ Scan(...any) error }) (Action, error) {
	var a Action
	var scripts, rs, rf, created, shown string
	var retired sql.NullString
	var free int
	if err := row.Scan(&a.ID, &a.CampaignID, &a.Type, &a.Title, &a.Description, &a.Instructions, &scripts, &rs, &rf,
		&a.TextingHours.Start, &a.TextingHours.End, &a.BatchSize, &free, &a.CreatorID, &created, &retired, &shown); err != nil {
		return Action{}, err
	}
	a.AllowFreeText = free == 1
	if err := json.Unmarshal([]byte(scripts), &a.Scripts); err != nil {
		return Action{}, fmt.Errorf("stored scripts of action %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rs), &a.ResponseScripts); err != nil {
		return Action{}, fmt.Errorf("stored response scripts of action %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rf), &a.ReportFields); err != nil {
		return Action{}, fmt.Errorf("stored report fields of action %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(shown), &a.ShownFields); err != nil {
		return Action{}, fmt.Errorf("stored shown fields of action %s: %w", a.ID, err)
	}
	var err error
	if a.ScriptsRetiredAt, err = ParseNullTimeText(retired); err != nil {
		return Action{}, fmt.Errorf("stored scripts_retired_at of action %s: %w", a.ID, err)
	}
	a.CreatedAt, err = ParseTimeText(created)
	return a, err
}

// shownJSON is the action's shown fields as stored: a JSON list, [] for none.
func shownJSON(a Action) string {
	raw, _ := json.Marshal(nonNil(a.ShownFields)) // a []string always encodes
	return string(raw)
}

// nonNil stores a missing list as [], not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
