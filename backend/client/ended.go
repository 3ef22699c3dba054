package client

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/prefs"
	"github.com/textbank/textbank/backend/sync"
)

// A sign-in the server no longer accepts (401: an organizer's `users
// sign-out` for a lost laptop, a password change, 30 days unused) takes
// this computer's copy of the inbox with it: the contacts' names, numbers
// and words leave a computer its organizer took off the campaign. Only the
// volunteer's own changes still waiting to be sent stay, with what pushing
// them needs and whose they are (cache.KeepOnlyWaiting): signing in again
// as that person sends them and brings the inbox back from the server;
// signing in as anyone else deletes them (cacheIsFor). A volunteer whose
// password was changed elsewhere so keeps their replies (SECURITY.md).
//
// A computer that never reaches the server again ends the sign-in itself:
// the server ends a token unused for api.TokenIdle, so a sign-in the
// server has not accepted for longer than endedUnused is over after any
// round of sync that fails (accepted.go), without waiting to hear the 401.

// onUnauthorized is run on each of the engine's status changes; it must
// not take c.mu, so the ending runs on its own goroutine, once a sign-in.
// token is the sign-in the engine syncs, the one the server ended.
func (c *Client) onUnauthorized(st sync.Status, token string) {
	if st.Unauthorized {
		c.startEnding(token)
	}
}

func (c *Client) startEnding(token string) {
	if c.ending.CompareAndSwap(false, true) {
		go c.endSignIn(context.Background(), token)
	}
}

// endHooks, set by a test (SetEndSignInHooks), run once sync has stopped
// for an ended sign-in, before it is ended, and when endSignIn returns.
var endHooks struct{ stopped, done func() }

// endSignIn stops sync and ends the sign-in (endLocked). If the cache
// cannot be set apart, sync starts again and the sign-in ends as before
// (the window shows sign-in, the cache stays): not tried again this
// sign-in, or a cache that cannot be read would restart sync at every 401.
// ended is the token of the sign-in to end.
func (c *Client) endSignIn(ctx context.Context, ended string) {
	if endHooks.done != nil {
		defer endHooks.done()
	}
	c.stopEngine()
	if endHooks.stopped != nil {
		endHooks.stopped()
	}
	c.mu.Lock()
	// Signed out, or in anew, while sync stopped (a volunteer asked to
	// sign in again does): that sign-in is not the one the server ended.
	// By its token: a renamed user's session is a new value (useUser).
	if c.session == nil || c.session.Token != ended || c.cache == nil {
		c.mu.Unlock()
		return
	}
	sess := *c.session
	if err := c.endLocked(ctx, sess); err != nil {
		c.log.Error().Err(err).Msg("ended sign-in: could not set the waiting changes apart; the cache stays")
		c.startEngineLocked(sess)
		c.mu.Unlock()
		return
	}
	ch := c.cache
	c.mu.Unlock()
	st := c.baseStatus()
	if ch != nil {
		st.Pending, _ = ch.WaitingCount(ctx)
	}
	c.cfg.Notify(Event{Name: EventSyncStatus, Payload: st})
	c.cfg.Notify(Event{Name: EventInboxChanged})
}

// endLocked replaces the cache by one holding only sess's waiting changes
// (cache.KeepOnlyWaiting), forgets the session and names it for the
// sign-in screen; c.mu is held and sync stopped. An error means nothing
// was done.
func (c *Client) endLocked(ctx context.Context, sess cache.Session) error {
	done, err := c.cache.KeepOnlyWaiting(ctx, cache.Ended{User: sess.User, ServerURL: sess.ServerURL})
	if !done {
		return err
	}
	// The sign-in ends either way (its token is dead); a copy not wholly
	// replaced is said in the log, never reported deleted.
	replaceErr := err
	c.dropSessionLocked()
	email := sess.User.Email
	c.ended.Store(&email)
	ch, err := openAgain(ctx, c.cfg.DataDir)
	if err != nil {
		c.log.Error().Err(err).Msg("ended sign-in: could not open the new cache")
	}
	c.setCacheLocked(ch, err)
	n := 0
	if ch != nil {
		n, _ = ch.WaitingCount(ctx)
	}
	if replaceErr != nil {
		c.log.Error().Err(replaceErr).Str("user", sess.User.ID).Int("waiting", n).Msg("the sign-in has ended; the old cache file could not all be deleted")
		return nil
	}
	c.log.Info().Str("user", sess.User.ID).Int("waiting", n).Msg("the sign-in has ended; local cache deleted but for the changes waiting to be sent")
	return nil
}

// endedAtStartLocked names, for the sign-in screen, a sign-in that ended
// here before this start, whose waiting changes the cache keeps; kept for
// another server than this one, they are deleted (they can never be sent
// there), unless the address is refused (Start). c.mu is held.
func (c *Client) endedAtStartLocked(ctx context.Context) error {
	e, ok, err := c.cache.EndedSignIn(ctx)
	if err != nil || !ok {
		if err != nil {
			c.log.Warn().Err(err).Msg("could not read the ended sign-in")
		}
		return nil
	}
	if c.cfg.Refused == "" && e.ServerURL != c.cfg.ServerURL && !prefs.SameServerEncrypted(e.ServerURL, c.cfg.ServerURL) {
		c.log.Info().Str("saved", e.ServerURL).Str("now", c.cfg.ServerURL).Msg("server changed; deleting the ended sign-in's waiting changes")
		ch, err := wipeAndReopen(ctx, c.cache, c.cfg.DataDir)
		c.setCacheLocked(ch, err)
		return err
	}
	email := e.User.Email
	c.ended.Store(&email)
	return nil
}

// dropSessionLocked forgets the signed-in session and what was kept for
// it in memory; c.mu is held.
func (c *Client) dropSessionLocked() {
	c.session = nil
	c.api.SetToken("")
	if c.cfg.Tokens != nil {
		c.cfg.Tokens.Forget()
	}
	c.acceptedAt.Store(0)
	c.remaining = map[string]int{}
	c.newText = map[string]string{}
}

// wipeAndReopen deletes the cache and opens an empty one in its place.
func wipeAndReopen(ctx context.Context, ch *cache.Cache, dir string) (*cache.Cache, error) {
	if err := ch.Wipe(ctx); err != nil {
		return nil, fmt.Errorf("clear local cache: %w", err)
	}
	return openAgain(ctx, dir)
}
