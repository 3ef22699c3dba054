package client

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/segments"
	"github.com/textbank/textbank/backend/sync"
	"github.com/textbank/textbank/backend/texting"
)

// Queue is the send screen for an action: its contacts waiting for a first
// text, each with the script rendered for them.
func (c *Client) Queue(ctx context.Context, actionID string) (Queue, error) {
	ch, sess, _, err := c.state()
	if err != nil {
		return Queue{}, err
	}
	action, err := ch.Action(ctx, actionID)
	if err != nil {
		return Queue{}, notFound(err, "that action is not in your campaigns (join its campaign first)")
	}
	assignments, err := ch.Assignments(ctx, actionID)
	if err != nil {
		return Queue{}, err
	}
	user := api.User{}
	if sess != nil {
		user = sess.User
	}
	q := Queue{Action: action, Items: make([]QueueItem, 0, len(assignments)), Remaining: c.remainingFor(actionID)}
	for _, a := range assignments {
		item := QueueItem{ContactID: a.ContactID, Name: texting.DisplayName(fullName(a.FirstName, a.LastName), a.Phone), Phone: a.Phone,
			PhoneDisplay: phone.Display(a.Phone)}
		body, err := renderInitial(action, a, user)
		if t, ok := c.newTextFor(a.ContactID); ok {
			body, err, item.ScriptChanged = t, nil, true
		}
		if err != nil {
			item.Error = err.Error()
		} else {
			item.Body, item.Segments = body, segments.Count(body)
		}
		q.Items = append(q.Items, item)
	}
	return q, nil
}

// SendInitial sends the first text to a queued contact: it is written to
// the cache and the outbox at once (no network here) and goes out on the
// engine's next push, which the kick starts immediately. The text is the one
// the queue shows: the script rendered for the contact, or the server's new
// text after a script_changed refusal.
func (c *Client) SendInitial(ctx context.Context, actionID, contactID string) error {
	return c.sendInitial(ctx, actionID, contactID, "")
}

// SendNewText sends a queued contact exactly body, the text the server
// answered a script_changed refusal with and the window showed. The server
// checks it again: had the script changed once more, it refuses again with
// the newer text.
func (c *Client) SendNewText(ctx context.Context, actionID, contactID, body string) error {
	if strings.TrimSpace(body) == "" {
		return userError("there is no text to send: the new text is empty")
	}
	// Refused here, not by the server: a change too large for any push
	// would hold back every change after it for good.
	if err := texting.CheckLength(body); err != nil {
		return userErrorf("the new text cannot be sent: %w", said(err))
	}
	return c.sendInitial(ctx, actionID, contactID, body)
}

// sendInitial sends body, or the queue's text for the contact when body is "".
func (c *Client) sendInitial(ctx context.Context, actionID, contactID, body string) error {
	ch, sess, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	action, err := ch.Action(ctx, actionID)
	if err != nil {
		return notFound(err, "that action is not in your campaigns")
	}
	assignments, err := ch.Assignments(ctx, actionID)
	if err != nil {
		return err
	}
	var found *api.Assignment
	for i := range assignments {
		if assignments[i].ContactID == contactID {
			found = &assignments[i]
			break
		}
	}
	if found == nil {
		return userError(notInQueue)
	}
	if body == "" {
		if t, ok := c.newTextFor(contactID); ok {
			body = t
		} else if body, err = renderInitial(action, *found, sess.User); err != nil {
			return userErrorf("cannot text %s: %w", fullName(found.FirstName, found.LastName), err)
		}
	}
	if err := ch.SendInitial(ctx, actionID, contactID, newID(), body, time.Now()); err != nil {
		return notFound(err, notInQueue)
	}
	c.mu.Lock()
	delete(c.newText, contactID)
	c.mu.Unlock()
	c.changed(eng, InboxChange{ThreadIDs: []string{contactID}, Queue: true})
	return nil
}

func (c *Client) newTextFor(contactID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.newText[contactID]
	return t, ok
}

