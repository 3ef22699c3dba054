package sync

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// stream holds the live event stream, reconnecting with backoff, and asks
// for a pull on (re)connect and whenever the server is past the cursor.
func (e *Engine) stream(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		opened := false
		began := time.Now()
		err := e.cfg.API.Stream(ctx,
			func() {
				opened = true
				e.setStreamThrottle(nil)
				signal(e.pullCh) // catch up on whatever happened while disconnected
			},
			func(ev api.Event) {
				if ev.AdminCampaignID != "" {
					if e.cfg.OnAdmin != nil {
						e.cfg.OnAdmin(ev.AdminCampaignID)
					}
					return
				}
				cursor, err := e.cfg.Cache.Cursor(ctx)
				if err != nil || ev.Version > cursor {
					signal(e.pullCh)
				}
			})
		if ctx.Err() != nil {
			return
		}
		// Only a 429 holds the stream back; any other end says nothing
		// of being asked to slow down.
		if throttled(err) {
			e.setStreamThrottle(err)
		} else {
			e.setStreamThrottle(nil)
		}
		if errors.Is(err, api.ErrStreamReplaced) {
			// The account holds more streams on this server than it keeps:
			// this app pulls on its timer meanwhile and asks for a stream
			// again after a poll interval, not at once (which would end
			// another of the account's streams). Nothing is wrong with the
			// connection, so nothing is reported.
			e.log.Info().Msg("event stream replaced by a newer one of the same account; pulling on the timer")
			failures = 0
			select {
			case <-ctx.Done():
				return
			case <-time.After(e.cfg.PollInterval/2 + rand.N(e.cfg.PollInterval/2+1)):
			}
			continue
		}
		if err == nil && opened && time.Since(began) >= quickRetryAfter {
			// The server ended a stream it had held a while: it is shutting
			// down, or it ended this session's stream (signed out
			// elsewhere). Asking again at once tells which, so the window
			// says offline or signed out, not offline first.
			e.log.Debug().Msg("event stream ended by the server; asking again")
			failures = 0
			continue
		}
		if opened {
			failures = 0
		}
		failures++
		// A 429 on the stream (a proxy's limit) is asked again no sooner
		// than its Retry-After, as the rounds do: sooner is refused again.
		// Meanwhile the status says throttled, as for a round's 429: live
		// replies wait for the poll until the stream is back.
		wait := max(e.backoff(failures), retryAfter(err))
		if throttled(err) {
			e.log.Info().Err(err).Dur("retry_in", wait).Msg("event stream throttled")
		} else {
			e.log.Debug().Err(err).Dur("retry_in", wait).Msg("event stream ended")
		}
		// The stream is the line to the server: when it drops (the server
		// went away, the network died) the app is offline now, not at the
		// next failed round. Reconnecting and the pull it triggers bring it
		// back online.
		if err == nil {
			err = errStreamEnded
		}
		switch {
		case unreachable(err) || errors.Is(err, errStreamEnded):
			e.setOffline(err)
		case unauthorized(err), errors.Is(err, api.ErrGarbled):
			// The session is over (signed out on another device, or
			// expired), or something else answers in the server's place
			// (a sign-in page): say so now, not at the next round.
			e.report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// quickRetryAfter: a stream the server ends after holding it this long is
// asked for again at once; one that ends sooner waits its backoff, so that
// a server ending every stream as it opens is not asked in a tight loop.
const quickRetryAfter = time.Second

// backoff is exponential from BackoffMin, capped at BackoffMax, with jitter
// in [d/2, d] so many apps that lost the same server do not return at once.
func (e *Engine) backoff(failures int) time.Duration {
	d := e.cfg.BackoffMin
	for i := 1; i < failures && d < e.cfg.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, e.cfg.BackoffMax)
	half := d / 2
	return half + rand.N(half+1)
}

// errStreamEnded: the server closed the event stream (it is shutting down).
var errStreamEnded = errors.New("the campaign server closed the event stream")

// report publishes the status after a round or pull.
func (e *Engine) report(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	e.cfg.OnRound(err)
	st := Status{Online: true, Connection: Online}
	if err != nil {
		st.LastError = err.Error()
		st.Unauthorized = unauthorized(err)
		st.Throttled = throttled(err)
		st.Busy = errors.Is(err, api.ErrServerBusy)
		st.Garbled = errors.Is(err, api.ErrGarbled)
		var stuck *stuckError
		st.Stuck = errors.As(err, &stuck)
		if unreachable(err) {
			st.Online, st.Connection = false, Offline
		}
	}
	e.publish(st, err)
}

// setOffline reports the server unreachable at once (the stream dropped).
func (e *Engine) setOffline(err error) {
	e.publish(Status{Connection: Offline, LastError: err.Error(), Busy: errors.Is(err, api.ErrServerBusy)}, err)
}

// RefreshPending republishes the status with the outbox's current count:
// the app calls it after queueing a change, so the window's pending count
// moves at once. Only the count changes, under pubMu: copying the whole
// status out and publishing it back could put back an older status that a
// round published in between.
func (e *Engine) RefreshPending() {
	e.pubMu.Lock()
	defer e.pubMu.Unlock()
	pending := e.pending()
	e.apply(func() { e.status.Pending = pending })
}

// setStreamThrottle records the stream's 429 (nil: the stream is back or
// ended otherwise) and tells the window if what it shows changed.
func (e *Engine) setStreamThrottle(err error) {
	e.pubMu.Lock()
	defer e.pubMu.Unlock()
	e.statusMu.Lock()
	same := (e.streamThrottle == nil) == (err == nil)
	if same {
		// Nothing the window shows changes (a stream opening as usual
		// publishes nothing before the first round has).
		e.streamThrottle = err
	}
	e.statusMu.Unlock()
	if same {
		return
	}
	pending := e.pending()
	e.apply(func() { e.streamThrottle, e.status.Pending = err, pending })
}

func (e *Engine) publish(st Status, err error) {
	e.pubMu.Lock()
	defer e.pubMu.Unlock()
	st.Pending = e.pending()
	e.apply(func() { e.status, e.lastErr = st, err })
}

// pending is the outbox's count for the status.
func (e *Engine) pending() int {
	n, err := e.cfg.Cache.WaitingCount(context.Background())
	if err != nil {
		e.log.Error().Err(err).Msg("count outbox")
	}
	return n
}

// apply makes change under statusMu and tells the window the status it
// shows if that changed; pubMu is held.
func (e *Engine) apply(change func()) {
	e.statusMu.Lock()
	prev := e.shownLocked()
	change()
	st, err := e.shownLocked(), e.lastErr
	changed := !e.statusSent || st != prev
	e.statusSent = true
	e.statusMu.Unlock()
	if prev.Connection != st.Connection {
		// The technical detail lives here; the window gets plain words.
		e.log.Info().Str("from", prev.Connection).Str("to", st.Connection).AnErr("cause", err).Int("pending", st.Pending).Msg("connection changed")
	}
	if changed {
		e.cfg.OnStatus(st)
	}
}

func unauthorized(err error) bool {
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}

// throttled: the server refused the request for coming too fast (429).
func throttled(err error) bool {
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests
}

// retryAfter is how long the server asked to wait before the next request
// (Retry-After), 0 if it did not say; capped at maxRetryAfter so that a
// wrong header cannot silence sync for long.
func retryAfter(err error) time.Duration {
	var ae *api.APIError
	if !errors.As(err, &ae) {
		return 0
	}
	return min(ae.RetryAfter, maxRetryAfter)
}

// maxRetryAfter bounds a Retry-After the engine heeds.
const maxRetryAfter = 5 * time.Minute

// unreachable: no answer at all, or an answer that says the server is not
// really there (a proxy's 502/503/504, or a bare 500). The server's own
// fault (serverFault) is an answer: it is there, and says what went wrong.
func unreachable(err error) bool {
	if errors.Is(err, api.ErrUnreachable) {
		return true
	}
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status >= http.StatusInternalServerError && !serverFault(err)
}

// serverFault: the campaign server itself answered, with a fault of its
// own (500 internal), not a proxy saying it is not there (502-504), busy
// (503) or asking to slow down (429).
func serverFault(err error) bool {
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusInternalServerError && ae.Err.Code == api.CodeInternal
}
