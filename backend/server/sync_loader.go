package server

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// loader loads entities for one sync page, caching what repeats. load
// answers nil for an entity the user may not see (any more). prefetch
// reads the page's messages, reports, threads, inbox states and contacts
// in one query per kind; load falls back to one query per entity only for
// the kinds a page holds few of.
type loader struct {
	tx       store.Tx
	userID   string
	actions  map[string]store.Action
	threads  map[string]*store.Thread // nil entry: gone
	messages map[string]store.Message
	reports  map[string]store.Report
	contacts map[string]store.Contact
	states   map[string]store.InboxState
	// Issue 7: flagged messages, latest hand-overs, and the names of report
	// authors and of those who handed threads over.
	likely     map[string]bool
	reassigned map[string]store.Reassignment
	users      map[string]store.User
	// texted holds the contacts whose first text is on the page.
	texted map[string]bool
	// seenBy holds each action's seenFields, worked out once a page.
	seenBy map[string]map[string]bool
}

// readBatcher is a read transaction that can send several reads in one
// round trip (PostgreSQL): between DeferReads and FlushReads, a read by
// ids answers a map that FlushReads fills. A page's reads go out in two
// such round trips, where they were one each.
type readBatcher interface {
	DeferReads()
	FlushReads(ctx context.Context) error
}

func (l *loader) prefetch(ctx context.Context, rows []store.FeedRow) error {
	ids := map[string][]string{}
	for _, r := range rows {
		ids[r.Kind] = append(ids[r.Kind], r.EntityID)
	}
	rb, batched := l.tx.(readBatcher)
	// First what the feed's ids name. Messages the loader holds already
	// (first texts) are not read again.
	if batched {
		rb.DeferReads()
	}
	var missing []string
	for _, id := range ids[api.KindMessage] {
		if _, ok := l.messages[id]; !ok {
			missing = append(missing, id)
		}
	}
	more, err := l.tx.MessagesByIDs(ctx, missing)
	if err != nil {
		return err
	}
	if l.reports, err = l.tx.ReportsByIDs(ctx, ids[api.KindReport]); err != nil {
		return err
	}
	// A contact whose first text is on the page is texted for good: its
	// assignment is gone (load answers nil for a contact not read), with
	// no need to read it.
	var assigned []string
	for _, id := range ids[api.KindAssignment] {
		if !l.texted[id] {
			assigned = append(assigned, id)
		}
	}
	assigned = append(assigned, ids[api.KindContact]...)
	if l.contacts, err = l.tx.ContactsByIDs(ctx, assigned); err != nil {
		return err
	}
	if l.states, err = l.tx.InboxStates(ctx, l.userID, ids[api.KindThread]); err != nil {
		return err
	}
	// Issue 7: the latest hand-overs.
	if l.reassigned, err = l.tx.Reassignments(ctx, ids[api.KindThread]); err != nil {
		return err
	}
	if batched {
		if err := rb.FlushReads(ctx); err != nil {
			return err
		}
	}
	if l.messages == nil {
		l.messages = more
	}
	for id, m := range more {
		l.messages[id] = m
	}
	// Then what those name: the messages' and reports' threads, the
	// replies' flags, and the names of report authors and of those who
	// handed threads over.
	if batched {
		rb.DeferReads()
	}
	threadIDs := append(ids[api.KindThread], ids[api.KindContact]...)
	for _, m := range l.messages {
		threadIDs = append(threadIDs, m.ThreadID)
	}
	for _, r := range l.reports {
		threadIDs = append(threadIDs, r.ThreadID)
	}
	threads, err := l.tx.ThreadsByIDs(ctx, threadIDs)
	if err != nil {
		return err
	}
	// Issue 7: flagged messages. Only replies are flagged
	// (store.MarkLikelyOptOut), so a page of sends asks nothing.
	var inbound []string
	for _, id := range ids[api.KindMessage] {
		if m, ok := l.messages[id]; ok && m.Direction == api.DirInbound {
			inbound = append(inbound, id)
		}
	}
	if l.likely, err = l.tx.LikelyOptOuts(ctx, inbound); err != nil {
		return err
	}
	if l.users, err = l.tx.UsersByIDs(ctx, l.namedUsers()); err != nil {
		return err
	}
	if batched {
		if err := rb.FlushReads(ctx); err != nil {
			return err
		}
	}
	var backIn []string
	for _, id := range threadIDs {
		if th, ok := threads[id]; ok && visible(th, l.userID) {
			l.threads[id] = &th
			if _, named := l.users[th.OptedBackInBy]; th.OptedBackInBy != "" && !named {
				backIn = append(backIn, th.OptedBackInBy)
			}
		} else {
			l.threads[id] = nil
		}
	}
	if len(backIn) == 0 {
		return nil
	}
	// Who opted a contact back in: read with the threads, so a third read,
	// made only for the rare page that has one.
	names, err := l.tx.UsersByIDs(ctx, backIn)
	if err != nil {
		return err
	}
	if l.users == nil {
		l.users = names
	}
	maps.Copy(l.users, names)
	return nil
}

// prefetchConversation reads what issue 7 adds to a page of threads (the
// admin overview's): flagged messages, the latest hand-overs, and the
// names of those who handed them over.
func (l *loader) prefetchConversation(ctx context.Context, ids map[string][]string) error {
	var err error
	if l.likely, err = l.tx.LikelyOptOuts(ctx, ids[api.KindMessage]); err != nil {
		return err
	}
	if l.reassigned, err = l.tx.Reassignments(ctx, ids[api.KindThread]); err != nil {
		return err
	}
	l.users, err = l.tx.UsersByIDs(ctx, l.namedUsers())
	return err
}

