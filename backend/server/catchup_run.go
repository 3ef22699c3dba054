package server

import (
	"context"
	"time"

	"github.com/rs/zerolog"
)

// CatchUpInbound runs a start's catch-up round: it lists from where the
// last complete round began (CatchUpLookback back if unknown, CatchUpReach
// at most), whenever that was, and stores what is missing. On a store
// several servers share it runs on one of them at a time; the others skip
// it (the same texts, listed by one). It logs what it did.
func (s *Server) CatchUpInbound(ctx context.Context, l InboundLister) (CatchUpResult, error) {
	res, err := s.catchUpAlone(ctx, l, 0)
	s.catchUpDone(res, err, false)
	return res, err
}

// RunInboundCatchUp runs a start's round (CatchUpInbound), then a round
// every interval until ctx ends (none if every is 0): a reply the webhook
// did not get while this server runs (Twilio could not reach it) is
// stored by the next round. On a store several servers share, the rounds
// of all of them come to one an interval: a round that finds one began
// less than three quarters of the interval ago lists nothing.
func (s *Server) RunInboundCatchUp(ctx context.Context, l InboundLister, every time.Duration) {
	_, _ = s.CatchUpInbound(ctx, l)
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res, err := s.catchUpAlone(ctx, l, every)
		if ctx.Err() != nil {
			return
		}
		s.catchUpDone(res, err, true)
	}
}

// catchUpAlone runs a round alone among the servers of a shared store (the
// archiver's RunExclusive); Skipped when another server was at it.
func (s *Server) catchUpAlone(ctx context.Context, l InboundLister, every time.Duration) (CatchUpResult, error) {
	ex, ok := s.store.(exclusiveRunner)
	if !ok {
		return s.catchUp(ctx, l, every)
	}
	var res CatchUpResult
	ran, err := ex.RunExclusive(ctx, "inbound-catchup", func(ctx context.Context) error {
		var err error
		res, err = s.catchUp(ctx, l, every)
		return err
	})
	if !ran && err == nil {
		res.Skipped = true
	}
	return res, err
}

// catchUpDone logs a round: a start's at info (skipped too: the operator
// reads what the start did), a periodic one at debug unless it stored a
// reply the webhook should have had by then (Missed) or fell short.
func (s *Server) catchUpDone(res CatchUpResult, err error, periodic bool) {
	fields := func(ev *zerolog.Event) *zerolog.Event {
		ev = ev.Int("numbers", res.Numbers).Int("found", res.Found).Int("new", res.New).Int("missed", res.Missed).Int("failed", res.Failed).
			Int("not_ours", res.NotOurs).Bool("periodic", periodic)
		if !res.Since.IsZero() {
			ev = ev.Time("since", res.Since)
		}
		if !res.ListedTo.IsZero() {
			ev = ev.Time("listed_to", res.ListedTo)
		}
		return ev
	}
	switch {
	case err != nil:
		fields(s.log.Warn().Err(err)).Msg("inbound catch-up stopped short: some texts the provider received may be missing; " +
			"the next round lists from the same time again (docs/OPERATIONS.md, section 3)")
		return
	case res.Skipped:
		ev := s.log.Info()
		if periodic {
			ev = s.log.Debug()
		}
		fields(ev).Msg("inbound catch-up: another server is listing, or listed a moment ago")
		return
	}
	if !res.ListedTo.IsZero() && res.Since.After(res.ListedTo.Add(-catchUpMargin)) {
		fields(s.log.Warn()).Dur("reach", CatchUpReach).Msg("inbound catch-up: the texts were last listed longer ago than it reaches back; " +
			"replies received between listed_to and since are only in Twilio's Console (docs/OPERATIONS.md, section 3)")
	}
	if res.Cut > 0 {
		fields(s.log.Warn()).Int("numbers_cut_short", res.Cut).Msg("inbound catch-up: some numbers received more texts since than it lists " +
			"(5000 a number for each day it reaches back); their oldest are only in Twilio's Console (docs/OPERATIONS.md, section 3)")
	}
	switch {
	case !periodic:
		fields(s.log.Info()).Msg("inbound catch-up: texts the provider received while this server was down are stored")
	case res.Missed > 0:
		fields(s.log.Warn()).Msg("inbound catch-up: stored texts the webhook did not get; if this recurs, check that Twilio " +
			"reaches the inbound URL (the reverse proxy, its certificate, a firewall: docs/OPERATIONS.md, section 3)")
	case res.New > 0:
		// Dated a moment before the round: their webhooks were on the way.
		fields(s.log.Debug()).Msg("inbound catch-up: stored texts received a moment before the round, their webhook still on its way")
	default:
		fields(s.log.Debug()).Msg("inbound catch-up: nothing missing")
	}
}
