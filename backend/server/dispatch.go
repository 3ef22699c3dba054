package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// The outbound dispatcher. A mutation commits its text as queued and
// returns; the dispatcher claims queued texts (recording sending BEFORE the
// provider is called), sends them with bounded concurrency and records sent
// or failed. A text left sending by a crash is looked up at the provider
// first and sent again only if the provider has no trace of it; if the
// provider cannot say, the text is marked unknown and never sent blindly.

const (
	providerWait = 30 * time.Second
	// sendAttempts bounds the tries of one text when the provider is busy
	// or does not answer.
	sendAttempts = 5
	// lookupSlack widens a crash lookup for clocks that disagree.
	lookupSlack = time.Minute
	// skewSlack is how far before a text's row a lookup that found
	// nothing looks again for a copy a clock ahead here misdated
	// (errEarlierCopy): a day, past any time zone set by mistake.
	skewSlack = 24 * time.Hour
)

// kick wakes the dispatcher after a commit queued texts.
func (s *Server) kick() {
	s.hand.queued()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// outcome is what became of one claimed text.
type outcome struct {
	o          store.Outgoing
	status     string // "" leaves the text as it is (shutdown): recovered on restart
	providerID string
	errText    string
	optOut     bool
	// lookedUp: providerID came from a lookup, not from the provider's
	// answer to our call (dispatch_record.go treats a clash differently).
	lookedUp bool
}

// RunDispatcher sends queued texts until ctx ends, then finishes the calls
// under way and records them. Run one per server: servers sharing a
// PostgreSQL database claim each text once (store.SendPathTx.ClaimQueued).
func (s *Server) RunDispatcher(ctx context.Context) {
	base := context.WithoutCancel(ctx)
	left := s.takeLeftSending(base)
	// A claim is a write transaction on the writer every volunteer's
	// send waits for: texts are claimed a worker's worth at a time at
	// least, not one or two each time a call ends. capacity bounds the
	// texts claimed or handed over by their sends (dispatch_handoff.go)
	// and not yet recorded: every text a crash leaves sending. A send's
	// slot is held from its group's writes to its answer's commit, two
	// group commits at least, so at thousands of sends a second 16 x
	// workers were all taken and nearly every text went through the
	// queue (PERFORMANCE-LOG.md, "Seventeenth round"). A claim takes at most
	// maxClaim, and while texts wait in the queue sends leave that many
	// slots to the claims.
	capacity, minClaim, maxClaim := 64*s.workers, s.workers, 4*s.workers
	jobs := make(chan store.Outgoing, capacity)
	results := make(chan outcome, capacity)
	var workers sync.WaitGroup
	// Texts reach the workers once their records are on the disk
	// (dispatch_durable.go).
	ready := make(chan store.Outgoing, capacity)
	workers.Add(1)
	go func() {
		defer workers.Done()
		s.makeDurable(jobs, ready, results)
	}()
	for range s.workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for o := range ready {
				if ctx.Err() != nil {
					// Stopping: a text whose call has not begun goes back
					// to the queue (its provider was never called), for
					// the next start or another server, instead of
					// holding the stop for up to capacity calls.
					results <- outcome{o: o, status: api.StatusQueued}
					continue
				}
				results <- s.sendOne(ctx, base, o)
			}
		}()
	}
	freed := s.hand.open(jobs, capacity, maxClaim)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		s.recordOutcomes(ctx, base, results)
	}()
	adopting := make(chan struct{})
	go func() {
		defer close(adopting)
		s.adoptOrphans(ctx, base)
	}()
	var settling sync.WaitGroup
	settling.Add(1)
	go func() {
		defer settling.Done()
		s.settleLeftSending(ctx, base, left)
	}()
	poll := time.NewTicker(s.poll)
	defer poll.Stop()
	for {
		claimedAll := false
		free, ticket := 0, uint64(0)
		// Nothing more is claimed once stopping, nor while this server's
		// lease does not hold (dispatch_lease.go).
		if ctx.Err() == nil && s.leaseHeld(nil) {
			free, ticket = s.hand.claimable(minClaim, maxClaim)
		}
		if ctx.Err() == nil && s.own.lookNow() {
			// Between claims: every text claimed so far is in hand.
			if stranded := s.takeStranded(base); len(stranded) > 0 {
				settling.Add(1)
				go func() {
					defer settling.Done()
					s.settleStranded(ctx, base, stranded)
				}()
			}
		}
		if free > 0 {
			claimed, err := s.claim(base, free)
			if err != nil {
				// Its commit may have taken effect: texts sending that
				// no worker has.
				s.own.strand()
				s.log.Error().Err(err).Msg("dispatcher: claim queued texts")
			}
			s.own.take(claimed)
			for _, o := range claimed {
				jobs <- o
			}
			// A failed claim says nothing of the queue: it keeps its backlog.
			s.hand.took(free, len(claimed), ticket, err == nil)
			claimedAll = len(claimed) == free
		}
		if claimedAll {
			// There may be more; take them once a worker frees up.
			select {
			case <-freed:
			case <-ctx.Done():
			}
		} else {
			select {
			case <-freed:
			case <-s.wake:
			case <-poll.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			s.hand.close()
			close(jobs)
			workers.Wait()
			close(results)
			<-recorded
			<-adopting
			settling.Wait()
			return
		}
	}
}

