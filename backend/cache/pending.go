package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/report"
)

// LocalSettings are the volunteer's settings as the app should show them:
// the server's, with settings changes still in the outbox laid over them.
func (c *Cache) LocalSettings(ctx context.Context) (api.Settings, error) {
	tx, err := c.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return api.Settings{}, fmt.Errorf("read settings: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return settingsTx(ctx, tx)
}

// SetAutoArchive queues a settings change turning Automatic Archive on or
// off. Threads with a report still waiting in the outbox follow at once.
func (c *Cache) SetAutoArchive(ctx context.Context, on bool, now time.Time) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		s, err := settingsTx(ctx, tx)
		if err != nil {
			return err
		}
		s.AutoArchive = on
		m := api.Mutation{Type: api.MutSettings, CreatedAt: now, Settings: &s}
		if err := enqueue(ctx, tx, m, "", ""); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		return refreshThreadsWithPending(ctx, tx, api.MutReport)
	})
}

type txQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryIDs reads the one column of ids a query returns.
func queryIDs(ctx context.Context, q txQuerier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func settingsTx(ctx context.Context, tx txQuerier) (api.Settings, error) {
	var s api.Settings
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM settings WHERE id = 1`).Scan(&data)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if err == nil {
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return s, fmt.Errorf("decode settings: %w", err)
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT payload FROM outbox WHERE type = ? AND rejected = 0 ORDER BY seq DESC LIMIT 1`, api.MutSettings).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read pending settings: %w", err)
	}
	var m api.Mutation
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return s, fmt.Errorf("decode pending settings: %w", err)
	}
	if m.Settings != nil {
		s = *m.Settings
	}
	return s, nil
}

// refreshThreadsWithPending re-derives the threads that have a pending
// mutation of type typ (their effect may depend on what just changed).
func refreshThreadsWithPending(ctx context.Context, tx *sql.Tx, typ string) error {
	ids, err := queryIDs(ctx, tx, `SELECT DISTINCT thread_id FROM outbox WHERE type = ? AND rejected = 0 AND thread_id != ''`, typ)
	if err != nil {
		return fmt.Errorf("threads with pending %s: %w", typ, err)
	}
	for _, id := range ids {
		if err := refreshThread(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// archiveState is the thread's archive state as the server sent it, in the
// inbox's words ("manual" on the wire is "Archived by you").
func archiveState(t api.Thread) inbox.ArchiveState {
	if !t.Archived {
		return inbox.ArchiveState{}
	}
	switch inbox.Reason(t.ArchivedReason) {
	case inbox.AfterReport:
		return inbox.ArchiveState{Archived: true, Reason: inbox.AfterReport}
	case inbox.Inactive:
		return inbox.ArchiveState{Archived: true, Reason: inbox.Inactive}
	}
	return inbox.ArchiveState{Archived: true, Reason: inbox.ByUser}
}

// applyPending lays the effects of t's mutations still in the outbox over
// it, in the order they were made, with the same archive rules the server
// applies when they reach it. t's inbound time must already include local
// messages. autoArchive is the volunteer's Automatic Archive Setting;
// filesTags, by mutation id, the pending replies whose response script
// files report tags (scripttags.go).
func applyPending(t *api.Thread, pending []api.Mutation, autoArchive bool, filesTags map[string]bool) {
	arch := archiveState(*t)
	for _, m := range pending {
		switch m.Type {
		case api.MutRead:
			t.LastReadAt = later(t.LastReadAt, m.At)
		case api.MutReply:
			// It answers the replies the volunteer had when writing it
			// (inbox.Answered), not one that came before it reached the
			// server: the server moves AnsweredThrough so. Its text here
			// already moved the thread's outbound time (deriveThread).
			covers := inbox.AnswerCovers(m.At, m.CreatedAt)
			t.AnsweredThrough = later(t.AnsweredThrough, &covers)
			if filesTags[m.ID] {
				// The server files the script's tags with it, a report
				// deciding the replies it answers (a likely opt-out among
				// them: the banner goes now, not when its thread comes).
				made := m.CreatedAt
				t.LastReportAt = later(t.LastReportAt, &made)
				t.ReportedThrough = later(t.ReportedThrough, &covers)
			}
		case api.MutArchive:
			if m.Archived == nil {
				continue
			}
			if !*m.Archived {
				arch = inbox.ArchiveOn(arch, inbox.UserUnarchive, false)
			} else if inbox.ArchiveHolds(inbox.ArchiveCovers(m.At, m.CreatedAt), t.LastInboundAt) {
				arch = inbox.ArchiveOn(arch, inbox.UserArchive, false)
			}
		case api.MutReport:
			if m.Values[report.OptOut] == "true" {
				// The server opts the number out on it: shown now, so the
				// thread leaves Needs Attention and no reply is queued to it.
				t.OptedOut = true
			}
			// It decides the replies the volunteer had when filling it
			// (inbox.OptOutUndecided), not one that came before it
			// reached the server: the server moves ReportedThrough so.
			covers := inbox.ArchiveCovers(m.At, m.CreatedAt)
			t.ReportedThrough = later(t.ReportedThrough, &covers)
			if report.Archives(m.Values) && inbox.ArchiveHolds(covers, t.LastInboundAt) {
				arch = inbox.ArchiveOn(arch, inbox.Reported, autoArchive)
			}
		}
	}
	t.Archived, t.ArchivedReason = arch.Archived, string(arch.Reason)
}

// ArchivedReasons says why each of the given threads is archived, in the
// inbox's words ("" for one that is not, or is not in the cache).
func (c *Cache) ArchivedReasons(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := c.db.QueryContext(ctx, `SELECT id, archived_reason FROM threads WHERE archived = 1 AND id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read archive reasons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, fmt.Errorf("read archive reasons: %w", err)
		}
		out[id] = reason
	}
	return out, rows.Err()
}
