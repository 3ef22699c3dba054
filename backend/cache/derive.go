package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// refreshThread recomputes one thread's derived columns.
func refreshThread(ctx context.Context, tx *sql.Tx, id string) error {
	b := newBatch(tx)
	defer b.close()
	return b.refresh(ctx, []string{id})
}

// refreshTouched recomputes the derived columns of every thread the batch
// touched.
func (b *batch) refreshTouched(ctx context.Context) error {
	ids := b.touched
	b.touched, b.isTouch = nil, map[string]bool{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		if err := b.refresh(ctx, chunk); err != nil {
			return err
		}
	}
	return nil
}

// localFacts is what the cache knows about a thread beyond its base state.
type localFacts struct {
	lastOut, lastReport sql.NullInt64 // lastOut: of the texts that went (answered)
	outbound            int           // outbound messages here, whatever became of them
	lastLikelyOptOut    sql.NullInt64 // latest inbound flagged as a likely opt-out
	lastBody            string
	lastAt              sql.NullInt64
	pending             []api.Mutation // in outbox order
	autoArchive         bool           // the volunteer's Automatic Archive Setting
	// filesTags says, by mutation id, whether each pending reply naming a
	// response script files report tags (scripttags.go).
	filesTags map[string]bool
	// numberOptedOut: a report tagging Opt Out on another thread of the
	// number waits in the outbox (loadNumberOptOuts).
	numberOptedOut bool
}

// deriveThread merges base state and local facts into the stored columns.
func deriveThread(t api.Thread, f localFacts) derived {
	// Not moved by the thread's inbound messages: the server's time counts
	// only replies that were new work (inbox.ReplyIsNewWork), and an
	// opted-out contact's START is a message here all the same.
	//
	// The server moves its time when a text is accepted, not back when the
	// text fails: with the thread's texts here, the contact got an answer
	// only if one of them went, so a failed reply leaves the thread needing
	// attention.
	if f.outbound > 0 {
		t.LastOutboundAt = fromNull(f.lastOut)
	}
	if t.ReportedThrough == nil {
		// From a server before reports said which replies they decide
		// (or a thread stored here before): a report decided what came
		// before it was filed, as it did there.
		t.ReportedThrough = t.LastReportAt
	}
	// Reports here count for the "no report" half of Needs Attention, not
	// for which replies they decide: one filled offline is dated by this
	// clock, and comes here before the server's thread says how far it
	// reached (applyPending lays that over).
	t.LastReportAt = later(t.LastReportAt, fromNull(f.lastReport))
	applyPending(&t, f.pending, f.autoArchive, f.filesTags)
	t.OptedOut = t.OptedOut || f.numberOptedOut
	lastMessageAt := t.LastMessageAt
	if at := fromNull(f.lastAt); at != nil && at.After(lastMessageAt) {
		lastMessageAt = *at
	}
	s := InboxState(t)
	s.LastLikelyOptOutAt = fromNull(f.lastLikelyOptOut)
	return derived{
		lastMessageAt: nanos(lastMessageAt), lastBody: f.lastBody,
		in: nullNanos(t.LastInboundAt), out: nullNanos(t.LastOutboundAt), read: nullNanos(t.LastReadAt), report: nullNanos(t.LastReportAt),
		archived: boolInt(t.Archived), optedOut: boolInt(t.OptedOut), blocked: boolInt(t.Blocked),
		unread: boolInt(inbox.IsUnread(s)), attention: boolInt(inbox.NeedsAttentionNow(s)), optOutUndecided: boolInt(inbox.OptOutUndecided(s)),
		unanswered: boolInt(!inbox.Answered(s)), reason: t.ArchivedReason, reassignedFrom: reassignedFrom(t),
	}
}

// reassignedFrom is who handed the thread to its owner ("" if nobody did,
// "someone" if their name is unknown).
func reassignedFrom(t api.Thread) string {
	switch {
	case t.Reassigned == nil:
		return ""
	case t.Reassigned.FromUserName == "":
		return "someone"
	}
	return t.Reassigned.FromUserName
}

// InboxState reads the inbox rules' inputs off a thread.
func InboxState(t api.Thread) inbox.State {
	return inbox.State{
		ActionType:      t.ActionType,
		Archived:        t.Archived,
		OptedOut:        t.OptedOut,
		Blocked:         t.Blocked,
		LastInboundAt:   t.LastInboundAt,
		LastOutboundAt:  t.LastOutboundAt,
		LastReadAt:      t.LastReadAt,
		LastReportAt:    t.LastReportAt,
		ReportedThrough: t.ReportedThrough,
		AnsweredThrough: t.AnsweredThrough,
	}
}