// claim marks up to n queued texts sending and returns them.
func (s *Server) claim(ctx context.Context, n int) ([]store.Outgoing, error) {
	var out []store.Outgoing
	err := s.updateUnanswered(ctx, func(tx store.Tx) error {
		// One statement for the claim and its feed rows, however many
		// texts, which needs no answer before the commit: the dispatcher
		// shares the one writer with the sends. A group run again claims
		// again (got is called again).
		out = nil
		return tx.ClaimQueued(ctx, n, api.KindMessage, s.clock(), func(list []store.Outgoing) { out = list })
	})
	if err != nil {
		// Not recorded sending (the group's commit failed): sending them
		// now could send them twice.
		return nil, err
	}
	return out, nil
}

// sendOne calls the provider for one claimed text, retrying while the
// provider is busy and looking the text up when a call's fate is unknown.
func (s *Server) sendOne(stop, base context.Context, o store.Outgoing) outcome {
	msg := sms.Outbound{From: o.From, To: o.To, Body: o.Body, IdempotencyKey: o.ID}
	log := s.log.With().Str("message_id", o.ID).Logger()
	var lastErr error
	unsure := false
	for attempt := 0; attempt < sendAttempts; attempt++ {
		if attempt > 0 {
			wait := s.retryBase << (attempt - 1)
			if unsure {
				// Long enough for a create the provider was still working
				// on when the call gave up to show in the lookup.
				wait = max(wait, s.unsureWait)
			}
			select {
			case <-time.After(wait):
			case <-stop.Done():
				// Left sending: the restart looks it up before sending.
				return outcome{o: o}
			}
			if unsure {
				found, err := s.lookup(base, o, nil)
				if err == nil && found.ProviderID != "" {
					return foundOutcome(o, found)
				}
				if errors.Is(err, errEarlierCopy) {
					return outcome{o: o, status: api.StatusUnknown, errText: err.Error()}
				}
				if err != nil {
					lastErr = err
					continue
				}
			}
			// The number may have opted out while the text waited to be
			// tried again: the rule holds when a text goes out (optOut
			// fails the texts still queued; this one was in hand).
			if s.optedOutNow(base, o) {
				log.Info().Msg("the contact opted out while the text waited to be tried again; not sent")
				return outcome{o: o, status: api.StatusFailed, errText: optedOutBeforeSent}
			}
		}
		// Only under a lease that holds, and no longer than it does: past
		// it, another server may take the text over (dispatch_lease.go).
		may, over := s.mayCall(stop, o)
		if !may {
			log.Warn().Msg("this server's claim on the text ended (its database connection was cut); left for the server that takes it over")
			return outcome{o: o}
		}
		cctx, cancel := context.WithTimeout(base, providerWait)
		unwatch := func() bool { return false }
		if over != nil {
			unwatch = context.AfterFunc(over, cancel)
		}
		s.words.begin(o)
		id, err := s.provider.Send(cctx, msg)
		if err != nil {
			id = ""
		}
		s.words.end(o, id)
		unwatch()
		cancel()
		if err == nil {
			return outcome{o: o, status: api.StatusSent, providerID: id}
		}
		if over != nil && over.Err() != nil {
			log.Warn().Err(err).Msg("call cancelled: this server's claim on the text ended (its database connection was cut); left for the server that takes it over")
			return outcome{o: o}
		}
		lastErr = err
		var pe *sms.Error
		switch {
		case errors.As(err, &pe) && pe.Retry:
			log.Warn().Err(err).Int("attempt", attempt+1).Msg("provider busy; retrying")
		case errors.As(err, &pe) && pe.Unsure, isTimeout(err):
			unsure = true
			log.Warn().Err(err).Int("attempt", attempt+1).Msg("provider did not answer; looking the text up before trying again")
		default:
			log.Error().Err(err).Msg("provider refused text")
			return outcome{o: o, status: api.StatusFailed, errText: err.Error(),
				optOut: pe != nil && pe.Code == sms.CodeUnsubscribed}
		}
	}
	if unsure {
		log.Error().Err(lastErr).Msg("provider cannot say whether the text went out; marked unknown, not resent")
		return outcome{o: o, status: api.StatusUnknown, errText: "the SMS provider could not confirm this text: " + lastErr.Error()}
	}
	return outcome{o: o, status: api.StatusFailed, errText: "the SMS provider is busy; text not sent: " + lastErr.Error()}
}

