package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) CreateThread(ctx context.Context, th store.Thread) error {
	t.forgetRoutes(th.ContactPhone, "", "")
	return t.insertOnce(ctx, "create thread "+th.ID, "create thread "+th.ID, `INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id,
		contact_name, contact_phone, sending_number, last_message_at, last_inbound_at, last_outbound_at,
		last_report_at, opted_out, blocked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		th.ID, th.ActionID, th.CampaignID, th.OrganizationID, th.OwnerID, th.ContactName, th.ContactPhone,
		th.SendingNumber, store.TimeText(th.LastMessageAt), store.TimeTextOrNil(th.LastInboundAt), store.TimeTextOrNil(th.LastOutboundAt),
		store.TimeTextOrNil(th.LastReportAt), store.BoolInt(th.OptedOut), store.BoolInt(th.Blocked), store.TimeText(th.CreatedAt))
}

const threadCols = `id, action_id, campaign_id, organization_id, owner_id, contact_name, contact_phone,
	sending_number, last_message_at, last_inbound_at, last_outbound_at, last_report_at, opted_out, blocked, created_at,
	opted_back_in_at, opted_back_in_by, opt_out_undone, reported_through, answered_through`

func scanThread(row interface{ Scan(...any) error }) (store.Thread, error) {
	var th store.Thread
	var lastMsg, created string
	var in, out, rep, through, answered, backIn, backInBy sql.NullString
	var opted, blocked, undone int
	if err := row.Scan(&th.ID, &th.ActionID, &th.CampaignID, &th.OrganizationID, &th.OwnerID, &th.ContactName,
		&th.ContactPhone, &th.SendingNumber, &lastMsg, &in, &out, &rep, &opted, &blocked, &created,
		&backIn, &backInBy, &undone, &through, &answered); err != nil {
		return store.Thread{}, err
	}
	th.OptedOut, th.Blocked, th.OptedBackInBy, th.OptOutUndone = opted == 1, blocked == 1, backInBy.String, undone == 1
	var err error
	if th.LastMessageAt, err = store.ParseTimeText(lastMsg); err != nil {
		return store.Thread{}, err
	}
	if th.CreatedAt, err = store.ParseTimeText(created); err != nil {
		return store.Thread{}, err
	}
	if th.LastInboundAt, err = store.ParseNullTimeText(in); err != nil {
		return store.Thread{}, err
	}
	if th.LastOutboundAt, err = store.ParseNullTimeText(out); err != nil {
		return store.Thread{}, err
	}
	if th.LastReportAt, err = store.ParseNullTimeText(rep); err != nil {
		return store.Thread{}, err
	}
	if th.ReportedThrough, err = store.ParseNullTimeText(through); err != nil {
		return store.Thread{}, err
	}
	if th.AnsweredThrough, err = store.ParseNullTimeText(answered); err != nil {
		return store.Thread{}, err
	}
	th.OptedBackInAt, err = store.ParseNullTimeText(backIn)
	return th, err
}

func (t *tx) queryThreads(ctx context.Context, what, q string, args ...any) ([]store.Thread, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []store.Thread
	for rows.Next() {
		th, err := scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, th)
	}
	return out, rows.Err()
}

func (t *tx) ThreadByID(ctx context.Context, id string) (store.Thread, error) {
	th, err := scanThread(t.queryRow(ctx, `SELECT `+threadCols+` FROM threads WHERE id = ?`, id))
	if err != nil {
		return store.Thread{}, notFound(err, "thread "+id)
	}
	return th, nil
}

func (t *tx) UpdateThread(ctx context.Context, th store.Thread) error {
	res, err := t.exec(ctx, `UPDATE threads SET owner_id = ?, last_message_at = ?, last_inbound_at = ?,
		last_outbound_at = ?, last_report_at = ?, opted_out = ?, blocked = ?, opted_back_in_at = ?, opted_back_in_by = ?,
		opt_out_undone = ?, reported_through = ?, answered_through = ? WHERE id = ?`,
		th.OwnerID, store.TimeText(th.LastMessageAt), store.TimeTextOrNil(th.LastInboundAt), store.TimeTextOrNil(th.LastOutboundAt), store.TimeTextOrNil(th.LastReportAt),
		store.BoolInt(th.OptedOut), store.BoolInt(th.Blocked), store.TimeTextOrNil(th.OptedBackInAt), store.NullIfEmpty(th.OptedBackInBy), store.BoolInt(th.OptOutUndone), store.TimeTextOrNil(th.ReportedThrough), store.TimeTextOrNil(th.AnsweredThrough), th.ID)
	if err != nil {
		return fmt.Errorf("update thread %s: %w", th.ID, err)
	}
	return mustAffect(res, "thread "+th.ID)
}

func (t *tx) RouteThread(ctx context.Context, contactPhone, sendingNumber string) (store.Thread, error) {
	th, err := scanThread(t.queryRow(ctx, `SELECT `+threadCols+` FROM threads
		WHERE contact_phone = ? AND sending_number = ? AND last_outbound_at IS NOT NULL
		ORDER BY last_outbound_at DESC LIMIT 1`, contactPhone, sendingNumber))
	if err != nil {
		return store.Thread{}, notFound(err, fmt.Sprintf("thread of %s texted from %s", contactPhone, sendingNumber))
	}
	return th, nil
}

func (t *tx) ThreadsByPhone(ctx context.Context, orgID, phone string) ([]store.Thread, error) {
	return t.queryThreads(ctx, "threads of "+phone, `SELECT `+threadCols+` FROM threads
		WHERE organization_id = ? AND contact_phone = ? ORDER BY created_at, id`, orgID, phone)
}

func (t *tx) InactiveThreads(ctx context.Context, cutoff time.Time, limit int) ([]store.Thread, error) {
	return t.queryThreads(ctx, "inactive threads", `SELECT `+threadCols+` FROM threads th
		WHERE th.last_message_at < ? AND (th.last_report_at IS NULL OR th.last_report_at < ?)
			AND NOT EXISTS (SELECT 1 FROM inbox_states s WHERE s.user_id = th.owner_id AND s.thread_id = th.id
				AND (s.archived = 1 OR s.unarchived_at >= ?))
		ORDER BY th.last_message_at LIMIT ?`, store.TimeText(cutoff), store.TimeText(cutoff), store.TimeText(cutoff), limit)
}

// CreateMessage inserts m; a text inserted sending (its send claimed it for
// this server's dispatcher) is claimed by this server, as ClaimQueued's.
func (t *tx) CreateMessage(ctx context.Context, m store.Message) error {
	var claimer any
	if m.Status == "sending" {
		claimer = t.key
	}
	// A reply RouteInbound found unstored, under the write lock: its
	// insert cannot collide, and is held like a claimed text's.
	t.forgetRoutes("", m.ProviderID, "")
	reply := m.ProviderID != "" && m.ProviderID == t.unseen
	if reply {
		t.unseen = ""
	}
	return t.insertOnceHeld(ctx, t.claimed || reply, "create message "+m.ID, "create message "+m.ID, `INSERT INTO messages (id, thread_id, direction, body, status, provider_id,
		initial, sender_id, routed_to, error, created_at, sent_at, claimed_by, answers_through) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.ID, m.ThreadID, m.Direction, m.Body, m.Status, store.NullIfEmpty(m.ProviderID), store.BoolInt(m.Initial), store.NullIfEmpty(m.SenderID),
		store.NullIfEmpty(m.RoutedTo), m.Error, store.TimeText(m.CreatedAt), store.TimeTextOrNil(m.SentAt), claimer, store.TimeTextOrNil(m.AnswersThrough))
}

