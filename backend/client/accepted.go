package client

import (
	"context"
	gosync "sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// When the server last accepted the sign-in, kept so that a computer that
// never reaches the server again ends the sign-in itself (ended.go), on
// the server's clock (serverclock.go).

// acceptedEvery: when the server last accepted the sign-in is stored at
// most this often (a write to the cache), as the server records a token's
// use at most hourly.
const acceptedEvery = time.Hour

// offsetMoved: an offset of the server's clock this much from the stored
// one is stored at the next accepted round, not an hour later: a clock
// that jumped is then judged right after a restart offline.
const offsetMoved = time.Minute

// endedUnused is how long after the stored time of the last accepted
// answer the server has surely ended the token: its idle limit counts from
// the last use, which is at most acceptedEvery later than that time.
const endedUnused = api.TokenIdle + acceptedEvery

// acceptedHooks, set by a test (SetAcceptedHooks): store and stored run
// before and after each store of an acceptance, off the engine's
// goroutine; closing when a noter is closed, before it waits for the
// stores under way.
var acceptedHooks struct{ store, stored, closing func() }

// onRound is the engine's OnRound for the cache ch and the sign-in token
// it syncs: an accepted round stores when (at most every acceptedEvery,
// off the engine's goroutine, through notes), a failed one ends a sign-in
// unused too long by the server's clock. Only a failed round ends it: one
// that reached the server mended the offset first, and the server, asked,
// would have accepted it or said 401.
func (c *Client) onRound(ch *cache.Cache, token string, notes *noter) func(error) {
	return func(err error) {
		now := c.serverNow()
		if err != nil {
			if c.unusedTooLong(now) {
				c.log.Info().Msg("the server has not accepted this sign-in for longer than it keeps an unused one; ending it here")
				c.startEnding(token)
			}
			return
		}
		last, off := c.acceptedAt.Load(), c.offset.Load()
		if d := now.UnixNano() - last; d >= 0 && d < int64(acceptedEvery) && abs(off-c.storedOffset.Load()) < int64(offsetMoved) {
			return
		}
		claim := func() bool {
			if !c.acceptedAt.CompareAndSwap(last, now.UnixNano()) {
				return false
			}
			c.storedOffset.Store(off)
			return true
		}
		notes.run(claim, func() {
			if acceptedHooks.store != nil {
				acceptedHooks.store()
				defer acceptedHooks.stored()
			}
			if err := ch.NoteAccepted(context.Background(), cache.Accepted{At: now, Offset: time.Duration(off)}); err != nil {
				c.log.Warn().Err(err).Msg("could not store when the server last accepted the sign-in")
			}
		})
	}
}

// unusedTooLong says whether the sign-in, last accepted at the stored
// time, has outlived the server's idle limit at now (the server's time);
// never when that time is not known (signed out).
func (c *Client) unusedTooLong(now time.Time) bool {
	at := c.acceptedAt.Load()
	return at != 0 && now.Sub(time.Unix(0, at)) > endedUnused
}

// noter runs an engine's stores of acceptances, each on its own goroutine
// (a write must not hold up sync). Closed, it starts none, and close waits
// for those under way: the engine's OnRound is also run by calls made
// outside its goroutine (a pull or push now, signing out's last push after
// sync stopped), so waiting for the engine alone let a store reach the
// cache after a sign-out closed it.
type noter struct {
	mu     gosync.Mutex
	closed bool
	wg     gosync.WaitGroup
}

// run runs store on a goroutine if the noter is open and claim (which
// takes the store for this round) says so.
func (n *noter) run(claim func() bool, store func()) {
	n.mu.Lock()
	if n.closed || !claim() {
		n.mu.Unlock()
		return
	}
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		store()
	}()
}

// close stops new stores and waits for those under way.
func (n *noter) close() {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	if acceptedHooks.closing != nil {
		acceptedHooks.closing()
	}
	n.wg.Wait()
}

// loadAcceptedLocked keeps, for onRound, when the server last accepted the
// saved session and its clock's offset then (the best estimate until the
// server answers again). A cache from before the time was stored starts
// counting now. A sign-in unused too long is not ended here: the first
// round of sync asks the server, whose answer (accepted, or 401) is worth
// more than the count; only a round that fails ends it (onRound), as does
// a saved sign-in that cannot be resumed (openToken). c.mu is held,
// c.cache open.
func (c *Client) loadAcceptedLocked(ctx context.Context) {
	a, known, err := c.cache.LastAccepted(ctx)
	switch {
	case err != nil:
		c.log.Warn().Err(err).Msg("could not read when the server last accepted the sign-in")
	case !known:
		c.noteAcceptedLocked(ctx)
	default:
		c.offset.Store(int64(a.Offset))
		c.storedOffset.Store(int64(a.Offset))
		c.acceptedAt.Store(a.At.UnixNano())
		if c.unusedTooLong(c.serverNow()) {
			c.log.Info().Time("accepted", a.At).Dur("offset", a.Offset).Msg("the server has not accepted the saved sign-in for longer than it keeps an unused one, by this computer's clock; sync asks it")
		}
	}
}

// noteAcceptedLocked stores the server's time now as when it last accepted
// the sign-in (a sign-in, or a cache from before the time was kept); c.mu
// is held.
func (c *Client) noteAcceptedLocked(ctx context.Context) {
	now, off := c.serverNow(), c.offset.Load()
	c.acceptedAt.Store(now.UnixNano())
	c.storedOffset.Store(off)
	if err := c.cache.NoteAccepted(ctx, cache.Accepted{At: now, Offset: time.Duration(off)}); err != nil {
		c.log.Warn().Err(err).Msg("could not store when the server last accepted the sign-in")
	}
}

// endUnusedLocked ends sess, unused too long, when no sync will ask the
// server (its token could not be read): the count decides. c.mu is held.
func (c *Client) endUnusedLocked(ctx context.Context, sess cache.Session) {
	c.log.Info().Msg("the server has not accepted the saved sign-in for longer than it keeps an unused one; ending it here")
	if err := c.endLocked(ctx, sess); err != nil {
		c.log.Error().Err(err).Msg("ended sign-in: could not set the waiting changes apart; the cache stays")
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
