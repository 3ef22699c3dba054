package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// Block and reassign (SPEC.md features 9 and 11): a volunteer gets rid of an
// abusive contact, or hands conversations to an admin of the campaign.

// maxNote bounds the optional note of a block or a reassignment.
const maxNote = report.MaxNotes

func noteTooLong(m api.Mutation) *api.MutationResult {
	if n := utf8.RuneCountInString(m.Body); n > maxNote {
		r := rejected(m.ID, api.RejectInvalid, "the note is %d characters; at most %d", n, maxNote)
		return &r
	}
	return nil
}

// applyBlock opts the contact out of the organization, hides the thread
// from its owner for good (the feed deletes it; its messages stay for the
// admins) and records an abuse report for the campaign's admins.
func (s *Server) applyBlock(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if !slices.Contains(api.BlockReasons, m.Reason) {
		return rejected(m.ID, api.RejectInvalid, "block needs a reason: one of %s, not %q", strings.Join(api.BlockReasons, ", "), m.Reason), nil, nil
	}
	if rej := noteTooLong(m); rej != nil {
		return *rej, nil, nil
	}
	th, rej, err := ownedThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	if th.Blocked {
		return applied(m.ID), nil, nil // blocked already (from another desktop)
	}
	if err := tx.AddBlock(ctx, store.Block{UserID: u.ID, Phone: th.ContactPhone, OrganizationID: th.OrganizationID,
		ContactID: th.ID, Reason: m.Reason, CreatedAt: now}); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := optOut(ctx, tx, store.OptOut{OrganizationID: th.OrganizationID, Phone: th.ContactPhone,
		Reason: optout.BlockedReason(m.Reason), Source: store.OptOutBlocked, CreatedAt: now}); err != nil {
		return api.MutationResult{}, nil, err
	}
	// optOut may have written the thread: read it again before marking it.
	if th, err = tx.ThreadByID(ctx, th.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	th.Blocked = true
	if err := tx.UpdateThread(ctx, th); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := tx.AddAbuseReport(ctx, store.AbuseReport{ID: m.ID, CampaignID: th.CampaignID, ThreadID: th.ID, UserID: u.ID,
		Reason: m.Reason, Note: strings.TrimSpace(m.Body), CreatedAt: now}); err != nil {
		return api.MutationResult{}, nil, err
	}
	tx.AdminChanged(th.CampaignID)
	// A blocked thread is no longer visible to its owner: this feed row
	// syncs as a delete.
	if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), nil, nil
}

// applyReassign hands one thread (ThreadID) or every thread of an action the
// caller holds (ActionID) to an admin of the action's campaign.
func (s *Server) applyReassign(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if m.ToUserID == "" {
		return rejected(m.ID, api.RejectInvalid, "reassign needs a toUserId: the admin to hand the conversation to"), nil, nil
	}
	if (m.ThreadID == "") == (m.ActionID == "") {
		return rejected(m.ID, api.RejectInvalid, "reassign needs either a threadId (one conversation) or an actionId (all of them), not both"), nil, nil
	}
	if rej := noteTooLong(m); rej != nil {
		return *rej, nil, nil
	}
	var threads []store.Thread
	actionID := m.ActionID
	if m.ThreadID != "" {
		th, rej, err := ownedThread(ctx, tx, u, m)
		if rej != nil || err != nil {
			return deref(rej), nil, err
		}
		if th.Blocked {
			return rejected(m.ID, api.RejectBlocked, "you blocked %s; their conversation cannot be reassigned", texting.DisplayName(th.ContactName, th.ContactPhone)), nil, nil
		}
		threads, actionID = []store.Thread{th}, th.ActionID
	}
	// Only within the caller's campaigns: an action of another campaign
	// (Reassign All names one) is answered as a missing one, before any
	// check that would name its admins or say who they are.
	a, _, member, err := tx.MemberAction(ctx, actionID, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !member) {
		return rejected(m.ID, api.RejectInvalid, "%s", errNotYourAction.body.Message), nil, nil
	}
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if rej, err := checkReassignTarget(ctx, tx, u, a, m); rej != nil || err != nil {
		return deref(rej), nil, err
	}
	if m.ActionID != "" {
		if threads, err = tx.ThreadsOwnedInAction(ctx, u.ID, a.ID); err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	if err := reassignThreads(ctx, tx, threads, u.ID, m, now); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), nil, nil
}