const messageCols = `id, thread_id, direction, body, status, provider_id, initial, sender_id, error, created_at, sent_at`

func scanMessage(row interface{ Scan(...any) error }) (store.Message, error) {
	var m store.Message
	var provider, sender, sent sql.NullString
	var initial int
	var created string
	if err := row.Scan(&m.ID, &m.ThreadID, &m.Direction, &m.Body, &m.Status, &provider, &initial, &sender,
		&m.Error, &created, &sent); err != nil {
		return store.Message{}, err
	}
	m.ProviderID, m.SenderID, m.Initial = provider.String, sender.String, initial == 1
	var err error
	if m.CreatedAt, err = store.ParseTimeText(created); err != nil {
		return store.Message{}, err
	}
	m.SentAt, err = store.ParseNullTimeText(sent)
	return m, err
}

func (t *tx) MessageByID(ctx context.Context, id string) (store.Message, error) {
	m, err := scanMessage(t.queryRow(ctx, `SELECT `+messageCols+` FROM messages WHERE id = ?`, id))
	if err != nil {
		return store.Message{}, notFound(err, "message "+id)
	}
	return m, nil
}

func (t *tx) MessageByProviderID(ctx context.Context, providerID string) (store.Message, error) {
	m, err := scanMessage(t.queryRow(ctx, `SELECT `+messageCols+` FROM messages WHERE provider_id = ?`, providerID))
	if err != nil {
		return store.Message{}, notFound(err, "message with provider id "+providerID)
	}
	return m, nil
}

