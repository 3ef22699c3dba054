package server

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// InboundLister is a provider that can list the texts it received for one
// of our numbers (the Twilio provider; the simulated network delivers
// every reply to a live server and needs none): what Twilio posted to the
// inbound webhook while this server was down is lost otherwise, since
// Twilio tries once more, then gives up.
type InboundLister interface {
	ListInbound(ctx context.Context, to string, since time.Time, pages int) ([]sms.Inbound, error)
}

// Catch-up bounds: a start is never held (it runs after the server
// listens), and a long outage costs a bounded number of calls and reads.
const (
	// CatchUpLookback is how far back the provider's texts are listed,
	// by our clock less the look-back: a restart, a deploy or a start
	// waiting on a migration is well within it, and clock skew between
	// us and the provider (minutes at worst) too. Texts already stored
	// cost one read each (the dedupe by provider id), so it is a window,
	// not the newest stored text's time: finding that would need an
	// index on every send.
	CatchUpLookback = 24 * time.Hour
	// catchUpPages bounds the pages (of 1000) listed per number; Twilio
	// lists newest first, so a cap drops the oldest.
	catchUpPages = 5
	// catchUpTime bounds the whole catch-up.
	catchUpTime = 2 * time.Minute
)

// CatchUpResult is what a catch-up did, for its log line and tests.
type CatchUpResult struct {
	Numbers, Found, New, Failed int
}

// CatchUpInbound stores, through the inbound path the webhook uses (opt-out
// words, routing, unroutable texts, blocks, the dedupe by provider id), the
// texts the provider received for our numbers in the last
// CatchUpLookback: a text the webhook delivered too is stored once.
// Several servers catching up at once on one PostgreSQL store are kept
// apart by the same dedupe (a unique provider id). It logs what it did.
func (s *Server) CatchUpInbound(ctx context.Context, l InboundLister) (CatchUpResult, error) {
	ctx, cancel := context.WithTimeout(ctx, catchUpTime)
	defer cancel()
	var res CatchUpResult
	var nums []store.SendingNumberInfo
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		nums, err = tx.ListSendingNumbers(ctx, "")
		return err
	})
	if err != nil {
		return res, s.catchUpDone(res, err)
	}
	since := s.clock().Add(-CatchUpLookback)
	seen := map[string]bool{}
	var errs []error
	for _, n := range nums {
		if seen[n.Phone] {
			continue
		}
		seen[n.Phone] = true
		res.Numbers++
		texts, err := l.ListInbound(ctx, n.Phone, since, catchUpPages)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res.Found += len(texts)
		// Oldest first, as they came: a STOP then a START keep their order.
		slices.Reverse(texts)
		for _, in := range texts {
			repeat, err := s.ReceiveOnce(ctx, in)
			switch {
			case errors.Is(err, sms.ErrUnknownNumber):
				res.Failed++ // not ours now (the provider still lists it)
			case err != nil:
				res.Failed++
				errs = append(errs, err)
			case !repeat:
				res.New++
			}
			if ctx.Err() != nil {
				return res, s.catchUpDone(res, ctx.Err())
			}
		}
	}
	return res, s.catchUpDone(res, errors.Join(errs...))
}

func (s *Server) catchUpDone(res CatchUpResult, err error) error {
	ev := s.log.Info()
	msg := "inbound catch-up: texts the provider received while this server was down are stored"
	if err != nil {
		ev = s.log.Warn().Err(err)
		msg = "inbound catch-up stopped short: some texts the provider received while this server was down may be missing (docs/OPERATIONS.md, section 3)"
	}
	ev.Int("numbers", res.Numbers).Int("found", res.Found).Int("new", res.New).Int("failed", res.Failed).
		Dur("lookback", CatchUpLookback).Msg(msg)
	return err
}
