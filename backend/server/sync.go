package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

const (
	defaultSyncLimit = 500
	maxSyncLimit     = 1000
)

// parseSyncQuery reads cursor (>= 0, default 0) and limit (1..1000, default
// 500; larger values are capped).
func parseSyncQuery(r *http.Request) (cursor int64, limit int, err error) {
	q := r.URL.Query()
	if raw := q.Get("cursor"); raw != "" {
		cursor, err = strconv.ParseInt(raw, 10, 64)
		if err != nil || cursor < 0 {
			return 0, 0, badField("cursor", "cursor must be a version number from an earlier sync, not %q", raw)
		}
	}
	limit = defaultSyncLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return 0, 0, badField("limit", "limit must be a positive number, not %q", raw)
		}
		if n > 0 {
			limit = min(n, maxSyncLimit)
		}
	}
	return cursor, limit, nil
}

func (s *Server) handleSync(w http.ResponseWriter, r *http.Request, u store.User) error {
	cursor, limit, err := parseSyncQuery(r)
	if err != nil {
		return err
	}
	var out api.SyncResponse
	err = s.store.View(r.Context(), func(tx store.Tx) error {
		var err error
		out, err = buildSync(r.Context(), tx, u.ID, cursor, limit)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// buildSync reads the page of the user's feed after cursor and loads each
// entity as it is now. An entity named several times in the page appears
// once, where it first appeared (so a thread still precedes its messages),
// carrying the newest version.
func buildSync(ctx context.Context, tx store.Tx, userID string, cursor int64, limit int) (api.SyncResponse, error) {
	rows, err := tx.FeedAfter(ctx, userID, cursor, limit+1)
	if err != nil {
		return api.SyncResponse{}, err
	}
	out := api.SyncResponse{Changes: []api.Change{}, Cursor: cursor}
	var firstTexts map[string]store.Message
	rows, out.More, firstTexts, err = expandFeed(ctx, tx, rows, limit)
	if err != nil {
		return api.SyncResponse{}, err
	}
	if len(rows) > 0 {
		out.Cursor = rows[len(rows)-1].Seq
	}
	type key struct{ kind, id string }
	index := map[key]int{}
	var order []store.FeedRow
	for _, row := range rows {
		k := key{row.Kind, row.EntityID}
		if i, ok := index[k]; ok {
			order[i].Seq = row.Seq
			continue
		}
		index[k] = len(order)
		order = append(order, row)
	}
	// The first texts' messages, read to expand their rows, are not read
	// again.
	ld := &loader{tx: tx, userID: userID, actions: map[string]store.Action{}, threads: map[string]*store.Thread{},
		messages: firstTexts, texted: make(map[string]bool, len(firstTexts))}
	for _, m := range firstTexts {
		ld.texted[m.ThreadID] = true // a contact's thread has the contact's id
	}
	if err := ld.prefetch(ctx, order); err != nil {
		return api.SyncResponse{}, err
	}
	for _, row := range order {
		data, err := ld.load(ctx, row.Kind, row.EntityID)
		if err != nil {
			return api.SyncResponse{}, fmt.Errorf("sync %s %s: %w", row.Kind, row.EntityID, err)
		}
		ch := api.Change{Version: row.Seq, Kind: row.Kind, ID: row.EntityID}
		if data == nil {
			ch.Deleted = true
		} else {
			ch.Data, err = json.Marshal(data)
			if err != nil {
				return api.SyncResponse{}, fmt.Errorf("encode %s %s: %w", row.Kind, row.EntityID, err)
			}
		}
		out.Changes = append(out.Changes, ch)
	}
	return out, nil
}

// feedFirstText is the one feed row a first text writes (the writer is
// shared, and each row is an insert into the feed and its index): its
// entity is the message, and sync expands it into the three changes it
// stands for, the contact's assignment (gone once texted), the new thread
// (both have the contact's id) and the message, each with the row's
// version. The wire is as if three rows had been written.
const feedFirstText = "first_text"

// expandFeed expands the first-text rows of a feed page and keeps the
// rows whose changes fit in limit (at least one row): more is true when
// rows are left. msgs are the messages of the first texts it kept, as read.
func expandFeed(ctx context.Context, tx store.Tx, rows []store.FeedRow, limit int) (out []store.FeedRow, more bool, msgs map[string]store.Message, err error) {
	// Only the rows that can fit are read for: a first text counted as the
	// three changes it is at most (upto rows, at least one).
	var ids []string
	upto, n := 0, 0
	for i, r := range rows {
		size := 1
		if r.Kind == feedFirstText {
			size = 3
		}
		if i > 0 && n+size > limit {
			break
		}
		n += size
		upto++
		if r.Kind == feedFirstText {
			ids = append(ids, r.EntityID)
		}
	}
	if len(ids) > 0 {
		if msgs, err = tx.MessagesByIDs(ctx, ids); err != nil {
			return nil, false, nil, err
		}
	}
	out = make([]store.FeedRow, 0, min(len(rows), limit))
	for i, r := range rows {
		if i == upto {
			return out, true, msgs, nil
		}
		exp := []store.FeedRow{r}
		if r.Kind == feedFirstText {
			exp[0].Kind = api.KindMessage
			if m, ok := msgs[r.EntityID]; ok {
				exp = []store.FeedRow{
					{Seq: r.Seq, UserID: r.UserID, Kind: api.KindAssignment, EntityID: m.ThreadID},
					{Seq: r.Seq, UserID: r.UserID, Kind: api.KindThread, EntityID: m.ThreadID},
					exp[0],
				}
			}
		}
		if i > 0 && len(out)+len(exp) > limit {
			return out, true, msgs, nil
		}
		out = append(out, exp...)
	}
	return out, false, msgs, nil
}

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
}

func (l *loader) prefetch(ctx context.Context, rows []store.FeedRow) error {
	ids := map[string][]string{}
	for _, r := range rows {
		ids[r.Kind] = append(ids[r.Kind], r.EntityID)
	}
	// Messages the loader holds already (first texts) are not read again.
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
	if l.messages == nil {
		l.messages = more
	}
	for id, m := range more {
		l.messages[id] = m
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
	if l.contacts, err = l.tx.ContactsByIDs(ctx, assigned); err != nil {
		return err
	}
	threadIDs := ids[api.KindThread]
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
	for _, id := range threadIDs {
		if th, ok := threads[id]; ok && visible(th, l.userID) {
			l.threads[id] = &th
		} else {
			l.threads[id] = nil
		}
	}
	if l.states, err = l.tx.InboxStates(ctx, l.userID, ids[api.KindThread]); err != nil {
		return err
	}
	return l.prefetchConversation(ctx, ids)
}

// prefetchConversation reads what issue 7 adds to a page's entities.
func (l *loader) prefetchConversation(ctx context.Context, ids map[string][]string) error {
	var err error
	if l.likely, err = l.tx.LikelyOptOuts(ctx, ids[api.KindMessage]); err != nil {
		return err
	}
	if l.reassigned, err = l.tx.Reassignments(ctx, ids[api.KindThread]); err != nil {
		return err
	}
	var userIDs []string
	for _, r := range l.reports {
		userIDs = append(userIDs, r.UserID)
	}
	for _, r := range l.reassigned {
		userIDs = append(userIDs, r.FromUserID)
	}
	l.users, err = l.tx.UsersByIDs(ctx, userIDs)
	return err
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
		return apiAssignment(c), nil
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
	}
	return nil, fmt.Errorf("unknown feed kind %q", kind)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