// checkReassignTarget: threads go only to an admin of the action's campaign
// (the action's creator counts), never to oneself.
func checkReassignTarget(ctx context.Context, tx store.Tx, u store.User, a store.Action, m api.Mutation) (*api.MutationResult, error) {
	if m.ToUserID == u.ID {
		r := rejected(m.ID, api.RejectInvalid, "these conversations are already yours")
		return &r, nil
	}
	notAdmin := func() *api.MutationResult {
		// The same words for an id no one has: a refusal does not tell
		// whether an account exists.
		r := rejected(m.ID, api.RejectInvalid, "user %s is not an admin of this campaign; conversations go only to its admins", m.ToUserID)
		return &r
	}
	target, err := tx.UserByID(ctx, m.ToUserID)
	if errors.Is(err, store.ErrNotFound) {
		return notAdmin(), nil
	}
	if err != nil {
		return nil, err
	}
	if ok, err := mayTake(ctx, tx, a, target.ID); err != nil || ok {
		return nil, err
	}
	if _, err := tx.Membership(ctx, a.CampaignID, target.ID); errors.Is(err, store.ErrNotFound) {
		// Not a member: no name for someone the volunteer may not know.
		return notAdmin(), nil
	} else if err != nil {
		return nil, err
	}
	r := rejected(m.ID, api.RejectInvalid, "%s is not an admin of this campaign; conversations go only to its admins", target.Name)
	return &r, nil
}

// reassignThreads hands threads fromID holds to m.ToUserID (reassign),
// once the new owner's feed is ready for those they held before (a
// hand-back: store.SupersedeHeldFeed, one read of their feed for them all).
func reassignThreads(ctx context.Context, tx store.Tx, threads []store.Thread, fromID string, m api.Mutation, now time.Time) error {
	ids := make([]string, len(threads))
	for i, th := range threads {
		ids[i] = th.ID
	}
	heldBefore, err := tx.SupersedeHeldFeed(ctx, m.ToUserID, ids)
	if err != nil {
		return err
	}
	for _, th := range threads {
		if err := reassign(ctx, tx, th, fromID, m, now, heldBefore[th.ID]); err != nil {
			return err
		}
	}
	return nil
}

// reassign moves one thread: the old owner's feed deletes it, the new
// owner's delivers it whole (thread, messages, reports), noted with who
// handed it over and why. The new owner's rows go history first, then the
// thread, then the contact's replies no one who held the thread had read:
// the app announces an inbound message only when it comes after its
// thread's hand-over in the feed (cache news), so a reply the old owner
// never saw, or one that arrives after the hand-over, rings once for the
// new owner, while what was read stays history, whatever any server's
// clock says. A page may end anywhere in these rows: history coming before
// its thread is never announced, the unread replies after it always. A
// thread handed back to someone who held it before (heldBefore, their
// older rows of it gone) opens with a handover row: their app may hold it
// still, and drops it there, so that the same rule tells its history.
func reassign(ctx context.Context, tx store.Tx, th store.Thread, fromID string, m api.Mutation, now time.Time, heldBefore bool) error {
	th.OwnerID = m.ToUserID
	if err := tx.UpdateThread(ctx, th); err != nil {
		return err
	}
	if err := tx.AddReassignment(ctx, store.Reassignment{ID: uuid.NewString(), ThreadID: th.ID, FromUserID: fromID,
		ToUserID: m.ToUserID, Note: strings.TrimSpace(m.Body), CreatedAt: now}); err != nil {
		return err
	}
	tx.AdminChanged(th.CampaignID)
	if err := feed(ctx, tx, now, fromID, api.KindThread, th.ID); err != nil {
		return err
	}
	messages, reports, err := tx.ThreadChildren(ctx, th.ID)
	if err != nil {
		return err
	}
	unread, err := unreadReplies(ctx, tx, th, fromID, messages)
	if err != nil {
		return err
	}
	var kindIDs, after []string
	if heldBefore {
		kindIDs = append(kindIDs, api.KindHandover, th.ID)
	}
	for _, id := range messages {
		if unread[id] {
			after = append(after, api.KindMessage, id)
		} else {
			kindIDs = append(kindIDs, api.KindMessage, id)
		}
	}
	for _, id := range reports {
		kindIDs = append(kindIDs, api.KindReport, id)
	}
	kindIDs = append(kindIDs, api.KindThread, th.ID)
	return feed(ctx, tx, now, m.ToUserID, append(kindIDs, after...)...)
}

