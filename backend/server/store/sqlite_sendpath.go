package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// sendChecksSQL answers every check of a text in one statement: each
// subquery is an index lookup on this number, this volunteer or this id
// (TestHotStatementsUseIndexes); the 6-hour lock is recentInitialSQL's
// (a scalar MAX, not a nested EXISTS, which SQLite re-prepares on every
// run). Parameters: ?1 user, ?2 phone, ?3 since (NULL
// skips the lock), ?4 message id, ?5 campaign.
const sendChecksSQL = `SELECT camp.organization_id, camp.name,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = camp.organization_id AND o.phone = ?2),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = ?1 AND b.phone = ?2),
	?3 IS NOT NULL AND EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = ?2
		AND th.organization_id = camp.organization_id
		AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?3),
	COALESCE((SELECT n.phone FROM number_assignments n WHERE n.campaign_id = camp.id AND n.user_id = ?1), ''),
	EXISTS (SELECT 1 FROM messages m WHERE m.id = ?4)
	FROM campaigns camp WHERE camp.id = ?5`

func (t *sqliteTx) SendChecks(ctx context.Context, q SendCheck) (SendChecks, error) {
	var c SendChecks
	var opted, blocked, recent, taken int
	err := t.tx.QueryRowContext(ctx, sendChecksSQL, q.UserID, q.Phone, TimeTextOrNil(q.InitialSince), q.MessageID, q.CampaignID).
		Scan(&c.OrganizationID, &c.CampaignName, &opted, &blocked, &recent, &c.Number, &taken)
	if err != nil {
		return SendChecks{}, notFound(err, fmt.Sprintf("checks of a text to %s in campaign %s", q.Phone, q.CampaignID))
	}
	c.OptedOut, c.Blocked, c.RecentInitial, c.MessageIDTaken = opted == 1, blocked == 1, recent == 1, taken == 1
	return c, nil
}

// feedInserts[n] is the INSERT of n feed rows, n up to 16.
var feedInserts = func() []string {
	out := make([]string, 17)
	for n := 1; n < len(out); n++ {
		out[n] = feedInsertSQL(n)
	}
	return out
}()

func feedInsertSQL(n int) string {
	return `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")
}

func (t *sqliteTx) AppendFeeds(ctx context.Context, at time.Time, rows ...FeedRow) error {
	for len(rows) > len(feedInserts)-1 {
		// Long lists go in chunks, so that few statement texts exist (each
		// stays prepared on the writer).
		if err := t.AppendFeeds(ctx, at, rows[:len(feedInserts)-1]...); err != nil {
			return err
		}
		rows = rows[len(feedInserts)-1:]
	}
	n := len(rows)
	if n == 0 {
		return nil
	}
	q := feedInserts[n]
	stamp := TimeText(at)
	args := make([]any, 0, 4*n)
	for _, r := range rows {
		args = append(args, r.UserID, r.Kind, r.EntityID, stamp)
	}
	if _, err := t.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("append %d rows to the feed (first %s %s of %s): %w", n, rows[0].Kind, rows[0].EntityID, rows[0].UserID, err)
	}
	return nil
}

// ClaimQueued lists the oldest queued texts and marks them sending: two
// calls on the one writer, which no other claim can come between; then
// their feed rows, one statement.
func (t *sqliteTx) ClaimQueued(ctx context.Context, limit int, feedKind string, at time.Time, got func([]Outgoing)) error {
	list, err := t.PendingMessages(ctx, "queued", limit)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		got(nil)
		return nil
	}
	ids := make([]string, len(list))
	rows := make([]FeedRow, len(list))
	for i, o := range list {
		ids[i] = o.ID
		rows[i] = FeedRow{UserID: o.OwnerID, Kind: feedKind, EntityID: o.ID}
	}
	param, err := idsParam(ids)
	if err != nil {
		return fmt.Errorf("claim %d queued texts: %w", len(ids), err)
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE messages SET status = 'sending' WHERE id IN `+inIDs+` AND status = 'queued'`, param)
	if err != nil {
		return fmt.Errorf("claim %d queued texts: %w", len(ids), err)
	}
	if n, err := res.RowsAffected(); err != nil || int(n) != len(ids) {
		return fmt.Errorf("claim %d queued texts: %d were queued (%v): %w", len(ids), n, err, ErrNotFound)
	}
	if err := t.AppendFeeds(ctx, at, rows...); err != nil {
		return err
	}
	for i := range list {
		list[i].Status = "sending"
	}
	got(list)
	return nil
}

// setStatusesSQL is SetMessageStatus for a list of answers passed as one
// JSON array: one statement per batch of outcomes, each row found by the
// primary key (TestHotStatementsUseIndexes).
const setStatusesSQL = `UPDATE messages SET status = json_each.value ->> 's',
	provider_id = COALESCE(json_each.value ->> 'p', provider_id), error = json_each.value ->> 'e',
	sent_at = COALESCE(json_each.value ->> 't', sent_at)
	FROM json_each(?) WHERE messages.id = json_each.value ->> 'i'`

