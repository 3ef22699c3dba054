package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

func (t *sqliteTx) CreateThread(ctx context.Context, th Thread) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id,
		contact_name, contact_phone, sending_number, last_message_at, last_inbound_at, last_outbound_at,
		last_report_at, opted_out, blocked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		th.ID, th.ActionID, th.CampaignID, th.OrganizationID, th.OwnerID, th.ContactName, th.ContactPhone,
		th.SendingNumber, TimeText(th.LastMessageAt), TimeTextOrNil(th.LastInboundAt), TimeTextOrNil(th.LastOutboundAt),
		TimeTextOrNil(th.LastReportAt), BoolInt(th.OptedOut), BoolInt(th.Blocked), TimeText(th.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("create thread %s: %w", th.ID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create thread %s: %w", th.ID, err)
	}
	return nil
}

const threadCols = `id, action_id, campaign_id, organization_id, owner_id, contact_name, contact_phone,
	sending_number, last_message_at, last_inbound_at, last_outbound_at, last_report_at, opted_out, blocked, created_at,
	opted_back_in_at, opted_back_in_by, opt_out_undone, reported_through, answered_through`

func scanThread(row interface{ Scan(...any) error }) (Thread, error) {
	var th Thread
	var lastMsg, created string
	var in, out, rep, through, answered, backIn, backInBy sql.NullString
	var opted, blocked, undone int
	if err := row.Scan(&th.ID, &th.ActionID, &th.CampaignID, &th.OrganizationID, &th.OwnerID, &th.ContactName,
		&th.ContactPhone, &th.SendingNumber, &lastMsg, &in, &out, &rep, &opted, &blocked, &created,
		&backIn, &backInBy, &undone, &through, &answered); err != nil {
		return Thread{}, err
	}
	th.OptedOut, th.Blocked, th.OptedBackInBy, th.OptOutUndone = opted == 1, blocked == 1, backInBy.String, undone == 1
	var err error
	if th.LastMessageAt, err = ParseTimeText(lastMsg); err != nil {
		return Thread{}, err
	}
	if th.CreatedAt, err = ParseTimeText(created); err != nil {
		return Thread{}, err
	}
	if th.LastInboundAt, err = ParseNullTimeText(in); err != nil {
		return Thread{}, err
	}
	if th.LastOutboundAt, err = ParseNullTimeText(out); err != nil {
		return Thread{}, err
	}
	if th.LastReportAt, err = ParseNullTimeText(rep); err != nil {
		return Thread{}, err
	}
	if th.ReportedThrough, err = ParseNullTimeText(through); err != nil {
		return Thread{}, err
	}
	if th.AnsweredThrough, err = ParseNullTimeText(answered); err != nil {
		return Thread{}, err
	}
	th.OptedBackInAt, err = ParseNullTimeText(backIn)
	return th, err
}

func (t *sqliteTx) queryThreads(ctx context.Context, what, q string, args ...any) ([]Thread, error) {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Thread
	for rows.Next() {
		th, err := scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, th)
	}
	return out, rows.Err()
}

func (t *sqliteTx) ThreadByID(ctx context.Context, id string) (Thread, error) {
	th, err := scanThread(t.tx.QueryRowContext(ctx, `SELECT `+threadCols+` FROM threads WHERE id = ?`, id))
	if err != nil {
		return Thread{}, notFound(err, "thread "+id)
	}
	return th, nil
}