// SetMessageStatus records a provider's answer; a text set sending is
// claimed by this server (claimed_by, see PendingMessages). A provider id
// another message holds is refused before writing: the unique index's error
// would abort the transaction, which the dispatcher goes on using.
func (t *tx) SetMessageStatus(ctx context.Context, id, status, providerID, errText string, sentAt *time.Time) error {
	if providerID != "" {
		var taken bool
		if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE provider_id = ? AND id <> ?)`,
			providerID, id).Scan(&taken); err != nil {
			return fmt.Errorf("set status of message %s: %w", id, err)
		}
		if taken {
			return fmt.Errorf("message %s provider id %s: %w", id, providerID, store.ErrDuplicate)
		}
	}
	var claimer any
	if status == "sending" {
		claimer = t.key
	}
	res, err := t.exec(ctx, `UPDATE messages SET status = ?, provider_id = COALESCE(?, provider_id),
		error = ?, sent_at = COALESCE(?, sent_at), claimed_by = ? WHERE id = ?`,
		status, store.NullIfEmpty(providerID), errText, store.TimeTextOrNil(sentAt), claimer, id)
	if err != nil {
		return fmt.Errorf("set status of message %s: %w", id, err)
	}
	return mustAffect(res, "message "+id)
}

// InitialSentSince looks up this number's threads in the organization
// (threads_org_phone), then each one's initial texts (messages_thread_initial):
// the cost does not grow with the texts of the window.
func (t *tx) InitialSentSince(ctx context.Context, orgID, phone string, since time.Time) (bool, error) {
	var found bool
	err := t.queryRow(ctx, initialSentSinceSQL, orgID, phone, store.TimeText(since)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("recent initial texts to %s: %w", phone, err)
	}
	return found, nil
}

const initialSentSinceSQL = `SELECT EXISTS (SELECT 1 FROM threads th WHERE th.organization_id = ? AND th.contact_phone = ?
	AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = th.id AND m.initial = 1 AND m.created_at >= ?))`

func (t *tx) CreateReport(ctx context.Context, r store.Report) error {
	vals, err := json.Marshal(r.Values)
	if err != nil {
		return fmt.Errorf("encode report %s: %w", r.ID, err)
	}
	res, err := t.exec(ctx, `INSERT INTO reports (id, thread_id, user_id, field_values, submitted_at, filled_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, r.ID, r.ThreadID, r.UserID, string(vals), store.TimeText(r.SubmittedAt),
		store.TimeTextOrNil(r.FilledAt))
	if err == nil && !inserted(res) {
		return fmt.Errorf("create report %s: %w", r.ID, store.ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create report %s: %w", r.ID, err)
	}
	return nil
}

func (t *tx) ReportByID(ctx context.Context, id string) (store.Report, error) {
	var r store.Report
	var vals, at string
	err := t.queryRow(ctx, `SELECT id, thread_id, user_id, field_values, submitted_at FROM reports
		WHERE id = ?`, id).Scan(&r.ID, &r.ThreadID, &r.UserID, &vals, &at)
	if err != nil {
		return store.Report{}, notFound(err, "report "+id)
	}
	if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
		return store.Report{}, fmt.Errorf("stored values of report %s: %w", id, err)
	}
	r.SubmittedAt, err = store.ParseTimeText(at)
	return r, err
}

