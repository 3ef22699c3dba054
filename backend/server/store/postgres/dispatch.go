package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/textbank/textbank/backend/server/store"
)

// pendingSQL lists texts in a status without claiming them.
const pendingSQL = `SELECT m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id,
	th.sending_number, th.contact_phone, th.owner_id, th.organization_id
	FROM messages m JOIN threads th ON th.id = m.thread_id
	WHERE m.status = ? ORDER BY m.created_at, m.id LIMIT ?`

// claimQueuedSQL is the dispatcher's claim, in one statement: the oldest
// queued texts (the partial index messages_pending), skipping those another
// server's claim holds locked, so that each is claimed by exactly one
// server, become sending, claimed by this one ($2); each gets a feed row of
// kind $3 at $4 for its owner, in order, and each owner a notification on
// channel $5 (ListenFeed). The update finds them by the primary key (a
// plain status condition could be planned on messages_pending and read the
// whole backlog, TestClaimReadsByKey). Needing no answer before the commit,
// it rides with the group's next statement or COMMIT.
const claimQueuedSQL = `WITH picked AS (
		SELECT id FROM messages WHERE status = 'queued'
		ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE messages m SET status = 'sending', claimed_by = $2 FROM picked WHERE m.id = picked.id
		RETURNING m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id
	), out AS (
		SELECT c.id, c.thread_id, c.body, c.status, c.created_at, c.sender_id,
		th.sending_number, th.contact_phone, th.owner_id, th.organization_id
		FROM claimed c JOIN threads th ON th.id = c.thread_id
	), fed AS (
		INSERT INTO feed (user_id, kind, entity_id, created_at)
		SELECT owner_id, $3, id, $4 FROM out ORDER BY created_at, id
	), told AS (
		SELECT count(pg_notify($5, o.owner_id)) AS n FROM (SELECT DISTINCT owner_id FROM out) o
	)
	SELECT o.id, o.thread_id, o.body, o.status, o.created_at, o.sender_id,
	o.sending_number, o.contact_phone, o.owner_id, o.organization_id
	FROM out o, told ORDER BY o.created_at, o.id`

// ClaimQueued claims up to limit queued texts for this server's dispatcher
// (store.SendPathTx). In an optimistic group the claim is held and got
// called when its answer is read.
func (t *tx) ClaimQueued(ctx context.Context, limit int, feedKind string, at time.Time, got func([]store.Outgoing)) error {
	if t.readOnly {
		return errors.New("claim queued texts: a read-only transaction cannot claim them")
	}
	args := []any{limit, t.key, feedKind, store.TimeText(at), feedChannel}
	scan := func(rows pgx.Rows) error {
		// Held, the claim's rows are read after the statements sent with
		// it, COMMIT perhaps among them, have run: no row may fail the
		// scan then (a text would be claimed and never sent). A created_at
		// that does not parse, which only a hand edit could store, is left
		// zero: it only widens a provider lookup's window to all time.
		list, err := t.scanOutgoing(rows, "claimed", false, false)
		if err != nil {
			return err
		}
		got(list)
		return nil
	}
	if t.deferClaims {
		t.q.holdQuery("claim queued texts", claimQueuedSQL, scan, args...)
		return nil
	}
	rows, err := t.q.Query(ctx, claimQueuedSQL, args...)
	if err == nil {
		err = scan(rows)
	}
	if err != nil {
		return fmt.Errorf("claim queued texts: %w", err)
	}
	return nil
}

// cancelQueuedSQL fails the queued texts of a list of threads
// (messages_thread_initial finds each thread's messages; few are ever
// queued at once).
const cancelQueuedSQL = `UPDATE messages SET status = 'failed', error = ?
	WHERE thread_id = ` + anyIDs + ` AND status = 'queued' RETURNING thread_id, id, created_at`

func (t *tx) CancelQueued(ctx context.Context, threadIDs []string, errText string) (map[string][]string, error) {
	if len(threadIDs) == 0 {
		return map[string][]string{}, nil
	}
	rows, err := t.query(ctx, cancelQueuedSQL, errText, threadIDs)
	if err != nil {
		return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[store.CancelledText])
	if err != nil {
		return nil, fmt.Errorf("cancel queued texts of %d threads: %w", len(threadIDs), err)
	}
	return store.ByThreadOldestFirst(got), nil
}

// PendingMessages lists queued texts, or, for "sending", the texts a
// crashed server left half sent, adopted by this one. In a View they are
// listed without being adopted.
func (t *tx) PendingMessages(ctx context.Context, status string, limit int) ([]store.Outgoing, error) {
	var (
		rows pgx.Rows
		err  error
	)
	switch {
	case status == "queued" || t.readOnly && status == "sending":
		// A look without a claim (a View cannot lock rows).
		rows, err = t.query(ctx, pendingSQL, status, limit)
	case status == "sending":
		return t.adopt(ctx, t.key, limit)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s messages: %w", status, err)
	}
	return t.scanOutgoing(rows, status, true, false)
}

