package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// PageResult says what applying a page did.
type PageResult struct {
	Applied    int // changes applied
	Skipped    int // changes of kinds this app version does not know
	NewInbound []NewInbound
	// Reassigned are threads new to the cache that came reassigned; their
	// history (the messages before them in the feed) is not in NewInbound,
	// the replies no one who held them had read are (news).
	Reassigned []NewReassigned
	// OptedBackIn are threads already in the cache, opted out, whose
	// contact an admin opted back in.
	OptedBackIn []NewOptedBackIn
	// Left are the campaigns the cache held that the page deleted: the
	// user is no longer a member (an organizer removed them).
	Left []LeftCampaign
	// ReadOpen: the page brought a reply to the thread on screen, which was
	// marked read in the same transaction (a read mutation now waits in the
	// outbox).
	ReadOpen bool
}

// ApplyPage applies one sync page and stores its cursor, in one transaction:
// a page that fails anywhere changes nothing, and the same page is asked for
// again. Server data replaces optimistic rows with the same id; the effects
// of mutations still in the outbox are laid back over it, so a pull never
// makes an optimistic change flicker away.
func (c *Cache) ApplyPage(ctx context.Context, resp api.SyncResponse) (PageResult, error) {
	return c.ApplyPageReading(ctx, resp, "", time.Time{})
}

