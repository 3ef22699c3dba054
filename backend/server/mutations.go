package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

const (
	maxMutations  = 500
	maxMutationID = api.MaxID
)

func (s *Server) handleMutations(w http.ResponseWriter, r *http.Request, u store.User) error {
	if ok, wait := s.pushes.take(u.ID, time.Now()); !ok {
		s.tooManyPushes(w, r, u, wait)
		return nil
	}
	var req api.MutationsRequest
	// A mutation holding a NUL is refused as that mutation's result
	// (applyAll), not as the push's: the rest of the push goes through.
	if err := decodeBody(w, r, &req); err != nil {
		return err
	}
	if len(req.Mutations) > maxMutations {
		return badField("mutations", "at most %d mutations per request, got %d", maxMutations, len(req.Mutations))
	}
	results, err := s.applyAll(r.Context(), u, req.Mutations)
	if err != nil {
		// Nothing of this push is stored; the client's retry applies it.
		return err
	}
	writeJSON(w, http.StatusOK, api.MutationsResponse{Results: results})
	return nil
}

// outbound says a mutation queued a text for the dispatcher, or handed
// it to a worker (newOutbound).
type outbound struct {
	messageID string
	handed    bool
}

// mutationFunc applies one mutation inside a transaction. A rejection is a
// result, not an error; an error aborts the transaction.
type mutationFunc func(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error)

func (s *Server) mutationFuncs() map[string]mutationFunc {
	return map[string]mutationFunc{
		api.MutSendInitial: s.applySendInitial,
		api.MutReply:       s.applyReply,
		api.MutRead:        s.applyRead,
		api.MutArchive:     s.applyArchive,
		api.MutReport:      s.applyReport,
		api.MutSettings:    s.applySettings,
		api.MutBlock:       s.applyBlock,
		api.MutReassign:    s.applyReassign,
	}
}

func applied(id string) api.MutationResult {
	return api.MutationResult{ID: id, Status: api.ResultApplied}
}

func rejected(id, code, format string, args ...any) api.MutationResult {
	return api.MutationResult{ID: id, Status: api.ResultRejected, Code: code, Reason: fmt.Sprintf(format, args...)}
}

// Apply applies one mutation for userID at most once: a repeated id answers
// the stored result without doing anything again.
func (s *Server) Apply(ctx context.Context, userID string, m api.Mutation) (api.MutationResult, error) {
	res, err := s.ApplyAll(ctx, userID, []api.Mutation{m})
	if err != nil {
		return api.MutationResult{}, err
	}
	return res[0], nil
}