// refresh recomputes the derived columns of up to 500 threads with six
// queries for all of them, then writes each thread whose columns changed:
// only the unindexed ones when that is all that changed, so the indexes and
// counts are left alone.
func (b *batch) refresh(ctx context.Context, ids []string) error {
	list, err := idList(ids)
	if err != nil {
		return err
	}
	// Base state and current columns of threads this batch did not write.
	var unknown []string
	for _, id := range ids {
		if _, pending := b.pending[id]; pending {
			continue
		}
		if _, ok := b.base[id]; !ok || b.written[id] == nil {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		if err := b.loadThreads(ctx, unknown); err != nil {
			return err
		}
	}
	facts := make(map[string]*localFacts, len(ids))
	for _, id := range ids {
		if _, ok := b.base[id]; ok {
			facts[id] = &localFacts{}
		}
	}
	if len(facts) == 0 {
		return nil // messages of threads not (yet) visible: nothing to derive
	}
	// Messages the server refused or failed to send, or the carrier could
	// not deliver, are no answer to anyone; the count says whether the
	// thread's texts are here to judge by (deriveThread).
	err = b.each(ctx, `SELECT thread_id, direction, MAX(CASE WHEN `+inbox.AnsweredSQL+` THEN created_at END),
		MAX(CASE WHEN likely_opt_out = 1 AND `+inbox.AnsweredSQL+` THEN created_at END), COUNT(*) FROM messages
		WHERE thread_id IN `+inIDs+` GROUP BY thread_id, direction`, []any{list},
		func(rows *sql.Rows) error {
			var id, dir string
			var at, likely sql.NullInt64
			var n int
			if err := rows.Scan(&id, &dir, &at, &likely, &n); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				switch dir {
				case api.DirInbound:
					f.lastLikelyOptOut = likely
				case api.DirOutbound:
					f.lastOut, f.outbound = at, n
				}
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: message times: %w", err)
	}
	err = b.each(ctx, `SELECT j.value, m.body, m.created_at FROM json_each(?) j
		JOIN messages m ON m.rowid = (SELECT rowid FROM messages WHERE thread_id = j.value ORDER BY created_at DESC, rowid DESC LIMIT 1)`,
		[]any{list}, func(rows *sql.Rows) error {
			var id, body string
			var at sql.NullInt64
			if err := rows.Scan(&id, &body, &at); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				f.lastBody, f.lastAt = body, at
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: last message: %w", err)
	}
	err = b.each(ctx, `SELECT thread_id, MAX(submitted_at) FROM reports WHERE thread_id IN `+inIDs+` GROUP BY thread_id`,
		[]any{list}, func(rows *sql.Rows) error {
			var id string
			var at sql.NullInt64
			if err := rows.Scan(&id, &at); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				f.lastReport = at
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: report times: %w", err)
	}
	// Changes applied whose thread has not come yet (holds.go), then those
	// still to send, in the order they were made.
	err = b.each(ctx, `SELECT thread_id, payload, script_tags FROM (
			SELECT seq, thread_id, payload, script_tags FROM applied_holds WHERE thread_id IN `+inIDs+`
			UNION ALL SELECT seq, thread_id, payload, script_tags FROM outbox WHERE thread_id IN `+inIDs+` AND rejected = 0)
		ORDER BY seq`,
		[]any{list, list}, func(rows *sql.Rows) error {
			var id, payload string
			var tags sql.NullInt64
			if err := rows.Scan(&id, &payload, &tags); err != nil {
				return err
			}
			var m api.Mutation
			if err := json.Unmarshal([]byte(payload), &m); err != nil {
				return fmt.Errorf("decode pending mutation: %w", err)
			}
			if f := facts[id]; f != nil {
				f.pending = append(f.pending, m)
				if tags.Valid {
					f.tellTags(m.ID, tags.Int64 == 1)
				}
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: pending effects: %w", err)
	}
	if err := b.loadAutoArchive(ctx, facts); err != nil {
		return err
	}
	if err := b.loadNumberOptOuts(ctx, facts); err != nil {
		return err
	}
	if err := b.loadScriptTags(ctx, ids, facts); err != nil {
		return err
	}
	for _, id := range ids {
		f := facts[id]
		if f == nil {
			continue
		}
		t := b.base[id]
		d := deriveThread(t, *f)
		b.shown[id] = shownThread{name: t.ContactName, phone: t.ContactPhone, campaign: t.CampaignID, blocked: d.blocked == 1, optedOut: d.optedOut == 1}
		if p, pending := b.pending[id]; pending {
			delete(b.pending, id)
			if err := b.insertThread(ctx, t, p.raw, p.fromServer, d); err != nil {
				return err
			}
			continue
		}
		old := b.written[id]
		switch {
		case old != nil && *old == d:
			continue
		case old != nil && old.indexedEqual(d):
			_, err = b.exec(ctx, `UPDATE threads SET last_message_body = ?, last_inbound_at = ?, last_outbound_at = ?,
					last_read_at = ?, last_report_at = ?, opted_out = ?, blocked = ?, archived_reason = ?, reassigned_from = ?,
					opt_out_undecided = ?, unanswered = ? WHERE id = ?`,
				d.lastBody, d.in, d.out, d.read, d.report, d.optedOut, d.blocked, d.reason, d.reassignedFrom, d.optOutUndecided, d.unanswered, id)
		default:
			_, err = b.exec(ctx, `UPDATE threads SET last_message_at = ?, last_message_body = ?,
					last_inbound_at = ?, last_outbound_at = ?, last_read_at = ?, last_report_at = ?,
					archived = ?, opted_out = ?, blocked = ?, unread = ?, needs_attention = ?, archived_reason = ?, reassigned_from = ?,
					opt_out_undecided = ?, unanswered = ?
				WHERE id = ?`,
				d.lastMessageAt, d.lastBody, d.in, d.out, d.read, d.report,
				d.archived, d.optedOut, d.blocked, d.unread, d.attention, d.reason, d.reassignedFrom, d.optOutUndecided, d.unanswered, id)
		}
		if err != nil {
			return fmt.Errorf("refresh thread %s: %w", id, err)
		}
		b.written[id] = &d
	}
	return nil
}

// loadAutoArchive gives the facts of threads with a pending report the
// Automatic Archive Setting, read once per batch.
func (b *batch) loadAutoArchive(ctx context.Context, facts map[string]*localFacts) error {
	for _, f := range facts {
		if !slices.ContainsFunc(f.pending, func(m api.Mutation) bool { return m.Type == api.MutReport }) {
			continue
		}
		if b.autoArchive == nil {
			s, err := settingsTx(ctx, b.tx)
			if err != nil {
				return fmt.Errorf("refresh threads: settings: %w", err)
			}
			b.autoArchive = &s.AutoArchive
		}
		f.autoArchive = *b.autoArchive
	}
	return nil
}

// loadThreads reads base state and current derived columns of threads.
func (b *batch) loadThreads(ctx context.Context, ids []string) error {
	list, err := idList(ids)
	if err != nil {
		return err
	}
	err = b.each(ctx, `SELECT id, data, contact_name, contact_phone, last_message_at, last_message_body, last_inbound_at, last_outbound_at,
			last_read_at, last_report_at, archived, opted_out, blocked, unread, needs_attention, archived_reason, reassigned_from,
			opt_out_undecided, unanswered FROM threads WHERE id IN `+inIDs,
		[]any{list}, func(rows *sql.Rows) error {
			var id, data string
			var np namePhone
			var d derived
			if err := rows.Scan(&id, &data, &np.name, &np.phone, &d.lastMessageAt, &d.lastBody, &d.in, &d.out, &d.read, &d.report,
				&d.archived, &d.optedOut, &d.blocked, &d.unread, &d.attention, &d.reason, &d.reassignedFrom,
				&d.optOutUndecided, &d.unanswered); err != nil {
				return err
			}
			var t api.Thread
			if err := json.Unmarshal([]byte(data), &t); err != nil {
				return fmt.Errorf("decode thread %s: %w", id, err)
			}
			np.optedOut = d.optedOut == 1
			b.base[id], b.written[id], b.exists[id] = t, &d, &np
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: %w", err)
	}
	return nil
}

// each runs a prepared query and calls fn on every row.
func (b *batch) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	s, err := b.stmt(ctx, query)
	if err != nil {
		return err
	}
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