func (t *sqliteTx) UpdateThread(ctx context.Context, th Thread) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE threads SET owner_id = ?, last_message_at = ?, last_inbound_at = ?,
		last_outbound_at = ?, last_report_at = ?, opted_out = ?, blocked = ?, opted_back_in_at = ?, opted_back_in_by = ?,
		opt_out_undone = ?, reported_through = ?, answered_through = ? WHERE id = ?`,
		th.OwnerID, TimeText(th.LastMessageAt), TimeTextOrNil(th.LastInboundAt), TimeTextOrNil(th.LastOutboundAt), TimeTextOrNil(th.LastReportAt),
		BoolInt(th.OptedOut), BoolInt(th.Blocked), TimeTextOrNil(th.OptedBackInAt), NullIfEmpty(th.OptedBackInBy), BoolInt(th.OptOutUndone), TimeTextOrNil(th.ReportedThrough), TimeTextOrNil(th.AnsweredThrough), th.ID)
	if err != nil {
		return fmt.Errorf("update thread %s: %w", th.ID, err)
	}
	return mustAffect(res, "thread "+th.ID)
}

func (t *sqliteTx) RouteThread(ctx context.Context, contactPhone, sendingNumber string) (Thread, error) {
	th, err := scanThread(t.tx.QueryRowContext(ctx, `SELECT `+threadCols+` FROM threads
		WHERE contact_phone = ? AND sending_number = ? AND last_outbound_at IS NOT NULL
		ORDER BY last_outbound_at DESC LIMIT 1`, contactPhone, sendingNumber))
	if err != nil {
		return Thread{}, notFound(err, fmt.Sprintf("thread of %s texted from %s", contactPhone, sendingNumber))
	}
	return th, nil
}

func (t *sqliteTx) ThreadsByPhone(ctx context.Context, orgID, phone string) ([]Thread, error) {
	return t.queryThreads(ctx, "threads of "+phone, `SELECT `+threadCols+` FROM threads
		WHERE organization_id = ? AND contact_phone = ? ORDER BY created_at, id`, orgID, phone)
}

func (t *sqliteTx) InactiveThreads(ctx context.Context, cutoff time.Time, limit int) ([]Thread, error) {
	return t.queryThreads(ctx, "inactive threads", `SELECT `+threadCols+` FROM threads th
		WHERE th.last_message_at < ? AND (th.last_report_at IS NULL OR th.last_report_at < ?)
			AND NOT EXISTS (SELECT 1 FROM inbox_states s WHERE s.user_id = th.owner_id AND s.thread_id = th.id
				AND (s.archived = 1 OR s.unarchived_at >= ?))
		ORDER BY th.last_message_at LIMIT ?`, TimeText(cutoff), TimeText(cutoff), TimeText(cutoff), limit)
}

func (t *sqliteTx) CreateMessage(ctx context.Context, m Message) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO messages (id, thread_id, direction, body, status, provider_id,
		initial, sender_id, routed_to, error, created_at, sent_at, answers_through) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.ThreadID, m.Direction, m.Body, m.Status, NullIfEmpty(m.ProviderID), BoolInt(m.Initial), NullIfEmpty(m.SenderID),
		NullIfEmpty(m.RoutedTo), m.Error, TimeText(m.CreatedAt), TimeTextOrNil(m.SentAt), TimeTextOrNil(m.AnswersThrough))
	if isUnique(err) {
		return fmt.Errorf("create message %s: %w", m.ID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create message %s: %w", m.ID, err)
	}
	return nil
}

const messageCols = `id, thread_id, direction, body, status, provider_id, initial, sender_id, error, created_at, sent_at`

func scanMessage(row interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var provider, sender, sent sql.NullString
	var initial int
	var created string
	if err := row.Scan(&m.ID, &m.ThreadID, &m.Direction, &m.Body, &m.Status, &provider, &initial, &sender,
		&m.Error, &created, &sent); err != nil {
		return Message{}, err
	}
	m.ProviderID, m.SenderID, m.Initial = provider.String, sender.String, initial == 1
	var err error
	if m.CreatedAt, err = ParseTimeText(created); err != nil {
		return Message{}, err
	}
	m.SentAt, err = ParseNullTimeText(sent)
	return m, err
}

func (t *sqliteTx) MessageByID(ctx context.Context, id string) (Message, error) {
	m, err := scanMessage(t.tx.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE id = ?`, id))
	if err != nil {
		return Message{}, notFound(err, "message "+id)
	}
	return m, nil
}

func (t *sqliteTx) MessageByProviderID(ctx context.Context, providerID string) (Message, error) {
	m, err := scanMessage(t.tx.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE provider_id = ?`, providerID))
	if err != nil {
		return Message{}, notFound(err, "message with provider id "+providerID)
	}
	return m, nil
}

func (t *sqliteTx) SetMessageStatus(ctx context.Context, id, status, providerID, errText string, sentAt *time.Time) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE messages SET status = ?, provider_id = COALESCE(?, provider_id),
		error = ?, sent_at = COALESCE(?, sent_at) WHERE id = ?`, status, NullIfEmpty(providerID), errText, TimeTextOrNil(sentAt), id)
	if isUnique(err) {
		return fmt.Errorf("message %s provider id %s: %w", id, providerID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("set status of message %s: %w", id, err)
	}
	return mustAffect(res, "message "+id)
}

// InitialSentSince looks up this number's threads (threads_route, which
// leads with the number) and keeps the organization's, then each one's
// initial texts (messages_thread_initial): the cost does not grow with the
// texts of the window.
func (t *sqliteTx) InitialSentSince(ctx context.Context, orgID, phone string, since time.Time) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, initialSentSinceSQL, orgID, phone, TimeText(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("recent initial texts to %s: %w", phone, err)
	}
	return n > 0, nil
}

const initialSentSinceSQL = `SELECT ` + recentInitialSQL

// recentInitialSQL is true when organization ?1 sent phone ?2 an initial
// text at or after ?3 (the 6-hour lock): the number's few threads by
// threads_route, the newest initial text of each by
// messages_thread_initial. That newest text is a scalar MAX rather than an
// EXISTS nested in the threads' EXISTS: SQLite (3.54) compiled a statement
// holding such a nested EXISTS again on every run (perf: sqlite3_step ->
// sqlite3Reprepare), which cost several times running it.
const recentInitialSQL = `EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = ?2 AND th.organization_id = ?1
	AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?3)`

