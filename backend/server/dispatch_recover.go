package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// lookup asks the provider for a text it may have sent: one matching text
// that no other message of ours holds and that is not in claimed (given
// to another text with the same words in this round, not yet recorded);
// a zero Sent if there is none. One such text dated only before o's row
// (less lookupSlack) is errEarlierCopy: it may be o's, dated by a clock
// that differs from ours, so o must not be sent again.
func (s *Server) lookup(ctx context.Context, o store.Outgoing, claimed map[string]bool) (sms.Sent, error) {
	cctx, cancel := context.WithTimeout(ctx, providerWait)
	defer cancel()
	found, err := s.lookupSince(cctx, o, claimed, o.CreatedAt.Add(-lookupSlack))
	if err != nil || found.ProviderID != "" {
		return found, err
	}
	// Asked only when nothing was found (a text a crash cut before its
	// call, mostly), so a recovery that finds its texts asks once.
	earlier, err := s.lookupSince(cctx, o, claimed, o.CreatedAt.Add(-skewSlack))
	if err != nil || earlier.ProviderID == "" {
		return sms.Sent{}, err
	}
	s.log.Warn().Str("message_id", o.ID).Str("provider_id", earlier.ProviderID).Time("written", o.CreatedAt).
		Msg("the provider holds a text with these words from before this one was written that no text here accounts for; not sending it again (is this server's clock right?)")
	return sms.Sent{}, errEarlierCopy
}

// errEarlierCopy: the provider holds a text with o's words to o's contact
// from o's number, dated before o's row was written, that no message of
// ours accounts for. The row is dated by this server's clock and the
// provider's text by the provider's: a clock running ahead here (one NTP
// later steps back, a clock set in local time) makes the text a call for
// o created look older than o. Marked unknown rather than sent again, as
// when the provider cannot answer.
var errEarlierCopy = errors.New("the SMS provider holds a text with these words to this contact, dated shortly before this one was written, that no other text here accounts for; it may be this one (this server's clock may have been ahead), so it was not sent again")

// lookupSince is lookup's look at the provider's texts since since.
func (s *Server) lookupSince(ctx context.Context, o store.Outgoing, claimed map[string]bool, since time.Time) (sms.Sent, error) {
	found, err := s.lookupQuiet(ctx, o, since)
	if err != nil {
		return sms.Sent{}, err
	}
	for _, f := range found {
		if claimed[f.ProviderID] || s.words.othersAnswer(f.ProviderID, o.ID) {
			continue
		}
		taken := false
		err := s.store.View(ctx, func(tx store.Tx) error {
			m, err := tx.MessageByProviderID(ctx, f.ProviderID)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			taken = err == nil && m.ID != o.ID
			return err
		})
		if err != nil {
			return sms.Sent{}, err
		}
		if !taken {
			return f, nil
		}
	}
	return sms.Sent{}, nil
}

// lookupQuiet asks the provider for the texts with o's words once no
// other text with them is in flight, here or at another server: a call
// under way may have made a text the provider lists already, and an
// answered one's id be on no message yet (dispatch_words.go). Asked again
// if one was in flight when the answer came: a text claimed, and its call
// begun, after the wait may be in it. One not in flight then has its
// provider id recorded, for lookup to leave, or made no text the answer
// lists (its call begins after the claim, which the second look would see).
func (s *Server) lookupQuiet(ctx context.Context, o store.Outgoing, since time.Time) ([]sms.Sent, error) {
	for {
		if err := s.quietWords(ctx, o); err != nil {
			return nil, fmt.Errorf("wait for texts with the same words in flight: %w", err)
		}
		found, err := s.provider.Lookup(ctx, sms.Outbound{From: o.From, To: o.To, Body: o.Body, IdempotencyKey: o.ID}, since)
		if err != nil {
			return nil, err
		}
		busy, err := s.wordsBusy(ctx, o)
		if err != nil {
			return nil, err
		}
		if !busy {
			return found, nil
		}
	}
}

// foundOutcome records a text the provider has, with the provider's word
// on it: a text it could not deliver while our server was away (its status
// callbacks went nowhere) is stored so, not as sent.
func foundOutcome(o store.Outgoing, f sms.Sent) outcome {
	out := outcome{o: o, status: api.StatusSent, providerID: f.ProviderID, lookedUp: true}
	if st, ok := providerStatuses[f.Status]; ok {
		out.status = st
	}
	if out.status == api.StatusUndelivered || out.status == api.StatusFailed {
		out.errText = "the SMS provider reports this text " + out.status
	}
	return out
}

// orphanAdopter is a store several servers share (PostgreSQL): a running
// server can take over the texts a server that died left sending.
type orphanAdopter interface {
	AdoptOrphaned(ctx context.Context, limit int) ([]store.Outgoing, error)
}