// unreadReplies are the thread's inbound messages (of messageIDs) that no
// one who held it read: received after the latest read of any of them, the
// inbox's own unread rule (inbox.IsUnread), so a reply the old owner's inbox
// showed unread is news for the new owner. The messages are read only when
// the thread's latest reply is unread.
func unreadReplies(ctx context.Context, tx store.Tx, th store.Thread, fromID string, messageIDs []string) (map[string]bool, error) {
	if th.LastInboundAt == nil || len(messageIDs) == 0 {
		return nil, nil
	}
	readAt, err := tx.ThreadReadAt(ctx, th.ID, fromID)
	if err != nil || (readAt != nil && !th.LastInboundAt.After(*readAt)) {
		return nil, err
	}
	msgs, err := tx.MessagesByIDs(ctx, messageIDs)
	if err != nil {
		return nil, err
	}
	unread := map[string]bool{}
	for id, msg := range msgs {
		if msg.Direction == api.DirInbound && (readAt == nil || msg.CreatedAt.After(*readAt)) {
			unread[id] = true
		}
	}
	return unread, nil
}

// handleReassignTargets answers GET /api/v1/actions/{id}/reassign-targets
// for members of the action's campaign.
func (s *Server) handleReassignTargets(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var out api.UsersResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		a, c, err := memberAction(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		admins, err := tx.CampaignAdmins(ctx, c.ID)
		if err != nil {
			return err
		}
		out.Users = reassignTargets(ctx, tx, a, admins, u.ID)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// reassignTargets puts the action's creator first, then the other admins,
// leaving out the caller (an admin answering a reassigned conversation
// cannot hand it to themselves: the mutation refuses it); only ids and
// names leave the server.
func reassignTargets(ctx context.Context, tx store.Tx, a store.Action, admins []store.User, callerID string) []api.User {
	out := []api.User{}
	if a.CreatorID == callerID {
		// Not a target: nothing to look up.
	} else if i := slices.IndexFunc(admins, func(u store.User) bool { return u.ID == a.CreatorID }); i >= 0 {
		out = append(out, api.User{ID: admins[i].ID, Name: admins[i].Name})
	} else if creator, err := tx.UserByID(ctx, a.CreatorID); err == nil {
		out = append(out, api.User{ID: creator.ID, Name: creator.Name})
	}
	for _, ad := range admins {
		if ad.ID != a.CreatorID && ad.ID != callerID {
			out = append(out, api.User{ID: ad.ID, Name: ad.Name})
		}
	}
	return out
}

// scriptReportPrefix begins the id of a report a response script files;
// a volunteer's own report ids may not (applyReport), so that one can never
// take the id a later reply's tags need.
const scriptReportPrefix = "script-"

// fileScriptTags files the report tags a response script sets when sent
// ("Will vote" switches that toggle on), in the reply's transaction, as a
// report by the volunteer, when the reply is that script filled in: sent,
// the version of the script named that the reply's body is (sentScript),
// nil for none. Only the script as sent: a text edited after picking it
// (where free text is allowed), or another script's words, says nothing of
// what the tags would claim; the reply goes all the same. th.LastReportAt
// and ReportedThrough (the reply's at, as a report's) move with it (the
// caller writes the thread). A script setting no tag
// files nothing.
func fileScriptTags(ctx context.Context, tx store.Tx, u store.User, th *store.Thread, a store.Action, sent *store.ResponseScript, m api.Mutation, now time.Time) error {
	if sent == nil {
		return nil
	}
	values := report.ScriptTags(apiReportFields(a.ReportFields), api.ResponseScript(*sent))
	if values == nil {
		return nil
	}
	id := scriptReportPrefix + m.MessageID
	if err := tx.CreateReport(ctx, store.Report{ID: id, ThreadID: th.ID, UserID: u.ID, Values: values, SubmittedAt: now}); err != nil {
		return err
	}
	th.LastReportAt = &now
	reportThrough(th, m, now)
	return feed(ctx, tx, now, u.ID, api.KindReport, id)
}