func (t *sqliteTx) CreateReport(ctx context.Context, r Report) error {
	vals, err := json.Marshal(r.Values)
	if err != nil {
		return fmt.Errorf("encode report %s: %w", r.ID, err)
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO reports (id, thread_id, user_id, field_values, submitted_at, filled_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ID, r.ThreadID, r.UserID, string(vals), TimeText(r.SubmittedAt), TimeTextOrNil(r.FilledAt))
	if isUnique(err) {
		return fmt.Errorf("create report %s: %w", r.ID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("create report %s: %w", r.ID, err)
	}
	return nil
}

func (t *sqliteTx) ReportByID(ctx context.Context, id string) (Report, error) {
	var r Report
	var vals, at string
	err := t.tx.QueryRowContext(ctx, `SELECT id, thread_id, user_id, field_values, submitted_at FROM reports
		WHERE id = ?`, id).Scan(&r.ID, &r.ThreadID, &r.UserID, &vals, &at)
	if err != nil {
		return Report{}, notFound(err, "report "+id)
	}
	if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
		return Report{}, fmt.Errorf("stored values of report %s: %w", id, err)
	}
	r.SubmittedAt, err = ParseTimeText(at)
	return r, err
}

func (t *sqliteTx) InboxState(ctx context.Context, userID, threadID string) (InboxState, error) {
	s := InboxState{UserID: userID, ThreadID: threadID}
	var read, unarchived sql.NullString
	var archived int
	err := t.tx.QueryRowContext(ctx, `SELECT last_read_at, archived, archived_reason, unarchived_at FROM inbox_states
		WHERE user_id = ? AND thread_id = ?`, userID, threadID).Scan(&read, &archived, &s.ArchivedReason, &unarchived)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return InboxState{}, fmt.Errorf("inbox state of thread %s: %w", threadID, err)
	}
	s.Archived = archived == 1
	if s.LastReadAt, err = ParseNullTimeText(read); err != nil {
		return s, err
	}
	s.UnarchivedAt, err = ParseNullTimeText(unarchived)
	return s, err
}

func (t *sqliteTx) PutInboxState(ctx context.Context, s InboxState) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO inbox_states (user_id, thread_id, last_read_at, archived, archived_reason, unarchived_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_at = excluded.last_read_at,
		archived = excluded.archived, archived_reason = excluded.archived_reason, unarchived_at = excluded.unarchived_at`,
		s.UserID, s.ThreadID, TimeTextOrNil(s.LastReadAt), BoolInt(s.Archived), s.ArchivedReason, TimeTextOrNil(s.UnarchivedAt))
	if err != nil {
		return fmt.Errorf("put inbox state of thread %s: %w", s.ThreadID, err)
	}
	return nil
}

func (t *sqliteTx) Settings(ctx context.Context, userID string) (Settings, error) {
	s := Settings{UserID: userID}
	var auto int
	err := t.tx.QueryRowContext(ctx, `SELECT auto_archive FROM user_settings WHERE user_id = ?`, userID).Scan(&auto)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("settings of %s: %w", userID, err)
	}
	s.AutoArchive = auto == 1
	return s, nil
}

func (t *sqliteTx) PutSettings(ctx context.Context, s Settings) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO user_settings (user_id, auto_archive) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET auto_archive = excluded.auto_archive`, s.UserID, BoolInt(s.AutoArchive))
	if err != nil {
		return fmt.Errorf("put settings of %s: %w", s.UserID, err)
	}
	return nil
}

func (t *sqliteTx) AddOptOut(ctx context.Context, o OptOut) error {
	_, err := t.tx.ExecContext(ctx, AddOptOutSQL, o.OrganizationID, o.Phone, o.Reason, NullIfEmpty(o.SourceMessageID), NullIfEmpty(o.Source), TimeText(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("opt out %s: %w", o.Phone, err)
	}
	return nil
}

func (t *sqliteTx) IsOptedOut(ctx context.Context, orgID, phone string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM opt_outs WHERE organization_id = ? AND phone = ?`,
		orgID, phone).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("opt-out of %s: %w", phone, err)
	}
	return n > 0, nil
}

func (t *sqliteTx) IsBlocked(ctx context.Context, userID, phone string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocks WHERE user_id = ? AND phone = ?`,
		userID, phone).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("block of %s: %w", phone, err)
	}
	return n > 0, nil
}

func (t *sqliteTx) AddUnroutable(ctx context.Context, u Unroutable) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO unroutable_messages (id, provider_id, from_phone, to_phone, body, received_at, campaign_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, NullIfEmpty(u.ProviderID), u.From, u.To, u.Body, TimeText(u.ReceivedAt), NullIfEmpty(u.CampaignID))
	if isUnique(err) {
		return fmt.Errorf("unroutable message %s: %w", u.ProviderID, ErrDuplicate)
	}
	if err != nil {
		return fmt.Errorf("store unroutable message from %s: %w", u.From, err)
	}
	return nil
}
