package client

import (
	"context"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/prefs"
)

// Start opens the cache and, if a session was saved for this server,
// restores it and starts syncing. A session saved for another server is
// wiped: the cache mirrors one server and must not mix two. The same
// server's address moved from http:// to https:// is not another server
// (prefs.SameServerEncrypted): that is what a volunteer told to stop using
// plain http:// does, and it must not cost them their unsent changes.
//
// A cache that cannot be opened is no end: Start returns why, in the
// volunteer's words (the cause underneath and in the log), and the client
// runs on without it; every call tries the start again, and answers those
// words until it succeeds (reopen.go). The caller carries on.
func (c *Client) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache != nil {
		return nil
	}
	if err := c.startLocked(ctx); err != nil {
		c.startErr, c.lost = err, nil
		return c.unopenedLocked(err)
	}
	return nil
}

// startLocked is Start's work: an error leaves no cache open. c.mu is held.
func (c *Client) startLocked(ctx context.Context) error {
	ch, err := cache.Open(ctx, c.cfg.DataDir)
	if err != nil {
		return err
	}
	sess, ok, err := ch.LoadSession(ctx)
	if err != nil {
		c.log.Warn().Err(err).Msg("saved session unreadable; starting signed out")
		ok = false
	}
	// A refused address wipes nothing: no call reaches it, and the cache
	// may be the volunteer's real server's (a stray TEXTBANK_SERVER), whose
	// inbox and unsent changes must survive until the address is fixed.
	if ok && c.cfg.Refused == "" && sess.ServerURL != c.cfg.ServerURL && !prefs.SameServerEncrypted(sess.ServerURL, c.cfg.ServerURL) {
		c.log.Info().Str("saved", sess.ServerURL).Str("now", c.cfg.ServerURL).Msg("server changed; clearing the local cache")
		if ch, err = wipeAndReopen(ctx, ch, c.cfg.DataDir); err != nil {
			return err
		}
		ok = false
	}
	c.cache = ch
	if ok {
		c.loadAcceptedLocked(ctx)
	}
	if !ok {
		if err := c.endedAtStartLocked(ctx); err != nil {
			return err
		}
	}
	switch {
	case ok && c.cfg.Tokens != nil:
		// The token may be in the OS keyring: read it in the background, so
		// the window starts meanwhile. Every call that needs to know who is
		// signed in waits for it (awaitToken); the first screen's own calls
		// come long after a D-Bus round trip.
		done := make(chan struct{})
		c.tokenRead = done
		go c.openToken(ch, sess, done)
	case ok:
		c.startEngineLocked(sess)
	}
	return nil
}

// openToken turns the saved session's stored token back into the token and
// resumes the session; one that cannot be read starts signed out, as before.
func (c *Client) openToken(ch *cache.Cache, sess cache.Session, done chan struct{}) {
	token, err := c.cfg.Tokens.Open(sess.Token)
	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(done)
	c.tokenRead = nil
	switch {
	case err != nil:
		c.log.Warn().Err(err).Msg("saved sign-in unreadable; starting signed out")
		if c.cache == ch && c.session == nil && c.unusedTooLong(c.serverNow()) {
			// No sync will ask the server: the count decides (accepted.go).
			c.endUnusedLocked(context.Background(), sess)
		}
	case c.cache != ch || c.session != nil:
		// Closed, or signed in again, meanwhile: this session is not resumed.
	default:
		sess.Token = token
		c.startEngineLocked(sess)
	}
}

// awaitToken waits until Start's keyring read (if any) is done.
func (c *Client) awaitToken() {
	c.mu.Lock()
	done := c.tokenRead
	c.mu.Unlock()
	if done != nil {
		<-done
	}
}