func (t *tx) InboxState(ctx context.Context, userID, threadID string) (store.InboxState, error) {
	s := store.InboxState{UserID: userID, ThreadID: threadID}
	var read, unarchived sql.NullString
	var archived int
	err := t.queryRow(ctx, `SELECT last_read_at, archived, archived_reason, unarchived_at FROM inbox_states
		WHERE user_id = ? AND thread_id = ?`, userID, threadID).Scan(&read, &archived, &s.ArchivedReason, &unarchived)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return store.InboxState{}, fmt.Errorf("inbox state of thread %s: %w", threadID, err)
	}
	s.Archived = archived == 1
	if s.LastReadAt, err = store.ParseNullTimeText(read); err != nil {
		return s, err
	}
	s.UnarchivedAt, err = store.ParseNullTimeText(unarchived)
	return s, err
}

func (t *tx) PutInboxState(ctx context.Context, s store.InboxState) error {
	_, err := t.exec(ctx, `INSERT INTO inbox_states (user_id, thread_id, last_read_at, archived, archived_reason, unarchived_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_at = excluded.last_read_at,
		archived = excluded.archived, archived_reason = excluded.archived_reason, unarchived_at = excluded.unarchived_at`,
		s.UserID, s.ThreadID, store.TimeTextOrNil(s.LastReadAt), store.BoolInt(s.Archived), s.ArchivedReason, store.TimeTextOrNil(s.UnarchivedAt))
	if err != nil {
		return fmt.Errorf("put inbox state of thread %s: %w", s.ThreadID, err)
	}
	return nil
}

func (t *tx) Settings(ctx context.Context, userID string) (store.Settings, error) {
	s := store.Settings{UserID: userID}
	var auto int
	err := t.queryRow(ctx, `SELECT auto_archive FROM user_settings WHERE user_id = ?`, userID).Scan(&auto)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return store.Settings{}, fmt.Errorf("settings of %s: %w", userID, err)
	}
	s.AutoArchive = auto == 1
	return s, nil
}

func (t *tx) PutSettings(ctx context.Context, s store.Settings) error {
	_, err := t.exec(ctx, `INSERT INTO user_settings (user_id, auto_archive) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET auto_archive = excluded.auto_archive`, s.UserID, store.BoolInt(s.AutoArchive))
	if err != nil {
		return fmt.Errorf("put settings of %s: %w", s.UserID, err)
	}
	return nil
}

func (t *tx) AddOptOut(ctx context.Context, o store.OptOut) error {
	_, err := t.exec(ctx, store.AddOptOutSQL, o.OrganizationID, o.Phone, o.Reason, store.NullIfEmpty(o.SourceMessageID), store.NullIfEmpty(o.Source), store.TimeText(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("opt out %s: %w", o.Phone, err)
	}
	return nil
}

func (t *tx) IsOptedOut(ctx context.Context, orgID, phone string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM opt_outs WHERE organization_id = ? AND phone = ?`,
		orgID, phone).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("opt-out of %s: %w", phone, err)
	}
	return n > 0, nil
}

func (t *tx) IsBlocked(ctx context.Context, userID, phone string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM blocks WHERE user_id = ? AND phone = ?`,
		userID, phone).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("block of %s: %w", phone, err)
	}
	return n > 0, nil
}

func (t *tx) AddUnroutable(ctx context.Context, u store.Unroutable) error {
	res, err := t.exec(ctx, `INSERT INTO unroutable_messages (id, provider_id, from_phone, to_phone, body, received_at, campaign_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, u.ID, store.NullIfEmpty(u.ProviderID), u.From, u.To, u.Body,
		store.TimeText(u.ReceivedAt), store.NullIfEmpty(u.CampaignID))
	if err == nil && !inserted(res) {
		return fmt.Errorf("unroutable message %s: %w", u.ProviderID, store.ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("store unroutable message from %s: %w", u.From, err)
	}
	return nil
}