// optedOutNow says whether o's number has opted out of its organization
// (false when that cannot be read: the provider call goes ahead, as it
// would have before the check).
func (s *Server) optedOutNow(ctx context.Context, o store.Outgoing) bool {
	out := false
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		out, err = tx.IsOptedOut(ctx, o.OrganizationID, o.To)
		return err
	})
	if err != nil {
		s.log.Warn().Err(err).Str("message_id", o.ID).Msg("dispatcher: read opt-out before trying again")
	}
	return out && err == nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// statusRank orders a text's life so that a late or repeated callback never
// moves it backwards.
var statusRank = map[string]int{
	api.StatusQueued: 0, api.StatusSending: 1, api.StatusSent: 2, api.StatusUnknown: 2,
	api.StatusDelivered: 3, api.StatusUndelivered: 3, api.StatusFailed: 3,
}

// providerStatuses maps the provider's word on a text to ours.
var providerStatuses = map[string]string{
	sms.StatusSent: api.StatusSent, sms.StatusDelivered: api.StatusDelivered,
	sms.StatusUndelivered: api.StatusUndelivered, sms.StatusFailed: api.StatusFailed,
}

// UpdateStatus records a provider's later word on a text (a status
// callback). Repeats and callbacks arriving out of order change nothing.
func (s *Server) UpdateStatus(ctx context.Context, u sms.StatusUpdate) error {
	u = storableStatus(u)
	status, ok := providerStatuses[u.Status]
	if !ok {
		return fmt.Errorf("status %q: want sent, delivered, undelivered or failed", u.Status)
	}
	return s.update(ctx, func(tx store.Tx) error {
		m, err := tx.MessageByProviderID(ctx, u.ProviderID)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s: %w", u.ProviderID, sms.ErrUnknownMessage)
		}
		if err != nil {
			return err
		}
		if m.Direction != api.DirOutbound || statusRank[status] <= statusRank[m.Status] {
			return nil
		}
		errText := m.Error
		if u.ErrorCode != "" || u.ErrorMessage != "" {
			errText = (&sms.Error{Code: u.ErrorCode, Message: u.ErrorMessage}).Error()
		}
		if err := tx.SetMessageStatus(ctx, m.ID, status, "", errText, nil); err != nil {
			return err
		}
		recounted, err := recountFailed(ctx, tx, []store.MessageStatus{{ID: m.ID, Status: status, Error: errText}})
		if err != nil {
			return err
		}
		th, err := tx.ThreadByID(ctx, m.ThreadID)
		if err != nil {
			return err
		}
		now := s.clock()
		if err := tx.AppendFeeds(ctx, now, recounted...); err != nil {
			return err
		}
		if u.ErrorCode == sms.CodeUnsubscribed {
			if err := optOut(ctx, tx, unsubscribed(th.OrganizationID, th.ContactPhone, m.ID, now)); err != nil {
				return err
			}
		}
		return feed(ctx, tx, now, th.OwnerID, api.KindMessage, m.ID)
	})
}

// Pending counts texts not yet handed to the provider or whose answer is
// not recorded (queued or sending).
func (s *Server) Pending(ctx context.Context) (int, error) {
	var n int
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.CountPending(ctx)
		return err
	})
	return n, err
}
