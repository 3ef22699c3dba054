package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// The hot write paths' combined statements (store.SendPathTx), with the
// SQLite engine's semantics (store/sqlite_sendpath.go).

// sendChecksSQL answers every check of a text in one statement. $1 user,
// $2 phone, $3 since (NULL skips the 6-hour lock), $4 message id,
// $5 campaign.
const sendChecksSQL = `SELECT camp.organization_id, camp.name,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = camp.organization_id AND o.phone = $2),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = $1 AND b.phone = $2),
	$3::text IS NOT NULL AND EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = $2
		AND th.organization_id = camp.organization_id
		AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= $3::text)),
	COALESCE((SELECT n.phone FROM number_assignments n WHERE n.campaign_id = camp.id AND n.user_id = $1), ''),
	EXISTS (SELECT 1 FROM messages m WHERE m.id = $4)
	FROM campaigns camp WHERE camp.id = $5`

func (t *tx) SendChecks(ctx context.Context, q store.SendCheck) (store.SendChecks, error) {
	var c store.SendChecks
	err := t.q.QueryRow(ctx, sendChecksSQL, q.UserID, q.Phone, tsPtr(q.InitialSince), q.MessageID, q.CampaignID).
		Scan(&c.OrganizationID, &c.CampaignName, &c.OptedOut, &c.Blocked, &c.RecentInitial, &c.Number, &c.MessageIDTaken)
	if err != nil {
		return store.SendChecks{}, notFound(err, fmt.Sprintf("checks of a text to %s in campaign %s", q.Phone, q.CampaignID))
	}
	return c, nil
}

// AppendFeeds writes the rows in one INSERT; their seqs follow in order.
func (t *tx) AppendFeeds(ctx context.Context, at time.Time, rows ...store.FeedRow) error {
	if len(rows) == 0 {
		return nil
	}
	stamp := ts(at)
	args := make([]any, 0, 4*len(rows))
	for _, r := range rows {
		args = append(args, r.UserID, r.Kind, r.EntityID, stamp)
	}
	q := `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(rows)), ", ")
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("append %d rows to the feed (first %s %s of %s): %w", len(rows), rows[0].Kind, rows[0].EntityID, rows[0].UserID, err)
	}
	if t.notify == nil {
		t.notify = map[string]struct{}{}
	}
	for _, r := range rows {
		t.notify[r.UserID] = struct{}{}
	}
	return nil
}

// MarkSending claims queued texts for this server (claimed_by, see
// PendingMessages), as SetMessageStatus(..., "sending", ...) does one by one.
func (t *tx) MarkSending(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	res, err := t.exec(ctx, `UPDATE messages SET status = 'sending', claimed_by = ? WHERE id IN `+inIDs+` AND status = 'queued'`,
		t.s.key, ids)
	if err != nil {
		return fmt.Errorf("mark %d texts sending: %w", len(ids), err)
	}
	if n := res.RowsAffected(); int(n) != len(ids) {
		return fmt.Errorf("mark %d texts sending: %d were queued: %w", len(ids), n, store.ErrNotFound)
	}
	return nil
}

func (t *tx) ThreadActivity(ctx context.Context, threadID string, lastMessageAt time.Time, inboundAt, outboundAt *time.Time) error {
	var q string
	var at *time.Time
	switch {
	case inboundAt != nil && outboundAt == nil:
		q, at = `UPDATE threads SET last_message_at = ?, last_inbound_at = ? WHERE id = ?`, inboundAt
	case outboundAt != nil && inboundAt == nil:
		q, at = `UPDATE threads SET last_message_at = ?, last_outbound_at = ? WHERE id = ?`, outboundAt
	default:
		return fmt.Errorf("activity of thread %s: want exactly one of an inbound and an outbound time", threadID)
	}
	res, err := t.exec(ctx, q, ts(lastMessageAt), ts(*at), threadID)
	if err != nil {
		return fmt.Errorf("activity of thread %s: %w", threadID, err)
	}
	return mustAffect(res, "thread "+threadID)
}
