package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// Rename gives the signed-in volunteer a new name, the one every text
// they send from then on carries ({volunteer_name}). It needs the server:
// offline it says so and changes nothing (a rename queued while texts
// rendered with either name wait would refuse some of them). Once the
// server has it, the session here carries it, so the send screen renders
// the new name at once.
func (c *Client) Rename(ctx context.Context, name string) (api.User, error) {
	ch, _, _, err := c.signedIn()
	if err != nil {
		return api.User{}, err
	}
	name = strings.TrimSpace(name)
	if p := account.NameProblem(name); p != "" {
		return api.User{}, userError(p)
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	u, err := c.api.Rename(cctx, name)
	if errors.Is(err, api.ErrUnreachable) {
		return api.User{}, userError("Your name was not changed: changing it needs the campaign server, which cannot be reached now. Try again when you are online")
	}
	if err != nil {
		return api.User{}, err
	}
	if err := c.adoptUser(ctx, ch, u); err != nil {
		return api.User{}, err
	}
	return u, nil
}

// adoptUser makes u, the signed-in account as the server has it now, the
// session's user here: stored, used to render texts, named in the status.
func (c *Client) adoptUser(ctx context.Context, ch *cache.Cache, u api.User) error {
	if err := ch.SaveSessionUser(ctx, u); err != nil {
		return fmt.Errorf("remember the new name: %w", err)
	}
	c.useUser(ctx, u)
	return nil
}

// useUser makes u, stored in the cache already, the session's user here.
func (c *Client) useUser(ctx context.Context, u api.User) {
	c.mu.Lock()
	if c.session != nil && c.session.User.ID == u.ID {
		// A new session value: callers holding the old one read it unchanged.
		s := *c.session
		s.User = u
		c.session = &s
		c.statusUser.Store(&u)
	}
	c.mu.Unlock()
	c.cfg.Notify(Event{Name: EventSyncStatus, Payload: c.Status(ctx)})
}

// refreshUser asks the server who is signed in and adopts a name changed
// elsewhere (on another computer, or by an organizer): texts rendered here
// with the old name would each be refused as script_changed. Run when
// such a refusal comes back: one text is refused (and shown again with the
// server's words), the next ones carry the new name.
func (c *Client) refreshUser(ctx context.Context) {
	ch, sess, _, err := c.signedIn()
	if err != nil {
		return
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	u, err := c.api.Me(cctx)
	if err != nil || u.ID != sess.User.ID || u == sess.User {
		return
	}
	if err := c.adoptUser(ctx, ch, u); err != nil {
		c.log.Warn().Err(err).Msg("adopt the account's new name")
		return
	}
	c.log.Info().Msg("the account was renamed elsewhere; texts use the new name")
}

// PasswordChange is what a password change came to: the other sign-ins
// it ended, or the field found wrong ("current" or "new") and what is
// wrong with it, for the form to say beside that field. A refusal of a
// field is an answer, not an error; errors are the rest (offline, busy).
type PasswordChange struct {
	SignedOut int    `json:"signedOut"`
	Field     string `json:"field,omitempty"`
	Problem   string `json:"problem,omitempty"`
}

// The server's names of the request's fields, as the form names them.
var passwordFields = map[string]string{"currentPassword": "current", "newPassword": "new"}

// ChangePassword gives the signed-in volunteer a new password, the
// current one typed to confirm it is them; their sign-ins on other
// computers end, this one stays. It needs the server, and says how many
// other sign-ins ended.
func (c *Client) ChangePassword(ctx context.Context, current, next string) (PasswordChange, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return PasswordChange{}, err
	}
	if current == "" {
		return PasswordChange{Field: "current", Problem: account.CurrentPasswordMissing}, nil
	}
	if p := account.PasswordLengthProblem(next); p != "" {
		return PasswordChange{Field: "new", Problem: "the new " + p}, nil
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	res, err := c.api.ChangePassword(cctx, api.PasswordChangeRequest{CurrentPassword: current, NewPassword: next})
	if errors.Is(err, api.ErrUnreachable) {
		return PasswordChange{}, userError("Your password was not changed: changing it needs the campaign server, which cannot be reached now. Try again when you are online")
	}
	var ae *api.APIError
	if errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusTooManyRequests {
		if field, ok := passwordFields[ae.Err.Field]; ok {
			return PasswordChange{Field: field, Problem: ae.Err.Message}, nil
		}
	}
	if err != nil {
		return PasswordChange{}, err
	}
	return PasswordChange{SignedOut: res.SignedOut}, nil
}