// ApplyPageReading is ApplyPage for a window showing thread open ("" for
// none): a new reply the page brings to it is marked read (markReadTx) in
// the same transaction, so no query ever sees the thread on screen unread.
func (c *Cache) ApplyPageReading(ctx context.Context, resp api.SyncResponse, open string, now time.Time) (PageResult, error) {
	res, caughtUp := PageResult{}, false
	err := c.write(ctx, func(tx *sql.Tx) error {
		res, caughtUp = PageResult{}, false
		b := newBatch(tx)
		b.shared, b.index = c.stmts, c.search
		defer b.close()
		p := &pageApply{batch: b, res: &res, holdsLeft: !c.noHolds.Load()}
		if err := p.prefetch(ctx, resp.Changes); err != nil {
			return err
		}
		for i, ch := range resp.Changes {
			p.place = i
			applied, err := p.apply(ctx, ch)
			if err != nil {
				return fmt.Errorf("apply change %d of %d (%s %s, version %d): %w", i+1, len(resp.Changes), ch.Kind, ch.ID, ch.Version, err)
			}
			if applied {
				res.Applied++
			} else {
				res.Skipped++
			}
		}
		// A send still in the outbox keeps its contact out of the queue even
		// if this page re-delivered the assignment.
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE contact_id IN
			(SELECT thread_id FROM outbox WHERE type = ? AND rejected = 0)`, api.MutSendInitial); err != nil {
			return fmt.Errorf("keep pending sends out of the queue: %w", err)
		}
		if err := b.refreshTouched(ctx); err != nil {
			return err
		}
		// Before hidePending deletes threads a pending change hides: those
		// keep their contact for a refusal to bring back.
		for _, id := range p.gone {
			if err := forgetContact(ctx, tx, id); err != nil {
				return err
			}
		}
		// A block or reassign still in the outbox keeps its threads hidden.
		hiddenIDs, err := hidePending(ctx, tx, p.deleted)
		if err != nil {
			return err
		}
		news, err := b.news(ctx, &res, hiddenIDs)
		if err != nil {
			return err
		}
		res.NewInbound = news
		if open != "" && slices.ContainsFunc(news, func(n NewInbound) bool { return n.ThreadID == open }) {
			queued, err := markReadTx(ctx, tx, open, now)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			res.ReadOpen = queued
		}
		if caughtUp, err = c.markCaughtUp(ctx, tx, resp.More); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaCursor, strconv.FormatInt(resp.Cursor, 10)); err != nil {
			return err
		}
		// Under the write lock, as MarkApplied's holds: set before the
		// commit, undone below should the commit fail.
		c.noHolds.Store(!p.holdsLeft)
		return nil
	})
	if err != nil {
		c.noHolds.Store(false) // the holds released may be back
		return PageResult{}, fmt.Errorf("apply sync page up to version %d: %w", resp.Cursor, err)
	}
	if caughtUp {
		c.caughtUp.Store(true) // committed
	}
	return res, nil
}

// pageApply applies the changes of one page through one batch.
type pageApply struct {
	*batch
	res   *PageResult
	known map[string]bool // message ids the cache already held
	// deleted are the threads the page deleted: a pending block or
	// reassign that hid one no longer brings it back (hidePending).
	deleted map[string]bool
	// gone are the contacts whose thread or assignment the page deleted:
	// forgotten at its end unless it held them again (forgetContact).
	gone []string
	// place is the index in the page of the change being applied.
	place int
	// holdsLeft: applied changes may still be held (releaseHolds).
	holdsLeft bool
}

// prefetch asks once, for the whole page, which of its threads and messages
// the cache already has.
func (p *pageApply) prefetch(ctx context.Context, changes []api.Change) error {
	var threads, messages []string
	for _, ch := range changes {
		switch ch.Kind {
		case api.KindThread, api.KindHandover:
			threads = append(threads, ch.ID)
		case api.KindMessage:
			messages = append(messages, ch.ID)
		}
	}
	if err := p.lookup(ctx, threads); err != nil {
		return err
	}
	if err := p.releaseHolds(ctx, threads); err != nil {
		return err
	}
	p.known = map[string]bool{}
	if len(messages) == 0 {
		return nil
	}
	list, err := idList(messages)
	if err != nil {
		return err
	}
	err = p.each(ctx, `SELECT id FROM messages WHERE id IN `+inIDs, []any{list}, func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		p.known[id] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("look up messages: %w", err)
	}
	return nil
}

func (p *pageApply) apply(ctx context.Context, ch api.Change) (bool, error) {
	tx := p.tx
	if ch.ID == "" {
		return false, errors.New("change has no id")
	}
	if !ch.Deleted && len(ch.Data) == 0 {
		return false, errors.New("change has no data")
	}
	switch ch.Kind {
	case api.KindCampaign:
		// Deletes may follow: threads waiting to be inserted go in first.
		if err := p.refreshTouched(ctx); err != nil {
			return false, err
		}
		p.forget()
		if ch.Deleted {
			if err := p.noteLeft(ctx, ch.ID); err != nil {
				return false, err
			}
		}
		return true, applyCampaign(ctx, tx, ch)
	case api.KindAction:
		return true, applyAction(ctx, tx, ch)
	case api.KindAssignment:
		if ch.Deleted {
			p.gone = append(p.gone, ch.ID)
		}
		return true, applyAssignment(ctx, tx, ch)
	case api.KindThread:
		return true, p.applyThread(ctx, ch)
	case api.KindContact:
		// The server's copy now (a column hidden since): it replaces
		// ours. Deleted: the conversation went, and its contact with it.
		if ch.Deleted {
			return true, nil
		}
		var v api.Assignment
		if err := json.Unmarshal(ch.Data, &v); err != nil {
			return false, fmt.Errorf("decode contact %s: %w", ch.ID, err)
		}
		if v.ContactID != ch.ID {
			return false, fmt.Errorf("contact change %s carries contact %q", ch.ID, v.ContactID)
		}
		return true, rememberThreadContact(ctx, tx, ch.ID, string(ch.Data))
	case api.KindHandover:
		return true, p.applyHandover(ctx, ch)
	case api.KindMessage:
		return true, p.applyMessage(ctx, ch)
	case api.KindReport:
		return true, p.applyReport(ctx, ch)
	case api.KindSettings:
		if ch.Deleted {
			_, err := tx.ExecContext(ctx, `DELETE FROM settings`)
			return true, err
		}
		var s api.Settings
		if err := json.Unmarshal(ch.Data, &s); err != nil {
			return false, fmt.Errorf("decode settings: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings(id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data`, string(ch.Data))
		return true, err
	case api.KindProfile:
		return true, applyProfile(ctx, tx, ch)
	}
	// A kind from a newer server: skipping it keeps this app working; it
	// cannot show what it does not know anyway.
	return false, nil
}

