package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// A sync page's conversation changes: threads, their messages and reports.

func (p *pageApply) applyThread(ctx context.Context, ch api.Change) error {
	if ch.Deleted {
		// Only this thread goes (its row, messages and reports): what the
		// batch knows of the others still holds.
		p.forgetThread(ch.ID)
		if p.deleted == nil {
			p.deleted = map[string]bool{}
		}
		p.deleted[ch.ID] = true
		p.gone = append(p.gone, ch.ID)
		return deleteThread(ctx, p.tx, ch.ID)
	}
	var v api.Thread
	if err := json.Unmarshal(ch.Data, &v); err != nil {
		return fmt.Errorf("decode thread: %w", err)
	}
	var raw []byte
	if v.ID == ch.ID {
		raw = ch.Data // stored as sent: no need to encode it again
	}
	v.ID = ch.ID
	// Known since prefetch, unless a deletion on the page made the batch
	// forget: then "new to the cache" is asked again.
	if err := p.lookup(ctx, []string{v.ID}); err != nil {
		return err
	}
	if r := v.Reassigned; r != nil && p.exists[v.ID] == nil {
		if _, ok := p.handedAt[v.ID]; !ok {
			p.handedAt[v.ID] = p.place
		}
		p.res.Reassigned = append(p.res.Reassigned, NewReassigned{ThreadID: v.ID, CampaignID: v.CampaignID, ContactName: v.ContactName,
			ContactPhone: v.ContactPhone, FromName: r.FromUserName, Note: r.Note, At: r.At})
	}
	if b := v.OptedBackIn; b != nil && !v.OptedOut {
		if was := p.exists[v.ID]; was != nil && was.optedOut {
			p.res.OptedBackIn = append(p.res.OptedBackIn, NewOptedBackIn{ThreadID: v.ID, CampaignID: v.CampaignID,
				ContactName: v.ContactName, ContactPhone: v.ContactPhone, ByName: b.ByName, At: b.At, Undone: b.Undone})
		}
	}
	return p.upsertThread(ctx, v, raw, true, true)
}

// applyHandover drops the thread a hand-back (api.Handover) brings again,
// if the cache holds it still from before it went (the app did not sync
// while someone else held it): the rows after it then read as a hand-over
// of a thread new to the cache, its history as history, the hand-back
// announced (applyThread, news), on this page or over several. Only the
// thread's row goes: its messages and reports, history sent again after
// this row, stay, and so do changes still in the outbox. Nor is the
// contact forgotten: the thread comes back.
func (p *pageApply) applyHandover(ctx context.Context, ch api.Change) error {
	if ch.Deleted {
		return nil
	}
	if err := p.lookup(ctx, []string{ch.ID}); err != nil || p.exists[ch.ID] == nil {
		return err
	}
	// Only this row goes (its messages and reports stay), so the batch
	// forgets only this thread: a page of many hand-backs is not flushed
	// and looked up again at each.
	p.forgetThread(ch.ID)
	if _, err := p.exec(ctx, `DELETE FROM threads WHERE id = ?`, ch.ID); err != nil {
		return fmt.Errorf("drop thread %s handed back: %w", ch.ID, err)
	}
	return nil
}

func (p *pageApply) applyMessage(ctx context.Context, ch api.Change) error {
	if ch.Deleted {
		return p.deleteChild(ctx, "messages", ch.ID)
	}
	var m api.Message
	if err := json.Unmarshal(ch.Data, &m); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	if m.ThreadID == "" {
		return errors.New("message has no thread id")
	}
	// The server's copy settles it: no longer pending, no local error.
	if _, err := p.exec(ctx, `INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at, pending, error, likely_opt_out,
		  sent_by, sent_by_name)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET thread_id = excluded.thread_id, direction = excluded.direction, body = excluded.body,
		  status = excluded.status, initial = excluded.initial, created_at = excluded.created_at, pending = 0, error = '',
		  likely_opt_out = excluded.likely_opt_out, sent_by = excluded.sent_by, sent_by_name = excluded.sent_by_name`,
		ch.ID, m.ThreadID, m.Direction, m.Body, m.Status, boolInt(m.Initial), nanos(m.CreatedAt), boolInt(m.LikelyOptOut),
		m.SentBy, m.SentByName); err != nil {
		return err
	}
	p.touch(m.ThreadID)
	if !p.known[ch.ID] && m.Direction == api.DirInbound {
		p.res.NewInbound = append(p.res.NewInbound, NewInbound{ThreadID: m.ThreadID, MessageID: ch.ID, Body: m.Body, At: m.CreatedAt})
		p.arrived[ch.ID] = p.place
	}
	p.known[ch.ID] = true
	return nil
}

// deleteChild deletes a message or report and marks its thread for refresh.
func (p *pageApply) deleteChild(ctx context.Context, table, id string) error {
	var threadID string
	err := p.tx.QueryRowContext(ctx, `SELECT thread_id FROM `+table+` WHERE id = ?`, id).Scan(&threadID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	p.touch(threadID)
	_, err = p.tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, id)
	return err
}

func (p *pageApply) applyReport(ctx context.Context, ch api.Change) error {
	if ch.Deleted {
		return p.deleteChild(ctx, "reports", ch.ID)
	}
	var r api.Report
	if err := json.Unmarshal(ch.Data, &r); err != nil {
		return fmt.Errorf("decode report: %w", err)
	}
	if r.ThreadID == "" {
		return errors.New("report has no thread id")
	}
	p.touch(r.ThreadID)
	_, err := p.exec(ctx, `INSERT INTO reports(id, thread_id, submitted_at, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET thread_id = excluded.thread_id, submitted_at = excluded.submitted_at, data = excluded.data`,
		ch.ID, r.ThreadID, nanos(r.SubmittedAt), string(ch.Data))
	return err
}
