package server

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/server/store"
)

// The dispatcher's answers: what the provider said of each text, recorded
// in batches.

const (
	recordBatch = 256
	// recordRetry and maxRecordRetry space the tries of a batch of
	// answers the database would not take, for up to recordPatience.
	recordRetry    = 50 * time.Millisecond
	maxRecordRetry = 5 * time.Second
	recordPatience = time.Minute
)

// recordOutcomes writes outcomes as they come, many per transaction.
func (s *Server) recordOutcomes(stop, ctx context.Context, results <-chan outcome) {
	for first := range results {
		batch := []outcome{first}
	drain:
		for len(batch) < recordBatch {
			select {
			case r, ok := <-results:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		// Tried again while the database is away (a restart, a fail-over):
		// only these answers tell a refused or unknown text from a sent
		// one; a lookup could send a refused text again. Past
		// recordPatience, or once stopping, the texts stay sending: the
		// claim loop looks them up (dispatch_stranded.go), else the next
		// start.
		err := s.record(ctx, batch)
		for wait, since := recordRetry, time.Now(); err != nil; wait = min(2*wait, maxRecordRetry) {
			s.log.Error().Err(err).Int("texts", len(batch)).Msg("dispatcher: record provider answers")
			if time.Since(since) > recordPatience || !pause(stop, wait) {
				break
			}
			err = s.record(ctx, batch)
		}
		taken := make([]store.Outgoing, len(batch))
		for i, r := range batch {
			taken[i] = r.o
		}
		s.own.drop(taken, err != nil)
		s.hand.done(len(batch))
	}
}

// record writes outs in one transaction; once it has committed, their
// answers are no longer this server's alone to know (dispatch_words.go),
// whether the recorder or a settling wrote them.
func (s *Server) record(ctx context.Context, outs []outcome) error {
	err := s.recordTx(ctx, outs)
	if err == nil {
		s.words.recorded(outs)
	}
	return err
}

func (s *Server) recordTx(ctx context.Context, outs []outcome) error {
	return s.updateUnanswered(ctx, func(tx store.Tx) error {
		now := s.clock()
		rows := make([]store.FeedRow, 0, len(outs))
		sts := make([]store.MessageStatus, 0, len(outs))
		lookedUp := make([]bool, 0, len(outs))
		for _, r := range outs {
			if r.status == "" {
				continue
			}
			// Under its lease: skipped if another server has taken the
			// text over meanwhile (dispatch_lease.go).
			// The provider's id and words are kept whatever they hold
			// (nulinput.go).
			st := store.MessageStatus{ID: r.o.ID, Status: r.status, ProviderID: nulchar.Replace(r.providerID),
				Error: nulchar.Replace(r.errText), Lease: r.o.Lease}
			if wentOut(r.status) {
				st.SentAt = &now
			}
			sts = append(sts, st)
			lookedUp = append(lookedUp, r.lookedUp)
			rows = append(rows, store.FeedRow{UserID: r.o.OwnerID, Kind: api.KindMessage, EntityID: r.o.ID})
		}
		// One statement for the batch; should it refuse them (a provider
		// id we already hold, say), the answers are recorded one by one.
		// Any other error is the transaction's (PostgreSQL has aborted
		// it): said as it is, not hidden behind the fallback's.
		if err := tx.SetMessageStatuses(ctx, sts); errors.Is(err, store.ErrDuplicate) || errors.Is(err, store.ErrNotFound) {
			for i := range sts {
				if err := s.recordOne(ctx, tx, &sts[i], lookedUp[i]); err != nil {
					return err
				}
			}
		} else if err != nil {
			return err
		}
		recounted, err := recountFailed(ctx, tx, sts)
		if err != nil {
			return err
		}
		rows = append(rows, recounted...)
		for _, r := range outs {
			if r.status != "" && r.optOut {
				if err := optOut(ctx, tx, unsubscribed(r.o.OrganizationID, r.o.To, r.o.ID, now)); err != nil {
					return err
				}
			}
		}
		return tx.AppendFeeds(ctx, now, rows...)
	})
}

// wentOut: the provider took the text (whatever became of it after).
func wentOut(status string) bool {
	return status == api.StatusSent || status == api.StatusDelivered || status == api.StatusUndelivered
}

// recordOne records one provider answer, under its lease as in a batch.
// lookedUp: the provider id came from a lookup (dispatch_recover.go).
// st ends as it was recorded.
func (s *Server) recordOne(ctx context.Context, tx store.Tx, st *store.MessageStatus, lookedUp bool) error {
	err := tx.SetMessageStatuses(ctx, []store.MessageStatus{*st})
	if errors.Is(err, store.ErrDuplicate) {
		reused := st.ProviderID
		st.ProviderID = ""
		if lookedUp {
			// Another text of ours with the same words took that
			// provider text first: this one may never have gone out.
			// Not sent again (the provider may hold a second copy the
			// lookup missed); not claimed as sent either.
			s.log.Error().Str("message_id", st.ID).Msg("a text found at the provider is another message's; marked unknown")
			st.Status, st.SentAt = api.StatusUnknown, nil
			st.Error = "sending was interrupted, and the SMS provider's only record of these words is another text's: whether this one went out is unknown"
		} else {
			// The text went out (the provider answered our call); an id
			// we already hold for another message must not leave this
			// one looking unsent.
			s.log.Error().Str("message_id", st.ID).Str("provider_id", reused).Msg("provider reused a message id")
		}
		err = tx.SetMessageStatuses(ctx, []store.MessageStatus{*st})
	}
	return err
}

// recountFailed works out again how far the answers of the threads of the
// texts in sts that failed reach (a failed reply answered nobody, though
// it moved the thread's answered_through when it was taken), and gives
// the feed rows that bring those threads to their owners' apps. Texts that
// went cost nothing: no statement runs unless one failed.
func recountFailed(ctx context.Context, tx store.Tx, sts []store.MessageStatus) ([]store.FeedRow, error) {
	var failed []string
	for _, st := range sts {
		if !inbox.Reached(st.Status, st.Error) {
			failed = append(failed, st.ID)
		}
	}
	if len(failed) == 0 {
		return nil, nil
	}
	threads, err := tx.RecountAnswers(ctx, failed)
	if err != nil {
		return nil, err
	}
	rows := make([]store.FeedRow, len(threads))
	for i, th := range threads {
		rows[i] = store.FeedRow{UserID: th.OwnerID, Kind: api.KindThread, EntityID: th.ThreadID}
	}
	return rows, nil
}

// pause waits d, or until stop ends: false then.
func pause(stop context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-stop.Done():
		return false
	case <-t.C:
		return true
	}
}
