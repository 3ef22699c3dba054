package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// InboundLister is a provider that can list the texts it received for one
// of our numbers (the Twilio provider; the simulated network delivers
// every reply to a live server and needs none): what Twilio posted to the
// inbound webhook while this server was down, or could not reach it (a
// reverse proxy down, a certificate expired), is lost otherwise, since
// Twilio tries once more, then gives up.
type InboundLister interface {
	// ListInbound lists newest first, at most pages pages; cut says
	// more texts since were left out (the oldest).
	ListInbound(ctx context.Context, to string, since time.Time, pages int) (texts []sms.Inbound, cut bool, err error)
}

// Catch-up bounds: a start is never held (it runs after the server
// listens), and a long outage costs a bounded number of calls and reads.
const (
	// CatchUpLookback is how far back a round lists when the database
	// does not say how far a round listed before (no round has listed
	// every number yet on it).
	CatchUpLookback = 24 * time.Hour
	// CatchUpReach caps how far back a round lists, however long ago the
	// last complete one began (servers stopped over a long weekend, a
	// database restored from an old backup): a week of a busy number's
	// replies is tens of thousands of texts, each a list entry and a
	// read, and a reply older than that is stale for a campaign's
	// volunteers. What lies before is named in a warning.
	CatchUpReach = 7 * 24 * time.Hour
	// catchUpMargin is listed again before where the last complete round
	// began: that time is our clock, Twilio filters by its own (skew is
	// seconds with NTP, minutes at worst without), and a text may show
	// in Twilio's list a moment after Twilio received it. Texts listed
	// again cost one read between them (StoredProviderIDs).
	catchUpMargin = 10 * time.Minute
	// catchUpPages bounds the pages (of 1000) listed per number for each
	// started day of look-back; Twilio lists newest first, so a cap
	// drops the oldest (a warning counts the numbers cut short).
	catchUpPages = 5
	// catchUpTime bounds a round, for each started day of look-back.
	catchUpTime = 2 * time.Minute
	// DefaultCatchUpEvery spaces the rounds while a server runs: a reply
	// the webhook missed waits at most about this long.
	DefaultCatchUpEvery = 5 * time.Minute
	// webhookGrace is how long a reply's webhook may still be on its way
	// when a periodic round lists the reply (Twilio posts it a moment
	// after dating it): one the round stores that the provider dated
	// less than this (or the interval, if shorter) before the round
	// began is stored all the same, but is no sign the webhook missed it.
	webhookGrace = time.Minute
)

// CatchUpResult is what a catch-up round did, for its log line and tests.
type CatchUpResult struct {
	// Numbers listed; texts Found there; New ones stored now; Failed to
	// store; NotOurs, to a number no campaign has now.
	Numbers, Found, New, Failed, NotOurs int
	// Missed is how many of the New the provider dated before the round
	// began by more than webhookGrace (or its interval, if shorter): the
	// webhook should have had them by then.
	Missed int
	// Cut is how many numbers had more texts since than the pages hold:
	// their oldest were not listed.
	Cut int
	// Since is where the list began, by our clock; ListedTo where the
	// last complete round had begun (zero if unknown).
	Since, ListedTo time.Time
	// Skipped: another server was at it, or (a periodic round) one began
	// listing within the last three quarters of the interval.
	Skipped bool
}

// catchUpSince is where a round's list begins: catchUpMargin before where
// the last complete round began (listedTo), no further back than
// CatchUpReach; CatchUpLookback back when that is unknown.
func catchUpSince(now, listedTo time.Time) time.Time {
	if listedTo.IsZero() {
		return now.Add(-CatchUpLookback)
	}
	since := listedTo
	if since.After(now) {
		since = now // our clock went back since
	}
	since = since.Add(-catchUpMargin)
	if floor := now.Add(-CatchUpReach); since.Before(floor) {
		return floor
	}
	return since
}

// catchUp lists the texts the provider received for every campaign number
// since where the last complete round began (catchUpSince) and stores
// those not stored yet, through the inbound path the webhook uses (opt-out
// words, routing, unroutable texts, blocks, the dedupe by provider id): a
// text the webhook delivered too is stored once. Once every number is
// listed, the round's start is noted as how far the texts are stored.
// every > 0 makes it a periodic round, which one that began within
// three quarters of every makes needless (another server's, on a shared
// store).
func (s *Server) catchUp(ctx context.Context, l InboundLister, every time.Duration) (CatchUpResult, error) {
	start := s.clock()
	var res CatchUpResult
	var nums []store.SendingNumberInfo
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if res.ListedTo, err = tx.InboundListedTo(ctx); err != nil {
			return err
		}
		nums, err = tx.ListSendingNumbers(ctx, "")
		return err
	})
	if err != nil {
		return res, err
	}
	if every > 0 && !res.ListedTo.IsZero() && start.Sub(res.ListedTo) < every*3/4 {
		res.Skipped = true
		return res, nil
	}
	res.Since = catchUpSince(start, res.ListedTo)
	grace := webhookGrace
	if every > 0 && every < grace {
		grace = every
	}
	missedBefore := start.Add(-grace)
	days := int((start.Sub(res.Since) + 24*time.Hour - 1) / (24 * time.Hour))
	ctx, cancel := context.WithTimeout(ctx, time.Duration(days)*catchUpTime)
	defer cancel()
	seen := map[string]bool{}
	var errs []error
	for _, n := range nums {
		if seen[n.Phone] {
			continue
		}
		seen[n.Phone] = true
		res.Numbers++
		texts, cut, err := l.ListInbound(ctx, n.Phone, res.Since, days*catchUpPages)
		if err == nil {
			if cut {
				res.Cut++
			}
			res.Found += len(texts)
			err = s.storeListed(ctx, texts, missedBefore, &res)
		}
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			return res, errors.Join(append(errs, ctx.Err())...)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	if err := s.store.Update(ctx, func(tx store.Tx) error { return tx.NoteInboundListed(ctx, start) }); err != nil {
		return res, fmt.Errorf("note how far the texts are stored: %w", err)
	}
	return res, nil
}

// storeListed stores, oldest first as they came (a STOP then a START keep
// their order), the listed texts not stored yet: one read finds those
// stored (the webhook's, an earlier round's), which are not offered to
// the write path again. Those the provider dated before missedBefore
// count as Missed.
func (s *Server) storeListed(ctx context.Context, texts []sms.Inbound, missedBefore time.Time, res *CatchUpResult) error {
	if len(texts) == 0 {
		return nil
	}
	ids := make([]string, len(texts))
	for i, in := range texts {
		ids[i] = in.ProviderID
	}
	var stored map[string]bool
	if err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		stored, err = tx.StoredProviderIDs(ctx, ids)
		return err
	}); err != nil {
		return err
	}
	var errs []error
	for _, in := range slices.Backward(texts) {
		if stored[in.ProviderID] {
			continue
		}
		repeat, err := s.ReceiveOnce(ctx, in)
		switch {
		case errors.Is(err, sms.ErrUnknownNumber):
			res.NotOurs++ // not ours now (the provider still lists it)
		case err != nil:
			res.Failed++
			errs = append(errs, err)
		case !repeat:
			res.New++
			if in.ReceivedAt.Before(missedBefore) {
				res.Missed++
			}
		}
		if ctx.Err() != nil {
			return errors.Join(append(errs, ctx.Err())...)
		}
	}
	return errors.Join(errs...)
}
