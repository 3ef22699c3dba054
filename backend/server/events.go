package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// handleEvents streams "change" events: one at once with the newest
// version, then one after every commit that touched the user's feed, with a
// ping comment in between so proxies and clients see the line alive. An
// admin also gets an "admin" event naming the campaign when a commit
// changed what its Admin section shows (Tx.AdminChanged), whichever
// process or server made it, so an open Admin screen reads it again then.
//
// A stream lasts no longer than the token that opened it: it ends when the
// token is signed out (on this server, or on another sharing the database,
// whose sign-out the feed listener hears: tokenChanged) or expires, so a
// session that was ended stops hearing about the user's inbox at once, not
// when the connection happens to drop. Ending is a clean end of the
// response; the app reconnects, and that request gets the 401 that says
// why. Every ping also reads the token again, in case an announcement was
// missed. A user's ninth stream on this server ends their oldest
// (maxStreamsPerUser).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	token, _ := bearer(r) // authed has checked it is there
	hash := hashToken(token)
	st, dropped, cancel := s.hub.subscribe(u.ID, hash)
	defer cancel()
	if dropped > 0 {
		s.log.Info().Str("user", u.ID).Int("max", maxStreamsPerUser).
			Msg("event stream opened past the user's limit on this server; their oldest one ends")
	}
	// Read after subscribing: a sign-out committed since authed read the
	// token is seen here, and one committed later signals st.check.
	deadline, err := s.streamToken(ctx, hash)
	if err != nil {
		return err // before the first byte: the app gets the 401 itself
	}
	rc := http.NewResponseController(w)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	// The stream outlives the server's write timeout, if one is set; each
	// of its writes is bounded instead (writing).
	_ = rc.SetWriteDeadline(time.Time{})
	writing := func() { _ = rc.SetWriteDeadline(time.Now().Add(s.streamWrite)) }

	sent := int64(-1)
	sendVersion := func() error {
		var (
			v      int64
			admins []string
		)
		// Taken before the read: a role changed during it marks the
		// stream again, and pokes it.
		roles := s.hub.takeRoles(st)
		if err := s.store.View(ctx, func(tx store.Tx) error {
			var err error
			if v, err = tx.LatestSeq(ctx, u.ID); err != nil || v == sent && !roles {
				return err
			}
			// Read again only when a role may have been given or taken
			// away (Tx.RolesChanged, hub.rolesChanged), not whenever the
			// feed grew: most pokes are texts and replies. The version may
			// already have been sent by the poke of the same commit.
			if roles {
				admins, err = tx.AdminCampaigns(ctx, u.ID)
			}
			return err
		}); err != nil {
			return err
		}
		if roles {
			s.hub.setAdmins(st, admins)
		}
		if v == sent {
			return nil
		}
		data, _ := json.Marshal(api.Event{Version: v})
		writing()
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.EventChange, data); err != nil {
			return err
		}
		sent = v
		return rc.Flush()
	}
	expiry := time.NewTimer(untilExpiry(deadline, s.clock()))
	defer expiry.Stop()
	// signedIn reads the token again: false when the stream must end. A
	// store that does not answer leaves the stream open: the next check
	// decides, rather than every app reconnecting at once after a blip.
	signedIn := func() bool {
		deadline, err := s.streamToken(ctx, hash)
		var he *httpError
		switch {
		case errors.As(err, &he):
			s.log.Info().Str("user", u.ID).Str("reason", he.body.Code).Msg("event stream ended: its session was signed out or expired")
			return false
		case err != nil:
			if ctx.Err() == nil {
				s.log.Warn().Err(err).Str("user", u.ID).Msg("event stream: cannot read its session; checked again at the next ping")
			}
			return true
		}
		expiry.Reset(untilExpiry(deadline, s.clock()))
		return true
	}
	if err := sendVersion(); err != nil {
		s.log.Debug().Err(err).Msg("event stream closed")
		return nil
	}
	ticker := time.NewTicker(s.ping)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.done:
			return nil
		case <-st.ended:
			// A newer stream of the user's took its place. Saying so keeps
			// the app from asking again at once, which would end the next
			// oldest: with more apps than the cap, streams would chase
			// each other around for good.
			writing()
			if _, err := fmt.Fprintf(w, "event: %s\ndata: {}\n\n", api.EventReplaced); err == nil {
				_ = rc.Flush()
			}
			return nil
		case <-st.poke:
			if err := sendVersion(); err != nil {
				s.log.Debug().Err(err).Msg("event stream closed")
				return nil
			}
		case <-st.admin:
			writing()
			if err := sendAdmin(w, s.hub.takeAdmin(st)); err != nil {
				s.log.Debug().Err(err).Msg("event stream closed")
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		case <-st.check:
			if !signedIn() {
				return nil
			}
		case <-expiry.C:
			if !signedIn() {
				return nil
			}
		case <-ticker.C:
			if !signedIn() {
				return nil
			}
			writing()
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
	}
}

// streamWriteWait bounds one write to an event stream. Without it a
// stream whose client stopped reading (a peer that answers TCP's window
// probes but never drains its socket: a stalled proxy, a process stopped
// in a debugger, a script) blocked in its write for good once the socket's
// buffers filled: its goroutine, connection and file descriptor were never
// released, and neither its token's sign-out nor a newer stream replacing
// it could end it, since the handler only sees those between writes. A
// live app drains a ping in milliseconds; one that has not taken a few
// bytes in this long gets a stream again when it reconnects.
const streamWriteWait = 30 * time.Second

// sendAdmin writes an admin event for each campaign: what the streams of
// a campaign's admins hear of its Admin section changing (hub.adminChanged).
func sendAdmin(w http.ResponseWriter, campaignIDs []string) error {
	for _, c := range campaignIDs {
		data, _ := json.Marshal(api.AdminEvent{CampaignID: c})
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.EventAdmin, data); err != nil {
			return err
		}
	}
	return nil
}

// streamToken reads an open stream's token from the store and returns
// when it expires, or the 401 a request with it would get now. Not from
// the token cache: a check at every ping then bounds what a missed
// announcement (a pooler that swallows NOTIFY, a row deleted by hand)
// can cost to one ping period, for one primary-key read per stream per
// ping. It does not record a use: a held stream is not one, or a token
// would never expire while a stream stays open (the app's own pulls
// record one).
func (s *Server) streamToken(ctx context.Context, hash string) (time.Time, error) {
	_, times, err := s.storedToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, errTokenUnknown
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("look up token: %w", err)
	}
	deadline, ended := s.tokenEnd(times)
	if s.clock().After(deadline) {
		return time.Time{}, ended
	}
	return deadline, nil
}

// untilExpiry is how long a stream waits to read its token again for its
// expiry: just past the deadline, and never so little that a clock
// standing still at the deadline (tests' clocks) spins the loop.
func untilExpiry(deadline, now time.Time) time.Duration {
	return max(deadline.Sub(now)+time.Millisecond, 50*time.Millisecond)
}

// tokenChanged is called once a change to a token's row has committed,
// here or (announced by the feed listener) on another server: a sign-out,
// an expiry, an hourly touch; hash "" stands for every token. The token
// cache forgets it, and the event streams it opened read it again, which
// ends those whose token is gone.
func (s *Server) tokenChanged(hash string) {
	s.tokens.forget(hash)
	s.hub.recheck(hash)
}