// noteLeft records the campaign, if the cache holds it, as one the user
// left, with the name it had: the window names it when it leaves it.
func (p *pageApply) noteLeft(ctx context.Context, id string) error {
	var name string
	err := p.tx.QueryRowContext(ctx, `SELECT name FROM campaigns WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read campaign %s before dropping it: %w", id, err)
	}
	p.res.Left = append(p.res.Left, LeftCampaign{ID: id, Name: name})
	return nil
}

func applyCampaign(ctx context.Context, tx *sql.Tx, ch api.Change) error {
	if ch.Deleted {
		// Membership gone: everything of that campaign goes with it.
		for _, q := range []string{
			`DELETE FROM assignments WHERE action_id IN (SELECT id FROM actions WHERE campaign_id = ?)`,
			`DELETE FROM messages WHERE thread_id IN (SELECT id FROM threads WHERE campaign_id = ?)`,
			`DELETE FROM reports WHERE thread_id IN (SELECT id FROM threads WHERE campaign_id = ?)`,
			`DELETE FROM applied_holds WHERE thread_id IN (SELECT id FROM threads WHERE campaign_id = ?)`,
			`DELETE FROM threads WHERE campaign_id = ?`,
			`DELETE FROM actions WHERE campaign_id = ?`,
			`DELETE FROM known_fields WHERE campaign_id = ?`,
			`DELETE FROM campaigns WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, ch.ID); err != nil {
				return err
			}
		}
		return nil
	}
	var v api.Campaign
	if err := json.Unmarshal(ch.Data, &v); err != nil {
		return fmt.Errorf("decode campaign: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO campaigns(id, name, data, organization_id) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, data = excluded.data, organization_id = excluded.organization_id`,
		ch.ID, v.Name, string(ch.Data), v.OrganizationID)
	return err
}

func applyAction(ctx context.Context, tx *sql.Tx, ch api.Change) error {
	if ch.Deleted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE action_id = ?`, ch.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE id = ?`, ch.ID)
		return err
	}
	var v api.Action
	if err := json.Unmarshal(ch.Data, &v); err != nil {
		return fmt.Errorf("decode action: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO actions(id, campaign_id, type, title, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET campaign_id = excluded.campaign_id, type = excluded.type, title = excluded.title, data = excluded.data`,
		ch.ID, v.CampaignID, v.Type, v.Title, string(ch.Data))
	if err != nil {
		return err
	}
	return rememberFields(ctx, tx, v)
}

// rememberFields keeps each of the action's report fields as now labelled
// (KnownFields); one the action no longer has keeps its last label.
func rememberFields(ctx context.Context, tx *sql.Tx, a api.Action) error {
	for _, f := range a.ReportFields {
		data, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("encode report field: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO known_fields(action_id, campaign_id, key, data) VALUES (?, ?, ?, ?)
			ON CONFLICT(action_id, key) DO UPDATE SET campaign_id = excluded.campaign_id, data = excluded.data`,
			a.ID, a.CampaignID, f.Key, string(data)); err != nil {
			return fmt.Errorf("remember report field %s: %w", f.Key, err)
		}
	}
	return nil
}

func applyAssignment(ctx context.Context, tx *sql.Tx, ch api.Change) error {
	if ch.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE contact_id = ?`, ch.ID)
		return err
	}
	var v api.Assignment
	if err := json.Unmarshal(ch.Data, &v); err != nil {
		return fmt.Errorf("decode assignment: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO assignments(contact_id, action_id, assigned_at, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(contact_id) DO UPDATE SET action_id = excluded.action_id, assigned_at = excluded.assigned_at, data = excluded.data`,
		ch.ID, v.ActionID, nanos(v.AssignedAt), string(ch.Data)); err != nil {
		return err
	}
	return rememberContact(ctx, tx, ch.ID, string(ch.Data))
}