// statusRow is one answer as setStatusesSQL reads it.
type statusRow struct {
	ID         string  `json:"i"`
	Status     string  `json:"s"`
	ProviderID *string `json:"p,omitempty"`
	Error      string  `json:"e"`
	SentAt     *string `json:"t,omitempty"`
}

func (t *sqliteTx) SetMessageStatuses(ctx context.Context, rows []MessageStatus) error {
	if len(rows) == 0 {
		return nil
	}
	list := make([]statusRow, len(rows))
	for i, r := range rows {
		list[i] = statusRow{ID: r.ID, Status: r.Status, Error: r.Error}
		if r.ProviderID != "" {
			list[i].ProviderID = &r.ProviderID
		}
		if r.SentAt != nil {
			at := TimeText(*r.SentAt)
			list[i].SentAt = &at
		}
	}
	raw, err := json.Marshal(list)
	if err != nil {
		return fmt.Errorf("set status of %d messages: %w", len(rows), err)
	}
	res, err := t.tx.ExecContext(ctx, setStatusesSQL, string(raw))
	if isUnique(err) {
		return fmt.Errorf("set status of %d messages: a provider id is taken: %w", len(rows), ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("set status of %d messages: %w", len(rows), err)
	}
	if n, err := res.RowsAffected(); err != nil || int(n) != len(rows) {
		return fmt.Errorf("set status of %d messages: %d found (%v): %w", len(rows), n, err, ErrNotFound)
	}
	return nil
}

func (t *sqliteTx) ThreadActivity(ctx context.Context, threadID string, lastMessageAt time.Time, inboundAt, outboundAt, answeredThrough *time.Time) error {
	var res sql.Result
	var err error
	switch {
	case inboundAt != nil && outboundAt == nil && answeredThrough == nil:
		res, err = t.tx.ExecContext(ctx, `UPDATE threads SET last_message_at = ?, last_inbound_at = ? WHERE id = ?`,
			TimeText(lastMessageAt), TimeText(*inboundAt), threadID)
	case outboundAt != nil && inboundAt == nil && answeredThrough != nil:
		res, err = t.tx.ExecContext(ctx, `UPDATE threads SET last_message_at = ?, last_outbound_at = ?, answered_through = ? WHERE id = ?`,
			TimeText(lastMessageAt), TimeText(*outboundAt), TimeText(*answeredThrough), threadID)
	default:
		return fmt.Errorf("activity of thread %s: want exactly one of an inbound and an outbound time, and how far an outbound answers with it", threadID)
	}
	if err != nil {
		return fmt.Errorf("activity of thread %s: %w", threadID, err)
	}
	return mustAffect(res, "thread "+threadID)
}

// claimInitialSQL moves a contact to texted only if the checks of its
// first text still hold; each condition is an index lookup on this
// contact, action, number, volunteer or id (TestHotStatementsUseIndexes);
// the 6-hour lock is written as in recentInitialSQL.
// Parameters: ?1 contact, ?2 user, ?3 action, ?4 scripts (JSON, as
// stored), ?5 hours start, ?6 hours end, ?7 organization, ?8 phone, ?9
// since, ?10 message id, ?11 mutation id, ?12 campaign, ?13 the
// volunteer's number.
const claimInitialSQL = `UPDATE contacts SET state = 'texted'
	WHERE id = ?1 AND state = 'assigned' AND assigned_to = ?2 AND action_id = ?3
	AND EXISTS (SELECT 1 FROM actions a WHERE a.id = ?3 AND a.scripts = ?4 AND a.hours_start = ?5 AND a.hours_end = ?6)
	AND EXISTS (SELECT 1 FROM number_assignments na WHERE na.campaign_id = ?12 AND na.user_id = ?2 AND na.phone = ?13)
	AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ?7 AND o.phone = ?8)
	AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = ?2 AND b.phone = ?8)
	AND NOT EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = ?8 AND th.organization_id = ?7
		AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?9)
	AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = ?10)
	AND NOT EXISTS (SELECT 1 FROM mutations mu WHERE mu.id = ?11)`

func (t *sqliteTx) ClaimInitial(ctx context.Context, q InitialClaim) (bool, error) {
	scripts, err := json.Marshal(nonNil(q.Scripts))
	if err != nil {
		return false, fmt.Errorf("claim contact %s: encode scripts: %w", q.ContactID, err)
	}
	res, err := t.tx.ExecContext(ctx, claimInitialSQL, q.ContactID, q.UserID, q.ActionID, string(scripts),
		q.Hours.Start, q.Hours.End, q.OrganizationID, q.Phone, TimeText(q.InitialSince), q.MessageID, q.MutationID,
		q.CampaignID, q.Number)
	if err != nil {
		return false, fmt.Errorf("claim contact %s for a first text: %w", q.ContactID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim contact %s for a first text: %w", q.ContactID, err)
	}
	return n == 1, nil
}
