package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/cache"
)

// A cache deleted or set apart (an ended sign-in, a sign-out, another
// account signing in) is opened anew in its place. Should that opening
// fail (a full disk, a file the system holds), the client has no cache,
// and every call answered "still starting" for as long as the app ran.
// Now the failure is kept, each later call tries the opening again (a
// passing cause heals by itself) and, failing, says so in words, the
// cause in the log.

// errReopen marks the opening that follows a wipe, as opposed to the
// wipe itself: only a wipe that happened may be followed by a new try,
// or a file still holding someone's data would be opened as the new one.
var errReopen = errors.New("open the new cache")

// errCacheLost answers calls while the cache cannot be opened again.
var errCacheLost = userError("Textbank could not open this computer's copy of your inbox; close Textbank and open it again (its log says why)")

// setCacheLocked keeps the cache a wipe opened anew, or, when only the
// opening failed, the failure, so that reopenLocked tries again; c.mu is
// held.
func (c *Client) setCacheLocked(ch *cache.Cache, err error) {
	c.cache, c.lost = ch, nil
	if ch == nil && errors.Is(err, errReopen) {
		c.lost = err
	}
}

// reopenLocked opens the cache again after a failed opening (setCacheLocked);
// without one, no cache means Start has not opened it yet. c.mu is held.
func (c *Client) reopenLocked() error {
	if c.lost == nil {
		return ErrStarting
	}
	ch, err := cache.Open(context.Background(), c.cfg.DataDir)
	if err != nil {
		c.log.Error().Err(err).Msg("could not open the cache again")
		return errCacheLost
	}
	c.log.Info().AnErr("after", c.lost).Msg("cache opened again")
	c.cache, c.lost = ch, nil
	return nil
}

// openAgain is cache.Open after a wipe, its failure marked errReopen.
func openAgain(ctx context.Context, dir string) (*cache.Cache, error) {
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errReopen, err)
	}
	return ch, nil
}