// namedUsers lists the users a page names: report authors, those who
// handed threads over, and the senders of outbound texts, each once (a
// page of a volunteer's sends names them in every message).
func (l *loader) namedUsers() []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, m := range l.messages {
		add(m.SenderID)
	}
	for _, r := range l.reports {
		add(r.UserID)
	}
	for _, r := range l.reassigned {
		add(r.FromUserID)
	}
	return ids
}

// visible says whether userID sees a thread: they own it and have not
// blocked its contact (a blocked contact's messages are kept for admins).
func visible(th store.Thread, userID string) bool {
	return th.OwnerID == userID && !th.Blocked
}

func (l *loader) action(ctx context.Context, id string) (store.Action, error) {
	if a, ok := l.actions[id]; ok {
		return a, nil
	}
	a, err := l.tx.ActionByID(ctx, id)
	if err != nil {
		return store.Action{}, err
	}
	l.actions[id] = a
	return a, nil
}

func (l *loader) seen(a store.Action) map[string]bool {
	if s, ok := l.seenBy[a.ID]; ok {
		return s
	}
	if l.seenBy == nil {
		l.seenBy = map[string]map[string]bool{}
	}
	s := seenFields(a)
	l.seenBy[a.ID] = s
	return s
}

// ownThread is the thread if the user owns it, nil otherwise.
func (l *loader) ownThread(ctx context.Context, id string) (*store.Thread, error) {
	if th, ok := l.threads[id]; ok {
		return th, nil
	}
	th, err := l.tx.ThreadByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !visible(th, l.userID)) {
		l.threads[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.threads[id] = &th
	return &th, nil
}

func (l *loader) load(ctx context.Context, kind, id string) (any, error) {
	switch kind {
	case api.KindCampaign:
		c, err := l.tx.CampaignByID(ctx, id)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		m, err := l.tx.Membership(ctx, id, l.userID)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		return apiCampaign(c, m.Role), nil
	case api.KindAction:
		a, err := l.action(ctx, id)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		if _, err := l.tx.Membership(ctx, a.CampaignID, l.userID); err != nil {
			return nil, ignoreNotFound(err)
		}
		number, err := l.tx.SendingNumber(ctx, a.CampaignID, l.userID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return apiAction(a, number), nil
	case api.KindAssignment:
		c, ok := l.contacts[id]
		if !ok {
			return nil, nil
		}
		if c.State != store.ContactAssigned || c.AssignedTo != l.userID {
			return nil, nil
		}
		a, err := l.action(ctx, c.ActionID)
		if err != nil {
			return nil, ignoreNotFound(err)
		}
		return apiAssignment(c, l.seen(a)), nil
	case api.KindContact:
		th, err := l.ownThread(ctx, id)
		if th == nil || err != nil {
			return nil, err
		}
		c, ok := l.contacts[id]
		if !ok {
			return nil, nil
		}
		a, err := l.action(ctx, th.ActionID)
		if err != nil {
			return nil, err
		}
		return apiAssignment(c, l.seen(a)), nil
	case api.KindThread:
		th, err := l.ownThread(ctx, id)
		if th == nil || err != nil {
			return nil, err
		}
		a, err := l.action(ctx, th.ActionID)
		if err != nil {
			return nil, err
		}
		st, ok := l.states[th.ID]
		if !ok {
			st = store.InboxState{UserID: l.userID, ThreadID: th.ID} // no row: never read, not archived
		}
		t := apiThread(*th, a.Type, st)
		if r, ok := l.reassigned[th.ID]; ok {
			t.Reassigned = &api.Reassignment{FromUserID: r.FromUserID, FromUserName: l.users[r.FromUserID].Name, Note: r.Note, At: r.CreatedAt}
		}
		if th.OptedBackInAt != nil && !th.OptedOut {
			t.OptedBackIn = &api.OptedBackIn{ByName: l.users[th.OptedBackInBy].Name, At: *th.OptedBackInAt, Undone: th.OptOutUndone}
		}
		return t, nil
	case api.KindMessage:
		m, ok := l.messages[id]
		if !ok {
			return nil, nil
		}
		th, err := l.ownThread(ctx, m.ThreadID)
		if th == nil || err != nil {
			return nil, err
		}
		msg := apiMessage(m)
		msg.LikelyOptOut = l.likely[m.ID]
		if m.SenderID != "" {
			msg.SentByName = l.users[m.SenderID].Name
		}
		return msg, nil
	case api.KindReport:
		rep, ok := l.reports[id]
		if !ok {
			return nil, nil
		}
		th, err := l.ownThread(ctx, rep.ThreadID)
		if th == nil || err != nil {
			return nil, err
		}
		r := apiReport(rep)
		r.SubmittedBy, r.SubmittedByName = rep.UserID, l.users[rep.UserID].Name
		return r, nil
	case api.KindSettings:
		if id != l.userID {
			return nil, nil
		}
		st, err := l.tx.Settings(ctx, l.userID)
		if err != nil {
			return nil, err
		}
		return api.Settings{AutoArchive: st.AutoArchive}, nil
	case api.KindHandover:
		// What opens a hand-back, whoever holds the thread now: the rows
		// after it deliver the thread as it is (store/handback.go).
		return api.Handover{ThreadID: id}, nil
	case api.KindProfile:
		if id != l.userID {
			return nil, nil
		}
		u, err := l.tx.UserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return apiUser(u), nil
	}
	return nil, fmt.Errorf("unknown feed kind %q", kind)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
