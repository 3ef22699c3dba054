package client

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// Block and reassign take threads out of the inbox at once, offline too, and
// go to the server through the outbox; a refusal brings them back with the
// reason. The Admin section and the list of admins need the server.

// checkNote bounds the optional note of a block or a reassignment as the
// server does.
func checkNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n > report.MaxNotes {
		return "", userErrorf("the note is %d characters; at most %d", n, report.MaxNotes)
	}
	return note, nil
}

// checkAdminID refuses an id longer than any the server gives out (it
// names no admin): queued, its change would be too large for a push, or
// refused by the server only after the conversation left the inbox.
func checkAdminID(id string) error {
	if len(id) > api.MaxID {
		return userErrorf("the id given (%d characters) is not an admin's: pick one of those Reassign lists", len(id))
	}
	return nil
}

// BlockContact reports a contact for abuse and blocks them: they are opted
// out, their conversation leaves the inbox for good, and the campaign's
// admins see the report. reason is one of api.BlockReasons.
func (c *Client) BlockContact(ctx context.Context, threadID, reason, note string) error {
	if !slices.Contains(api.BlockReasons, reason) {
		return userErrorf("pick why you are blocking this contact: one of %s (not %q)", strings.Join(api.BlockReasons, ", "), reason)
	}
	note, err := checkNote(note)
	if err != nil {
		return err
	}
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	m := api.Mutation{Type: api.MutBlock, ThreadID: threadID, Reason: reason, Body: note}
	if _, err := ch.HideThreads(ctx, m, []string{threadID}, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, InboxChange{All: true})
	return nil
}

// ReassignTargets lists the admins a conversation of the action can be
// handed to, the action's creator first. It asks the server.
func (c *Client) ReassignTargets(ctx context.Context, actionID string) ([]api.User, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return nil, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	users, err := c.api.ReassignTargets(cctx, actionID)
	if err != nil {
		return nil, err
	}
	if users == nil {
		users = []api.User{}
	}
	return users, nil
}

// Reassign hands one conversation to an admin, with an optional note.
func (c *Client) Reassign(ctx context.Context, threadID, toUserID, note string) error {
	if toUserID == "" {
		return userError("pick the admin to hand the conversation to")
	}
	if err := checkAdminID(toUserID); err != nil {
		return err
	}
	note, err := checkNote(note)
	if err != nil {
		return err
	}
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	m := api.Mutation{Type: api.MutReassign, ThreadID: threadID, ToUserID: toUserID, Body: note}
	if _, err := ch.HideThreads(ctx, m, []string{threadID}, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, InboxChange{All: true})
	return nil
}

// ReassignableCount is how many conversations of the action the volunteer
// holds: the count the Reassign All Conversations confirmation names.
func (c *Client) ReassignableCount(ctx context.Context, actionID string) (int, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return 0, err
	}
	ids, err := ch.ActionThreadIDs(ctx, actionID)
	return len(ids), err
}

// ReassignAll hands every conversation of the action the volunteer holds to
// an admin and returns how many left the inbox.
func (c *Client) ReassignAll(ctx context.Context, actionID, toUserID, note string) (int, error) {
	if toUserID == "" {
		return 0, userError("pick the admin to hand the conversations to")
	}
	if err := checkAdminID(toUserID); err != nil {
		return 0, err
	}
	note, err := checkNote(note)
	if err != nil {
		return 0, err
	}
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return 0, err
	}
	ids, err := ch.ActionThreadIDs(ctx, actionID)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	m := api.Mutation{Type: api.MutReassign, ActionID: actionID, ToUserID: toUserID, Body: note}
	n, err := ch.HideThreads(ctx, m, ids, time.Now())
	if err != nil {
		return 0, err
	}
	c.changed(eng, InboxChange{All: true})
	return n, nil
}

// AdminThread is the latest texts of one conversation of the campaign,
// oldest first, from the server (admins only): the Admin section reads a
// blocked conversation, which the volunteer's and the admin's caches never
// hold. EarlierTexts brings those before them, when it counts some.
func (c *Client) AdminThread(ctx context.Context, campaignID, threadID string) (api.MessagesResponse, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return api.MessagesResponse{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	return c.api.AdminThread(cctx, campaignID, threadID)
}

// EarlierTexts is the texts of a conversation AdminThread read before the
// one whose id is before, as many as one answer holds, and how many are
// left before them (admins only).
func (c *Client) EarlierTexts(ctx context.Context, campaignID, threadID, before string) (api.MessagesResponse, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return api.MessagesResponse{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	return c.api.EarlierTexts(cctx, campaignID, threadID, before)
}