// adoptEvery spaces a running server's looks for texts a dead server left
// sending (taken over once its key has been free for the store's grace,
// 40 s on PostgreSQL, store/postgres/adopt.go), or one that stopped gave
// up (at once).
const adoptEvery = 5 * time.Second

// adoptOrphans settles, every adoptEvery until stop ends, the texts that
// other servers on the same database died sending. A store without the
// notion (SQLite: one server) ends it at the first look.
func (s *Server) adoptOrphans(stop, base context.Context) {
	t := time.NewTicker(adoptEvery)
	defer t.Stop()
	var held sync.WaitGroup // texts given up, waiting (settleGivenUp)
	defer held.Wait()
	for {
		select {
		case <-stop.Done():
			return
		case <-t.C:
		}
		supported := true
		s.settleSending(stop, base, &held, func(tx store.Tx) ([]store.Outgoing, error) {
			a, ok := tx.(orphanAdopter)
			if !ok {
				supported = false
				return nil, nil
			}
			return a.AdoptOrphaned(base, 100)
		})
		if !supported {
			return
		}
	}
}

// settleSending looks each text list takes over up at the provider and
// records it sent (the provider has it), queued again (no trace of it) or
// unknown (the provider cannot say), until list finds none or stop ends.
// Texts a server that stopped gave up are looked up later, on their own
// (settleGivenUp, counted in held).
func (s *Server) settleSending(stop, ctx context.Context, held *sync.WaitGroup, list func(store.Tx) ([]store.Outgoing, error)) {
	// Nothing is taken over while this server's own lease does not hold:
	// it could settle none of it (dispatch_lease.go).
	for stop.Err() == nil && s.leaseHeld(nil) {
		var taken []store.Outgoing
		err := s.store.Update(ctx, func(tx store.Tx) error {
			s.own.drop(taken, false) // a run before this one's
			var err error
			taken, err = list(tx)
			// In hand before the commit that makes them this server's.
			s.own.take(taken)
			return err
		})
		if err != nil {
			s.own.drop(taken, true)
			s.log.Error().Err(err).Msg("dispatcher: list texts left sending")
			return
		}
		if len(taken) == 0 {
			return
		}
		var now, givenUp []store.Outgoing
		for _, o := range taken {
			if o.GivenUp {
				givenUp = append(givenUp, o)
			} else {
				now = append(now, o)
			}
		}
		if len(givenUp) > 0 {
			held.Add(1)
			go func() {
				defer held.Done()
				s.settleGivenUp(stop, ctx, givenUp)
			}()
		}
		if len(now) > 0 && !s.settle(stop, ctx, now) {
			return
		}
	}
}

// settle looks each of taken (in hand) up at the provider and records what
// it says; false if that could not be recorded, or stop ended first (the
// texts not yet looked up stay sending, for the next start).
func (s *Server) settle(stop, ctx context.Context, taken []store.Outgoing) bool {
	outs := make([]outcome, 0, len(taken))
	// Two texts with the same words to one contact match the same
	// provider texts: each provider text accounts for one of ours.
	claimed := map[string]bool{}
	for _, o := range taken {
		if stop.Err() != nil {
			break
		}
		found, err := s.lookup(ctx, o, claimed)
		switch {
		case errors.Is(err, errEarlierCopy):
			outs = append(outs, outcome{o: o, status: api.StatusUnknown, errText: err.Error()})
		case err != nil:
			s.log.Error().Err(err).Str("message_id", o.ID).Msg("text left sending: provider cannot say whether it went out; marked unknown")
			outs = append(outs, outcome{o: o, status: api.StatusUnknown,
				errText: "sending was interrupted and the SMS provider cannot say whether this text went out: " + err.Error()})
		case found.ProviderID != "":
			claimed[found.ProviderID] = true
			s.log.Info().Str("message_id", o.ID).Str("provider_id", found.ProviderID).Str("provider_status", found.Status).Msg("text left sending: provider had it")
			outs = append(outs, foundOutcome(o, found))
		default:
			s.log.Info().Str("message_id", o.ID).Msg("text left sending: provider has no trace of it; sending it")
			outs = append(outs, outcome{o: o, status: api.StatusQueued})
		}
	}
	// Recorded under each text's lease (dispatch_record.go): skipped for a
	// text another server has taken over meanwhile, which a text queued
	// again here could otherwise send twice.
	err := s.record(ctx, outs)
	s.own.drop(taken, err != nil)
	if err != nil {
		s.log.Error().Err(err).Msg("dispatcher: record what the provider said of texts left sending")
		return false
	}
	s.kick() // texts queued again
	return len(outs) == len(taken)
}
