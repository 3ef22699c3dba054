package client

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sync"
)

// A sign-in the server no longer accepts (401: an organizer's `users
// sign-out` for a lost laptop, a password change, 30 days unused) takes
// this computer's copy of the inbox with it when nothing of the
// volunteer's waits to be sent: the contacts' names, numbers and words
// leave a computer its organizer took off the campaign, and signing in
// again brings the inbox back from the server. With changes waiting, the
// copy stays (signing in again as the same person sends them), as it
// always did: a volunteer whose password was changed elsewhere keeps
// their replies (SECURITY.md).

// onUnauthorized is run on each of the engine's status changes; it must
// not take c.mu, so the ending runs on its own goroutine, once a sign-in.
func (c *Client) onUnauthorized(st sync.Status) {
	if !st.Unauthorized || st.Pending > 0 || !c.ending.CompareAndSwap(false, true) {
		return
	}
	go c.endSignIn(context.Background())
}

// endSignIn stops sync and deletes the cache if still nothing waits
// (cache.WipeIfNothingWaiting counts and shuts writes out at once); if a
// change came first, sync starts again and the sign-in ends as before.
func (c *Client) endSignIn(ctx context.Context) {
	c.stopEngine()
	c.mu.Lock()
	if c.session == nil || c.cache == nil { // signed out, or in anew, meanwhile
		c.mu.Unlock()
		return
	}
	sess := *c.session
	wiped, err := c.cache.WipeIfNothingWaiting(ctx)
	if !wiped {
		if err != nil {
			// Not tried again this sign-in: a cache that cannot count
			// would otherwise restart sync at every 401.
			c.log.Error().Err(err).Msg("ended sign-in: could not check the outbox; the cache stays")
		} else {
			c.ending.Store(false) // a change waits: once it is discarded, the next 401 ends it
		}
		c.startEngineLocked(sess)
		c.mu.Unlock()
		return
	}
	c.dropSessionLocked()
	email := sess.User.Email
	c.ended.Store(&email)
	ch, err := cache.Open(ctx, c.cfg.DataDir)
	if err != nil {
		c.log.Error().Err(err).Msg("ended sign-in: could not open a new cache")
	}
	c.cache = ch
	c.mu.Unlock()
	c.log.Info().Str("user", sess.User.ID).Msg("the server ended the sign-in with nothing waiting to be sent; local cache deleted")
	c.cfg.Notify(Event{Name: EventSyncStatus, Payload: c.baseStatus()})
	c.cfg.Notify(Event{Name: EventInboxChanged})
}

// dropSessionLocked forgets the signed-in session and what was kept for
// it in memory; c.mu is held.
func (c *Client) dropSessionLocked() {
	c.session = nil
	c.api.SetToken("")
	if c.cfg.Tokens != nil {
		c.cfg.Tokens.Forget()
	}
	c.remaining = map[string]int{}
	c.newText = map[string]string{}
}

// wipeAndReopen deletes the cache and opens an empty one in its place.
func wipeAndReopen(ctx context.Context, ch *cache.Cache, dir string) (*cache.Cache, error) {
	if err := ch.Wipe(ctx); err != nil {
		return nil, fmt.Errorf("clear local cache: %w", err)
	}
	return cache.Open(ctx, dir)
}
