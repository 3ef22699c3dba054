package store

import (
	"context"
	"fmt"
	"time"
)

// What admins review and decide: unroutable texts, marks of reviewed
// rows, blocks, retired response scripts, and which providers served a
// campaign.

func (t Shared) SetMarked(ctx context.Context, m Marks, id string, done bool, userID string, at time.Time) error {
	var n int
	if err := t.run.QueryRow(ctx, m.ExistsSQL(), id).Scan(&n); err != nil {
		return fmt.Errorf("mark %s %s: %w", m.What(), id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %s: %w", m.What(), id, ErrNotFound)
	}
	var err error
	if done {
		_, err = t.run.Exec(ctx, m.SetSQL(), NullIfEmpty(userID), TimeText(at), id)
	} else {
		_, err = t.run.Exec(ctx, m.ClearSQL(), id)
	}
	if err != nil {
		return fmt.Errorf("mark %s %s: %w", m.What(), id, err)
	}
	return nil
}

func (t Shared) UnroutableForCampaign(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]Unroutable, error) {
	rows, err := t.run.Query(ctx, UnroutableForCampaignSQL(which), campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Unroutable
	for rows.Next() {
		u, err := ScanUnroutable(rows)
		if err != nil {
			return nil, fmt.Errorf("unroutable texts of campaign %s: %w", campaignID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t Shared) ListUnroutable(ctx context.Context, limit int) ([]Unroutable, error) {
	rows, err := t.run.Query(ctx, `SELECT `+UnroutableCols+`
		FROM unroutable_messages ORDER BY received_at DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list unroutable messages: %w", err)
	}
	defer rows.Close()
	var out []Unroutable
	for rows.Next() {
		u, err := ScanUnroutable(rows)
		if err != nil {
			return nil, fmt.Errorf("list unroutable messages: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t Shared) AddBlock(ctx context.Context, b Block) error {
	_, err := t.run.Exec(ctx, `INSERT INTO blocks (user_id, phone, organization_id, contact_id, reason,
		source_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, phone) DO NOTHING`,
		b.UserID, b.Phone, b.OrganizationID, NullIfEmpty(b.ContactID), b.Reason, NullIfEmpty(b.SourceMessageID), TimeText(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("block %s: %w", b.Phone, err)
	}
	return nil
}

func (t Shared) RetireResponseScripts(ctx context.Context, actionID string, versions []ResponseScript, at, forgetBefore time.Time) error {
	if _, err := t.run.Exec(ctx, ForgetScriptsSQL, TimeText(forgetBefore)); err != nil {
		return fmt.Errorf("forget response script versions: %w", err)
	}
	for _, rs := range versions {
		tags, err := ScriptTagsText(rs)
		if err != nil {
			return err
		}
		if _, err := t.run.Exec(ctx, RetireScriptSQL, actionID, rs.ID, rs.Body, tags, TimeText(at)); err != nil {
			return fmt.Errorf("keep response script %s of action %s: %w", rs.ID, actionID, err)
		}
	}
	if _, err := t.run.Exec(ctx, ScriptsRetiredSQL, TimeText(at), actionID, TimeText(at)); err != nil {
		return fmt.Errorf("note when action %s's response scripts were retired: %w", actionID, err)
	}
	return nil
}

func (t Shared) ProvidersServed(ctx context.Context) (map[string]time.Time, error) {
	rows, err := t.run.Query(ctx, ProvidersServedSQL)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	defer rows.Close()
	out, err := ScanProvidersServed(rows)
	if err != nil {
		return nil, fmt.Errorf("providers served: %w", err)
	}
	return out, nil
}