// TextAgain asks the server for the next batch and says what it brought,
// once the contacts are in the queue.
//
// The outbox goes first: the server hands back the contacts it still thinks
// are waiting for this volunteer before it picks new ones, and a first text
// still in the outbox is, as far as it knows, unsent. Asked in that order,
// it would hand back contacts this app has already texted (no longer in the
// queue here), and the volunteer would see an empty batch.
func (c *Client) TextAgain(ctx context.Context, actionID string) (Batch, error) {
	_, _, eng, err := c.signedIn()
	if err != nil {
		return Batch{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	if err := pushFirst(cctx, eng, "Press Text Again then for new contacts", "no new contacts were asked for"); err != nil {
		return Batch{}, err
	}
	resp, err := c.api.Batch(cctx, actionID)
	// The server's answers that no one is handed out, and why: shown as
	// news on the send screen, where a failed call (offline) is a fault.
	nothing := func(words string, args ...any) (Batch, error) {
		return Batch{Remaining: c.remainingFor(actionID), Nothing: userErrorf(words, args...).Error()}, nil
	}
	switch {
	case api.IsCode(err, api.CodePoolEmpty):
		c.setRemaining(actionID, 0)
		// Not "everyone has been texted": other volunteers may hold contacts
		// not texted yet, and an action may never have had any.
		return nothing("No one is left to text in this action: every contact has been texted or is with a volunteer")
	case api.IsCode(err, api.CodeUnfillable) || api.IsCode(err, api.CodeNoNumber):
		return nothing("No contacts can be texted: %w.", err)
	case api.IsCode(err, api.CodeOutsideHours) || api.IsCode(err, api.CodeRecentlyTexted):
		// Everyone looked at was held back; the server's words say how many.
		return nothing("No contacts can be texted right now: %w. Try Text Again later.", err)
	case api.IsCode(err, api.CodeCampaignArchived):
		return nothing("%w", err)
	}
	if err != nil {
		return Batch{}, err
	}
	c.setRemaining(actionID, resp.Remaining)
	b := Batch{Assigned: len(resp.Assigned), HeldBack: resp.HeldBack, RecentlyTexted: resp.RecentlyTexted, Remaining: resp.Remaining}
	if err := eng.PullNow(cctx); err != nil {
		return b, userErrorf("%d contacts were assigned to you, but loading them failed: %w", b.Assigned, err)
	}
	c.cfg.Notify(Event{Name: EventInboxChanged})
	return b, nil
}

// Release hands the volunteer's unsent contacts in an action back to the
// pool and returns how many.
func (c *Client) Release(ctx context.Context, actionID string) (int, error) {
	return c.release(ctx, actionID, nil)
}

// Skip hands one contact of the volunteer's queue back to the pool: one the
// script cannot be filled in for, which would otherwise wait in this
// volunteer's queue, handed back at every Text Again.
func (c *Client) Skip(ctx context.Context, actionID, contactID string) error {
	if contactID == "" {
		return userError("no contact to skip")
	}
	_, err := c.release(ctx, actionID, []string{contactID})
	return err
}

// release pushes the outbox first, as TextAgain does: the server releases
// what it thinks is unsent, and a first text still in the outbox is unsent
// to it; released, its contact would go back to the pool and the text be
// refused when it arrived.
func (c *Client) release(ctx context.Context, actionID string, contactIDs []string) (int, error) {
	_, _, eng, err := c.signedIn()
	if err != nil {
		return 0, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	if err := pushFirst(cctx, eng, "Your contacts stay yours until then", "no contacts were released"); err != nil {
		return 0, err
	}
	resp, err := c.api.Release(cctx, actionID, contactIDs)
	if err != nil {
		return 0, err
	}
	if rem := c.remainingFor(actionID); rem >= 0 {
		c.setRemaining(actionID, rem+resp.Released)
	}
	if err := eng.PullNow(cctx); err != nil {
		return resp.Released, userErrorf("%d contacts were released, but refreshing the queue failed: %w", resp.Released, err)
	}
	c.cfg.Notify(Event{Name: EventInboxChanged})
	return resp.Released, nil
}

// pushFirst pushes the outbox before a call whose answer depends on which
// texts the server has (a batch, a release). offline ends the sentence an
// offline volunteer reads; otherwise says what was not done.
func pushFirst(ctx context.Context, eng *sync.Engine, offline, otherwise string) error {
	err := eng.PushNow(ctx)
	if err == nil {
		return nil
	}
	if r := refusal(err); r != nil {
		return r
	}
	if errors.Is(err, api.ErrUnreachable) {
		// Offline is normal: the texts are safe in the outbox. The push's
		// own words ("push 4 mutations: ... dial tcp") are for the log,
		// and "could not reach" read as if the texts were lost.
		return userErrorf("You're offline: your texts are kept and will go out when the campaign server is back. %s.", offline)
	}
	// The push's own words ("push 4 mutations: ...") are for the log: the
	// volunteer reads the server's refusal, or that Textbank failed here.
	return userErrorf("the texts waiting to go out were not sent first, so %s: %w", otherwise, err)
}

func (c *Client) remainingFor(actionID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.remaining[actionID]; ok {
		return n
	}
	return -1
}

func (c *Client) setRemaining(actionID string, n int) {
	c.mu.Lock()
	c.remaining[actionID] = n
	c.mu.Unlock()
}

// renderInitial renders the contact's script (the one the server picked for
// them) by the rules the server applies, so the text shown is the text sent.
func renderInitial(action api.Action, a api.Assignment, user api.User) (string, error) {
	body, err := texting.RenderInitial(action.Scripts, a.ScriptIndex, textingContact(a), texting.Volunteer{Name: user.Name})
	if errors.Is(err, texting.ErrNoScript) {
		return "", userError("this action has no script yet; ask its organizer")
	}
	return body, said(err) // texting's words name the field to fix
}

func textingContact(a api.Assignment) texting.Contact {
	c := texting.Contact{FirstName: a.FirstName, LastName: a.LastName, Fields: a.Fields}
	// The server sends zip among the fields (api.Assignment has no column).
	c.Zip = a.Fields[script.Zip]
	return c
}

// mergeValues are the fields a script may use, by the shared rules.
func mergeValues(a api.Assignment, user api.User) map[string]string {
	return texting.MergeValues(textingContact(a), texting.Volunteer{Name: user.Name})
}

func fullName(first, last string) string {
	return texting.FullName(first, last)
}

// The words for a thread or a contact the cache no longer has for this
// volunteer (reassigned, released, signed out meanwhile): one sentence each,
// however the volunteer came to ask.
const (
	notInInbox = "that conversation is not in your inbox"
	notInQueue = "that contact is no longer in your queue for this action"
)

// notFound turns the cache's ErrNotFound into a message for the volunteer.
func notFound(err error, msg string) error {
	if errors.Is(err, cache.ErrNotFound) {
		return userError(msg) // a normal answer, with nothing for the log
	}
	return err
}

// newID names a new message: a UUIDv7, time-ordered, so the server's and
// the cache's primary keys grow at their end instead of taking a random
// page write per message.
func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