// ApplyAll applies a push of mutations in order in ONE write transaction
// (each sees the effects of those before it), so a push costs one commit
// however long it is. Texts are committed as queued and the dispatcher is
// woken after the commit; no provider is called here.
func (s *Server) ApplyAll(ctx context.Context, userID string, ms []api.Mutation) ([]api.MutationResult, error) {
	var u store.User
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		u, err = tx.UserByID(ctx, userID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.applyAll(ctx, u, ms)
}

// applyAll is ApplyAll for a user the request already loaded (its token
// named them): the shared write transaction does not read them again
// (textbankd deletes no user).
func (s *Server) applyAll(ctx context.Context, u store.User, ms []api.Mutation) ([]api.MutationResult, error) {
	funcs := s.mutationFuncs()
	results := make([]api.MutationResult, len(ms))
	queued := false
	// Mutations holding a NUL are refused before anything reads for them
	// (PostgreSQL cannot even look such an id up).
	refused, clean := refuseNULMutations(ms)
	// First texts are checked, and every mutation fingerprinted, before
	// the writer is taken (send_planned.go, mutation_fingerprint.go).
	plans := s.planInitials(ctx, u, clean)
	fps := fingerprints(ms)
	err := s.update(ctx, func(tx store.Tx) error {
		queued = false
		for i, m := range ms {
			if refused != nil && refused[i] != nil {
				results[i] = *refused[i]
				continue
			}
			var plan *initialPlan
			if plans != nil {
				plan = plans[i]
			}
			res, send, err := s.applyOne(ctx, tx, u, funcs, m, fps[i], plan)
			if err == nil {
				res, err = removedRefusal(ctx, tx, u, m, res)
			}
			if err != nil {
				return fmt.Errorf("apply mutation %s (%s): %w", m.ID, m.Type, err)
			}
			results[i] = res
			queued = queued || (send != nil && !send.handed)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if queued {
		s.kick()
	}
	return results, nil
}

// applyOne applies m, fingerprinted fp (mutationFingerprint), or answers
// the result stored for its id.
func (s *Server) applyOne(ctx context.Context, tx store.Tx, u store.User, funcs map[string]mutationFunc, m api.Mutation, fp []byte, plan *initialPlan) (api.MutationResult, *outbound, error) {
	if m.ID == "" || len(m.ID) > maxMutationID {
		return rejected(m.ID, api.RejectInvalid, "mutation id must be 1 to %d characters", maxMutationID), nil, nil
	}
	if plan != nil {
		res, send, ok, err := s.applyPlanned(ctx, tx, u, m, fp, plan, s.clock())
		if ok || err != nil {
			return res, send, err
		}
	}
	prev, err := tx.MutationByID(ctx, m.ID)
	if err == nil {
		if prev.UserID != u.ID {
			// Not stored: the id belongs to someone else's mutation.
			return rejected(m.ID, api.RejectIDReused, "mutation id %s is already used", m.ID), nil, nil
		}
		if prev.Type != m.Type {
			// Not a retry (the app resends a mutation whole): an id
			// reused by mistake must not be answered "applied" for a
			// change that was never made. Not stored either.
			return rejected(m.ID, api.RejectIDReused, "mutation id %s is already used for a %s", m.ID, prev.Type), nil, nil
		}
		if !sameContent(prev.Fingerprint, fp) {
			// Likewise for the same type with other content: answering
			// the first result would lose this change while the app
			// believes it made. The words name the id (the app shows them,
			// its log keeps the id and code); this log tells the operator
			// an app is reusing ids. A group that runs again logs it again.
			s.log.Warn().Str("user", u.ID).Str("mutation", m.ID).Str("type", m.Type).
				Msg("mutation id reused for other content; refused")
			return rejected(m.ID, api.RejectIDReused, "mutation id %s is already used for a different %s; this one was not applied", m.ID, m.Type), nil, nil
		}
		return api.MutationResult(prev.Result), nil, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return api.MutationResult{}, nil, err
	}
	now := s.clock()
	var (
		res  api.MutationResult
		send *outbound
	)
	if fn, ok := funcs[m.Type]; !ok {
		res = rejected(m.ID, api.RejectInvalid, "unknown mutation type %q", m.Type)
	} else if res, send, err = fn(ctx, tx, u, m, now); err != nil {
		return api.MutationResult{}, nil, err
	}
	res.ID = m.ID
	if res.Status == api.ResultRejected {
		send = nil
	}
	err = tx.PutMutation(ctx, store.Mutation{ID: m.ID, UserID: u.ID, Type: m.Type, Fingerprint: fp, Result: store.MutationResult(res), CreatedAt: now})
	return res, send, err
}

// ownedThread loads a thread the user owns, or answers the rejection.
func ownedThread(ctx context.Context, tx store.Tx, u store.User, m api.Mutation) (store.Thread, *api.MutationResult, error) {
	if m.ThreadID == "" {
		r := rejected(m.ID, api.RejectInvalid, "%s needs a threadId", m.Type)
		return store.Thread{}, &r, nil
	}
	th, err := tx.ThreadByID(ctx, m.ThreadID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && th.OwnerID != u.ID) {
		r := rejected(m.ID, api.RejectNotAssigned, "this conversation is not assigned to you")
		return store.Thread{}, &r, nil
	}
	return th, nil, err
}

// heldThrough is at, a reply's time the app sends as the newest it held
// (a read's, a report's), never past now: an app cannot hold replies still
// to come. Nor past the newest reply, which may be dated after now (one
// stored before replies were kept within the server's clock, or by a
// server sharing the database whose clock is ahead): the reply just read
// stays read.
func heldThrough(th store.Thread, at, now time.Time) time.Time {
	limit := now
	if th.LastInboundAt != nil && th.LastInboundAt.After(limit) {
		limit = *th.LastInboundAt
	}
	at = at.UTC().Truncate(time.Microsecond)
	if at.After(limit) {
		return limit
	}
	return at
}

// seenThrough is how far into the contact's replies archive or report m
// reaches: the newest reply the app held (inbox.ArchiveCovers; when it was
// made, from an app that does not say), held to what the thread has
// (heldThrough): an at ahead of both, from a client of the API, would make
// an archive hold over replies still to come.
func seenThrough(th store.Thread, m api.Mutation, now time.Time) time.Time {
	return heldThrough(th, inbox.ArchiveCovers(m.At, madeAt(m, now)), now)
}

// answeredThrough is how far th's answers reach once reply m is taken
// (inbox.Answered): as far as before or, if further, the newest reply the
// app held when it was written (inbox.AnswerCovers, held to what the
// thread has as a report's is). The reply is dated now all the same (its
// place in the conversation): written offline and taken after the
// contact's next reply, it does not answer that reply. From an app that
// does not say, every reply before now, as before answers said.
func answeredThrough(th store.Thread, m api.Mutation, now time.Time) time.Time {
	through := answerReach(th, m, now)
	if th.AnsweredThrough != nil && th.AnsweredThrough.After(through) {
		return *th.AnsweredThrough
	}
	return through
}

// answerReach is how far reply m reaches on its own, kept with its text
// (store.Message's AnswersThrough): should it fail, the thread's reach is
// worked out again from its answers that did not (RecountAnswers).
func answerReach(th store.Thread, m api.Mutation, now time.Time) time.Time {
	return heldThrough(th, inbox.AnswerCovers(m.At, now), now)
}

// madeAt is when the app made change m: its createdAt, or now for one
// without (another client of the API) or dated ahead of the server's clock.
func madeAt(m api.Mutation, now time.Time) time.Time {
	if m.CreatedAt.IsZero() || m.CreatedAt.After(now) {
		return now
	}
	return m.CreatedAt
}

// openThread is ownedThread for a thread its owner still sees: one they
// blocked is gone from their inbox, so reading, archiving or reporting on
// it (a second desktop's queued change, say) is refused, not stored.
func openThread(ctx context.Context, tx store.Tx, u store.User, m api.Mutation) (store.Thread, *api.MutationResult, error) {
	th, rej, err := ownedThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return th, rej, err
	}
	if th.Blocked {
		r := rejected(m.ID, api.RejectBlocked, "you blocked %s; their conversation is closed", texting.DisplayName(th.ContactName, th.ContactPhone))
		return store.Thread{}, &r, nil
	}
	return th, nil, nil
}

func (s *Server) applyRead(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	th, rej, err := openThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	at := now
	if m.At != nil {
		at = heldThrough(th, *m.At, now)
	}
	st, err := tx.InboxState(ctx, u.ID, th.ID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	if st.LastReadAt == nil || at.After(*st.LastReadAt) {
		st.LastReadAt = &at
		if err := tx.PutInboxState(ctx, st); err != nil {
			return api.MutationResult{}, nil, err
		}
		if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID); err != nil {
			return api.MutationResult{}, nil, err
		}
	}
	return applied(m.ID), nil, nil
}

func (s *Server) applyArchive(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if m.Archived == nil {
		return rejected(m.ID, api.RejectInvalid, "archive needs archived: true or false"), nil, nil
	}
	th, rej, err := openThread(ctx, tx, u, m)
	if rej != nil || err != nil {
		return deref(rej), nil, err
	}
	st, err := tx.InboxState(ctx, u.ID, th.ID)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	ev := inbox.UserUnarchive
	if *m.Archived {
		// An archive made before the contact's latest reply (queued
		// offline) does not hide that reply: the thread stays in the inbox.
		if !inbox.ArchiveHolds(seenThrough(th, m, now), th.LastInboundAt) {
			return applied(m.ID), nil, nil
		}
		ev = inbox.UserArchive
	} else if st.Archived {
		st.UnarchivedAt = &now // activity: the archiver leaves it out for a while
	}
	setArchive(&st, ev, false)
	if err := tx.PutInboxState(ctx, st); err != nil {
		return api.MutationResult{}, nil, err
	}
	if err := feed(ctx, tx, now, u.ID, api.KindThread, th.ID); err != nil {
		return api.MutationResult{}, nil, err
	}
	return applied(m.ID), nil, nil
}

func (s *Server) applySettings(ctx context.Context, tx store.Tx, u store.User, m api.Mutation, now time.Time) (api.MutationResult, *outbound, error) {
	if m.Settings == nil {
		return rejected(m.ID, api.RejectInvalid, "settings needs a settings object"), nil, nil
	}
	if err := tx.PutSettings(ctx, store.Settings{UserID: u.ID, AutoArchive: m.Settings.AutoArchive}); err != nil {
		return api.MutationResult{}, nil, err
	}
	version, err := tx.AppendFeed(ctx, u.ID, api.KindSettings, u.ID, now)
	if err != nil {
		return api.MutationResult{}, nil, err
	}
	res := applied(m.ID)
	res.Version = version
	return res, nil, nil
}

func deref(r *api.MutationResult) api.MutationResult {
	if r == nil {
		return api.MutationResult{}
	}
	return *r
}
