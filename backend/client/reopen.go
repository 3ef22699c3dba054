package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/cache"
)

// The cache may fail to open: at start (a full disk, a file another
// program holds locked, a folder the app may not write, a damaged file),
// or anew after it was deleted or set apart (an ended sign-in, a sign-out,
// another account signing in). The app then runs without it: the failure
// is kept, every later call tries the opening again (a passing cause heals
// by itself, without a restart) and, failing, says in words what is wrong
// and what to do, the cause in the log. Nothing is ever deleted to heal,
// and no file holding someone's data is opened as a new one: a failed
// start is tried again as a start (the saved session, its server and its
// ended sign-in read as at launch), and after a wipe only a wipe that
// happened is followed by a new opening.

// errReopen marks the opening that follows a wipe, as opposed to the
// wipe itself: only a wipe that happened may be followed by a new try,
// or a file still holding someone's data would be opened as the new one.
var errReopen = errors.New("open the new cache")

// ErrUnopened is under what calls answer while the cache cannot be opened
// (Status says so by it; the cause is logged here once, so callers need
// not log it again).
var ErrUnopened = errors.New("the cache could not be opened")

// unopenedWords says what kept the cache from opening, and what to do.
func unopenedWords(t cache.Trouble) string {
	switch t {
	case cache.TroubleFull:
		return "This computer's disk is full, so Textbank cannot open its copy of your inbox. Free some space, then try again."
	case cache.TroubleInUse:
		return "Another program is using Textbank's copy of your inbox on this computer (perhaps a second Textbank). Close it, then try again."
	case cache.TroubleDenied:
		return "Textbank is not allowed to open its copy of your inbox on this computer. Ask whoever looks after this computer to let Textbank use its folder (Textbank's log names it), then try again."
	case cache.TroubleDamaged:
		return "Textbank could not read its copy of your inbox on this computer: the file is damaged. Textbank leaves it as it is; ask your organizer for help (Textbank's log names the file)."
	}
	return "Textbank could not open this computer's copy of your inbox. Try again in a moment; if it keeps happening, restart the computer (Textbank's log says why)."
}

// unopenedLocked is the error calls answer for err, an opening's failure,
// logged once per cause (a call at every status would repeat it); c.mu
// is held.
func (c *Client) unopenedLocked(err error) error {
	if msg := err.Error(); msg != c.unopenedLogged {
		c.unopenedLogged = msg
		c.log.Error().Err(err).Msg("could not open the cache; each call tries again")
	}
	return &UserError{Words: unopenedWords(cache.TroubleOf(err)), Err: fmt.Errorf("%w: %w", ErrUnopened, err)}
}

// setCacheLocked keeps the cache a wipe opened anew, or, when only the
// opening failed, the failure, so that reopenLocked tries again; c.mu is
// held.
func (c *Client) setCacheLocked(ch *cache.Cache, err error) {
	c.cache, c.lost = ch, nil
	if ch == nil && errors.Is(err, errReopen) {
		c.lost = err
	}
}

// reopenLocked, with no cache, starts again after a failed start, or opens
// the cache again after a failed opening (setCacheLocked); with neither,
// Start has not opened it yet. c.mu is held.
func (c *Client) reopenLocked() error {
	switch {
	case c.startErr != nil:
		if err := c.startLocked(context.Background()); err != nil {
			c.startErr, c.lost = err, nil
			return c.unopenedLocked(err)
		}
		c.log.Info().AnErr("after", c.startErr).Msg("cache opened")
		c.startErr, c.unopenedLogged = nil, ""
		return nil
	case c.lost != nil:
		ch, err := cache.Open(context.Background(), c.cfg.DataDir)
		if err != nil {
			return c.unopenedLocked(err)
		}
		c.log.Info().AnErr("after", c.lost).Msg("cache opened again")
		c.cache, c.lost, c.unopenedLogged = ch, nil, ""
		return nil
	}
	return ErrStarting
}

// openAgain is cache.Open after a wipe, its failure marked errReopen.
func openAgain(ctx context.Context, dir string) (*cache.Cache, error) {
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errReopen, err)
	}
	return ch, nil
}
