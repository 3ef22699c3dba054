package client

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/report"
)

// Outbox lists what is still waiting for the server and what it refused.
func (c *Client) Outbox(ctx context.Context) ([]PendingMutation, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return nil, err
	}
	rows, err := ch.Outbox(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PendingMutation, 0, len(rows))
	names := newFieldNames(ch)
	for _, r := range rows {
		m := r.Mutation
		if m.Type == api.MutRead {
			continue // housekeeping, not something the volunteer did; not counted in Status.Pending either
		}
		p := PendingMutation{
			ID: m.ID, Type: m.Type, Summary: summarize(m, contactLabel(r.ContactName, r.ContactPhone)),
			CreatedAt: r.CreatedAt, Attempts: r.Attempts, Rejected: r.Rejected,
			ThreadID: r.ThreadID, CampaignID: r.CampaignID,
		}
		if r.Rejected {
			p.Reason = names.reason(ctx, m, r.ThreadID, r.Code, r.Reason)
			p.Said = names.writtenIn(ctx, r)
		} else {
			p.Faults, p.Discardable = r.Faults, cache.Discardable(r, c.now())
		}
		out = append(out, p)
	}
	return out, nil
}

// DismissRejected removes a refused change from the outbox once the
// volunteer has read why; a refused reply stays in its thread, marked failed
// with the words the Outbox said (not the server's own, which may name ids).
// Only refused entries can be dismissed: pending ones are still on their way.
func (c *Client) DismissRejected(ctx context.Context, id string) error {
	ch, _, _, err := c.state()
	if err != nil {
		return err
	}
	rows, err := ch.Outbox(ctx)
	if err != nil {
		return err
	}
	words := ""
	for _, r := range rows {
		if r.Mutation.ID == id && r.Rejected {
			words = volunteerReason(r.Mutation.Type, r.Code, r.Reason)
		}
	}
	if err := ch.DismissRejected(ctx, id, words); err != nil {
		return err
	}
	c.cfg.Notify(Event{Name: EventInboxChanged, Payload: InboxChange{}})
	return nil
}

// DiscardedWords is what a discarded change's reply says in its thread
// (as a refused one says the server's reason), after the thread's "Not sent: ".
const DiscardedWords = "you discarded it after the campaign server failed to save it"

// now is the client's clock (Config.Now): the outbox's and the sign-in's idle end's.
func (c *Client) now() time.Time {
	if c.cfg.Now != nil {
		return c.cfg.Now()
	}
	return time.Now()
}

// DiscardFailing gives up on a change the campaign server keeps failing
// (PendingMutation.Discardable) at the volunteer's word: it never reaches
// the server, what it showed is rolled back (a reply stays in its thread,
// marked not sent; a first text's contact returns to the queue), and the
// changes queued after it, which it held back, go at once. Any other change
// is refused, in words, with nothing changed.
func (c *Client) DiscardFailing(ctx context.Context, id string) error {
	_, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	r, threads, err := eng.Discard(ctx, id, DiscardedWords)
	switch {
	case errors.Is(err, cache.ErrNotFound):
		return userError("That change is no longer waiting: it has reached the campaign server or was discarded already")
	case errors.Is(err, cache.ErrNotFailing):
		return userError("Only a change the campaign server has failed to save for some minutes can be discarded; this one is still on its way")
	case errors.Is(err, cache.ErrReachedServer):
		// Saved though the server answered with a fault: it left the
		// outbox as saved, shown as the server has it.
		c.changed(eng, InboxChange{ThreadIDs: threads, Queue: r.Type == api.MutSendInitial})
		return userError("Nothing was discarded: the campaign server saved this change after all, so it is shown as the server has it, and the changes after it are on their way")
	case err != nil:
		return err
	}
	c.changed(eng, InboxChange{ThreadIDs: threads, Queue: r.Type == api.MutSendInitial})
	return nil
}

// SubmitReport files a report on a thread (values by report field key, plus
// "notes" and "opt_out"). It is stored and shown at once, offline too; the
// server checks the values and a refusal removes it again with the reason.
// With Automatic Archive on the thread archives ("Archived after report").
func (c *Client) SubmitReport(ctx context.Context, threadID string, values map[string]string) error {
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	// The server's rule, checked here first: a bad value is an error at once
	// and nothing is queued.
	view, err := c.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	if err := report.Check(view.ReportFields, values); err != nil {
		return userErrorf("the report cannot be filed: %w", said(newFieldNames(ch).checked(ctx, threadID, err)))
	}
	if err := ch.Report(ctx, threadID, newID(), values, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, threadChange(c.reportedThreads(ctx, ch, threadID, values)...))
	return nil
}

// reportedThreads are the threads a report on threadID changed: with Opt
// Out, every local thread of its number in the campaign shows it
// (cache.NumberThreads). Failing to read them leaves the others to the
// next change, as the report is filed all the same.
func (c *Client) reportedThreads(ctx context.Context, ch *cache.Cache, threadID string, values map[string]string) []string {
	if values[report.OptOut] != "true" {
		return []string{threadID}
	}
	ids, err := ch.NumberThreads(ctx, threadID)
	if err != nil {
		c.log.Warn().Err(err).Msg("read the opted-out number's other threads for the window")
		return []string{threadID}
	}
	return ids
}

// Settings are the volunteer's settings, with a change still on its way to
// the server already in them.
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return Settings{}, err
	}
	s, err := ch.LocalSettings(ctx)
	if err != nil {
		return Settings{}, err
	}
	return Settings{AutoArchive: s.AutoArchive}, nil
}

// SetAutoArchive turns the Automatic Archive Setting on or off. It shows at
// once, goes to the server through the outbox, and reaches the volunteer's
// other desktops through sync.
func (c *Client) SetAutoArchive(ctx context.Context, on bool) error {
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	if err := ch.SetAutoArchive(ctx, on, time.Now()); err != nil {
		return err
	}
	// Threads with a report still on its way may have moved.
	c.changed(eng, InboxChange{All: true})
	return nil
}