// ownSendingSQL pages through messages_pending's sending texts claimed by
// this server (?1), in the index's order.
const ownSendingSQL = `SELECT m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id,
	th.sending_number, th.contact_phone, th.owner_id, th.organization_id
	FROM messages m JOIN threads th ON th.id = m.thread_id
	WHERE m.status = 'sending' AND m.claimed_by = ? AND (m.created_at, m.id) > (?, ?)
	ORDER BY m.created_at, m.id LIMIT ?`

func (t *tx) OwnSending(ctx context.Context, after store.SendingCursor, limit int) ([]store.Outgoing, error) {
	rows, err := t.query(ctx, ownSendingSQL, t.key, store.TimeText(after.CreatedAt), after.ID, limit)
	if err != nil {
		return nil, fmt.Errorf("this server's texts sending: %w", err)
	}
	// A stored time that does not parse only widens the text's lookup.
	return t.scanOutgoing(rows, "sending", false, false)
}

// sameWordsElsewhereSQL: a text sending other than ?1, with ?2's words from
// ?3 to ?4, claimed under a key not in ?5 (this Store's, every epoch's).
// Its sending texts are few: messages_pending finds them.
const sameWordsElsewhereSQL = `SELECT EXISTS (SELECT 1 FROM messages m JOIN threads th ON th.id = m.thread_id
	WHERE m.status = 'sending' AND m.id <> ? AND m.body = ? AND th.sending_number = ? AND th.contact_phone = ?
	AND m.claimed_by IS NOT NULL AND m.claimed_by <> ALL(?::bigint[]))`

// SameWordsElsewhere (store.Outbox): another server's key on a text, live
// or not, counts: a server whose lock connection was cut may still record
// a call's answer until its texts are taken over (adopt.go). This Store's
// own texts, whatever their epoch, are the dispatcher's to know.
func (t *tx) SameWordsElsewhere(ctx context.Context, o store.Outgoing) (bool, error) {
	var busy bool
	err := t.queryRow(ctx, sameWordsElsewhereSQL, o.ID, o.Body, o.From, o.To, t.s.lease.all()).Scan(&busy)
	if err != nil {
		return false, fmt.Errorf("texts with the words of message %s sending elsewhere: %w", o.ID, err)
	}
	return busy, nil
}

// scanOutgoing reads texts claimed under t.key, as t's lease epoch's;
// givenUp: the rows end with adoptSQL's given_up.
func (t *tx) scanOutgoing(rows pgx.Rows, status string, strictTimes, givenUp bool) ([]store.Outgoing, error) {
	defer rows.Close()
	var out []store.Outgoing
	for rows.Next() {
		var o store.Outgoing
		var created string
		var sender *string
		dest := []any{&o.ID, &o.ThreadID, &o.Body, &o.Status, &created, &sender, &o.From, &o.To, &o.OwnerID, &o.OrganizationID}
		if givenUp {
			dest = append(dest, &o.GivenUp)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("%s messages: %w", status, err)
		}
		if sender != nil {
			o.SenderID = *sender
		}
		o.Direction = "out"
		o.Lease = t.epoch // claimed (or, in a View, held) under t.key
		var err error
		if o.CreatedAt, err = store.ParseTimeText(created); err != nil && strictTimes {
			return nil, fmt.Errorf("%s message %s: %w", status, o.ID, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (t *tx) CountPending(ctx context.Context) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'sending')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unsent messages: %w", err)
	}
	return n, nil
}

func (t *tx) AddMessageMedia(ctx context.Context, messageID string, urls []string) error {
	for i, u := range urls {
		if _, err := t.exec(ctx, `INSERT INTO message_media (message_id, position, url) VALUES (?, ?, ?)`,
			messageID, i, u); err != nil {
			return fmt.Errorf("picture %d of message %s: %w", i, messageID, err)
		}
	}
	return nil
}

func (t *tx) MessageMedia(ctx context.Context, messageID string) ([]string, error) {
	rows, err := t.query(ctx, `SELECT url FROM message_media WHERE message_id = ? ORDER BY position`, messageID)
	if err != nil {
		return nil, fmt.Errorf("pictures of message %s: %w", messageID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("pictures of message %s: %w", messageID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t *tx) SendingNumberCampaign(ctx context.Context, phone string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT campaign_id FROM sending_numbers WHERE phone = ?`, phone).Scan(&id)
	if err != nil {
		return "", notFound(err, "sending number "+phone)
	}
	return id, nil
}

func (t *tx) HandedSince(ctx context.Context, since time.Time, each func(string) bool) error {
	rows, err := t.query(ctx, store.HandedSinceSQL, store.TimeText(since))
	if err != nil {
		return fmt.Errorf("texts handed to a provider since %s: %w", store.TimeText(since), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("texts handed to a provider since %s: %w", store.TimeText(since), err)
		}
		if !each(id) {
			return nil
		}
	}
	return rows.Err()
}

func (t *tx) RecountAnswers(ctx context.Context, messageIDs []string) ([]store.RecountedThread, error) {
	if len(messageIDs) == 0 {
		return nil, nil
	}
	rows, err := t.query(ctx, store.RecountAnswersSQL+`= `+anyIDs+`) RETURNING id, owner_id`, messageIDs)
	if err != nil {
		return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[store.RecountedThread])
	if err != nil {
		return nil, fmt.Errorf("recount the answers of %d texts: %w", len(messageIDs), err)
	}
	return got, nil
}
