package server

import (
	"context"
	"encoding/json"
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

// answerBudget is the bytes a sync page or a contacts answer may take
// (api.SyncPageBytes, or a test's SetSyncPageBytes).
func (s *Server) answerBudget() int {
	if b := int(s.syncPageBytes.Load()); b != 0 {
		return b
	}
	return api.SyncPageBytes
}

func (s *Server) handleSync(w http.ResponseWriter, r *http.Request, u store.User) error {
	cursor, limit, err := parseSyncQuery(r)
	if err != nil {
		return err
	}
	if !s.syncs.enter(u.ID, maxSyncsPerUser) {
		return s.tooManySyncs(w, u)
	}
	defer s.syncs.leave(u.ID)
	budget := s.answerBudget()
	var out api.SyncResponse
	err = s.store.View(r.Context(), func(tx store.Tx) error {
		var err error
		out, err = buildSync(r.Context(), tx, u.ID, cursor, limit, budget)
		return err
	})
	if err != nil {
		return err
	}
	// Encoded by hand: the changes' Data, encoded once by buildSync, are
	// not compacted again (api.SyncResponse.AppendJSON).
	writeJSONBytes(w, http.StatusOK, out.AppendJSON(make([]byte, 0, out.JSONSize()+1)))
	return nil
}

// buildSync reads the page of the user's feed after cursor and loads each
// entity as it is now. An entity named several times in the page appears
// once, where it first appeared (so a thread still precedes the replies
// written after it, and a hand-over's history still precedes its thread:
// the app's news rule, server reassign), carrying the newest version.
// A page whose changes pass budget bytes ends early (fitBudget).
func buildSync(ctx context.Context, tx store.Tx, userID string, cursor int64, limit, budget int) (api.SyncResponse, error) {
	rows, err := tx.FeedAfter(ctx, userID, cursor, limit+1)
	if err != nil {
		return api.SyncResponse{}, err
	}
	out := api.SyncResponse{Changes: []api.Change{}, Cursor: cursor}
	var msgs map[string]store.Message
	var texted map[string]bool
	rows, out.More, msgs, texted, err = expandFeed(ctx, tx, rows, limit)
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
	// The page's messages, read to expand its first texts, are not read
	// again.
	ld := &loader{tx: tx, userID: userID, actions: map[string]store.Action{}, threads: map[string]*store.Thread{},
		messages: msgs, texted: texted}
	if err := ld.prefetch(ctx, order); err != nil {
		return api.SyncResponse{}, err
	}
	size := 0
	for _, row := range order {
		if size > budget && len(out.Changes) >= versionChanges {
			break // past the first version and the budget: fitBudget keeps none of the rest
		}
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
		size += ch.JSONSize()
		out.Changes = append(out.Changes, ch)
	}
	if size > budget {
		out = fitBudget(out, rows, budget)
	}
	return out, nil
}

// expandFeed expands the first-text rows of a feed page and keeps the
// rows whose changes fit in limit (at least one row): more is true when
// rows are left. msgs are the messages of the rows it kept, as read (the
// first texts', which it needs, and the message rows' with them: one read
// instead of two, PERFORMANCE-LOG.md "A cheaper small sync"); texted holds
// the contacts whose first text it kept (a contact's thread has the
// contact's id).
func expandFeed(ctx context.Context, tx store.Tx, rows []store.FeedRow, limit int) (out []store.FeedRow, more bool,
	msgs map[string]store.Message, texted map[string]bool, err error) {
	// Only the rows that can fit are read for: a first text counted as the
	// three changes it is at most (upto rows, at least one).
	var ids []string
	firstTexts := 0
	upto, n := 0, 0
	for i, r := range rows {
		size := 1
		if r.Kind == store.FeedFirstText {
			size = 3
		}
		if i > 0 && n+size > limit {
			break
		}
		n += size
		upto++
		if r.Kind == store.FeedFirstText {
			firstTexts++
		}
		if r.Kind == store.FeedFirstText || r.Kind == api.KindMessage {
			ids = append(ids, r.EntityID)
		}
	}
	texted = make(map[string]bool, firstTexts)
	if firstTexts > 0 {
		if msgs, err = tx.MessagesByIDs(ctx, ids); err != nil {
			return nil, false, nil, nil, err
		}
	}
	out = make([]store.FeedRow, 0, min(len(rows), limit))
	for i, r := range rows {
		if i == upto {
			return out, true, msgs, texted, nil
		}
		exp := []store.FeedRow{r}
		if r.Kind == store.FeedFirstText {
			exp[0].Kind = api.KindMessage
			if m, ok := msgs[r.EntityID]; ok {
				texted[m.ThreadID] = true
				exp = []store.FeedRow{
					{Seq: r.Seq, UserID: r.UserID, Kind: api.KindAssignment, EntityID: m.ThreadID},
					{Seq: r.Seq, UserID: r.UserID, Kind: api.KindThread, EntityID: m.ThreadID},
					exp[0],
				}
			}
		}
		if i > 0 && len(out)+len(exp) > limit {
			return out, true, msgs, texted, nil
		}
		out = append(out, exp...)
	}
	return out, false, msgs, texted, nil
}
