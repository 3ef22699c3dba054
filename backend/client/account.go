package client

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/joincode"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/quiethours"
	"github.com/textbank/textbank/backend/sync"
)

// SignUp creates an account and signs in with it.
func (c *Client) SignUp(ctx context.Context, name, email, password string) (api.User, error) {
	if err := c.refusedErr(); err != nil {
		return api.User{}, err
	}
	// The account rules (backend/account), so that a typo is caught
	// without a round trip; the server checks again regardless.
	if err := account.CheckSignUp(name, email, password).Err(); err != nil {
		return api.User{}, err
	}
	name, email = strings.TrimSpace(name), account.NormalEmail(email)
	cctx, cancel := callCtx(ctx)
	defer cancel()
	resp, err := c.api.Signup(cctx, api.SignupRequest{Name: name, Email: email, Password: password})
	if err != nil {
		return api.User{}, err
	}
	return c.startSession(ctx, resp)
}

// SignIn signs in with email and password.
func (c *Client) SignIn(ctx context.Context, email, password string) (api.User, error) {
	if err := c.refusedErr(); err != nil {
		return api.User{}, err
	}
	if err := account.CheckSignIn(email, password).Err(); err != nil {
		return api.User{}, err
	}
	email = account.NormalEmail(email)
	cctx, cancel := callCtx(ctx)
	defer cancel()
	resp, err := c.api.Login(cctx, api.LoginRequest{Email: email, Password: password})
	if err != nil {
		return api.User{}, err
	}
	return c.startSession(ctx, resp)
}

// begin stores a new session and starts syncing it. Signing in as someone
// else first clears the previous volunteer's data.
func (c *Client) begin(ctx context.Context, resp api.AuthResponse) error {
	// A start that could not open the cache is tried again first (it may
	// resume the saved session, which stops next, and waits for its token).
	if _, _, _, err := c.state(); err != nil {
		return err
	}
	c.stopEngine()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		if err := c.reopenLocked(); err != nil {
			return err
		}
	}
	if !c.cacheIsFor(ctx, resp.User.ID) {
		ch, err := wipeAndReopen(ctx, c.cache, c.cfg.DataDir)
		c.setCacheLocked(ch, err)
		if err != nil {
			return err
		}
		c.remaining = map[string]int{}
		c.newText = map[string]string{}
	}
	sess := cache.Session{Token: resp.Token, User: resp.User, ServerURL: c.cfg.ServerURL}
	c.ended.Store(nil)
	c.ending.Store(false)
	saved := sess
	if c.cfg.Tokens != nil {
		saved.Token = c.cfg.Tokens.Seal(sess.Token)
	}
	if err := c.cache.SaveSession(ctx, saved); err != nil {
		return fmt.Errorf("remember the session: %w", err)
	}
	c.noteAcceptedLocked(ctx)
	c.startEngineLocked(sess)
	c.log.Info().Str("user", resp.User.ID).Msg("signed in")
	return nil
}

// cacheIsFor says whether the cache holds userID's data or nobody's, so
// that signing in keeps it (c.mu is held). The session resumed says whose
// it is; without one, the session saved in the cache does: one that could
// not be resumed (its token gone from the keyring) left that volunteer's
// contacts and unsent changes behind, which another account signing in on
// the same computer must neither see nor push; so does a sign-in that
// ended here, whose waiting changes the cache keeps (ended.go). A saved
// or ended session that cannot be read is taken for someone else's.
func (c *Client) cacheIsFor(ctx context.Context, userID string) bool {
	if c.session != nil {
		return c.session.User.ID == userID
	}
	saved, ok, err := c.cache.LoadSession(ctx)
	if err != nil {
		c.log.Warn().Err(err).Msg("sign in: the saved session is unreadable; the local cache is cleared")
		return false
	}
	if ok {
		return saved.User.ID == userID
	}
	ended, ok, err := c.cache.EndedSignIn(ctx)
	if err != nil {
		c.log.Warn().Err(err).Msg("sign in: the ended sign-in is unreadable; the local cache is cleared")
		return false
	}
	return !ok || ended.User.ID == userID
}

// startSession begins syncing a new session and loads the volunteer's
// campaigns before returning, so the window opens on their inbox rather than
// on the join screen. A failed first pull is not fatal: the engine keeps
// trying in the background.
func (c *Client) startSession(ctx context.Context, resp api.AuthResponse) (api.User, error) {
	if err := c.begin(ctx, resp); err != nil {
		return api.User{}, err
	}
	c.firstPull(ctx)
	return resp.User, nil
}

func (c *Client) firstPull(ctx context.Context) {
	_, _, eng, err := c.signedIn()
	if err != nil {
		return
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	if err := eng.PullNow(cctx); err != nil {
		c.log.Warn().Err(err).Msg("signed in, but could not load campaigns yet")
	}
	c.cfg.Notify(Event{Name: EventInboxChanged})
}

// signOutWait bounds what signing out asks of the server (one last push,
// then revoking the token): offline, it never waits longer than this.
const signOutWait = 5 * time.Second

// SignOut stops sync and deletes the local cache (it holds contacts' names
// and numbers). What is still in the outbox gets one last push first; what
// that cannot deliver is lost with the cache (the window asks before). The
// volunteer's unsent contacts then go back to the pool.
func (c *Client) SignOut(ctx context.Context) error {
	c.awaitToken()
	var eng *sync.Engine
	if _, _, e, err := c.signedIn(); err == nil {
		eng = e
	}
	c.stopEngine()
	lctx, cancel := context.WithTimeout(ctx, signOutWait)
	defer cancel()
	c.pushBeforeSignOut(lctx, eng)
	c.releaseBeforeSignOut(lctx)
	// Revoke the token on the server too, so a copy of it is worth nothing.
	// Offline, it simply expires unused; signing out never waits long on it.
	if err := c.api.Logout(lctx); err != nil {
		c.log.Info().Err(err).Msg("sign out: the server did not revoke the token; it expires unused")
	}
	if err := c.forget(ctx); err != nil {
		return err
	}
	c.log.Info().Msg("signed out; local cache deleted")
	c.cfg.Notify(Event{Name: EventSyncStatus, Payload: c.baseStatus()})
	c.cfg.Notify(Event{Name: EventInboxChanged})
	return nil
}

// pushBeforeSignOut sends what waits in the outbox, once, whatever the
// engine last thought of the connection (its next retry may be a minute
// away): sync is stopped, so nothing else pushes meanwhile.
func (c *Client) pushBeforeSignOut(ctx context.Context, eng *sync.Engine) {
	ch, _, _, err := c.state()
	if eng == nil || err != nil {
		return
	}
	if n, err := ch.PendingCount(ctx); err != nil || n == 0 {
		return
	}
	if err := eng.PushNow(ctx); err != nil {
		c.log.Warn().Err(err).Msg("sign out: changes still waiting could not be sent; they are deleted with the cache")
	}
}

// releaseBeforeSignOut hands the volunteer's unsent contacts back to the
// pool, as Stop for now does, after the last push (so a first text that
// went is not released under it): signed out, nobody would text them, and
// they would wait with this account until the campaign ends. Best effort
// within signing out's wait: offline, they stay with the account.
func (c *Client) releaseBeforeSignOut(ctx context.Context) {
	ch, _, _, err := c.state()
	if err != nil {
		return
	}
	ids, err := ch.QueuedActions(ctx)
	if err != nil {
		c.log.Warn().Err(err).Msg("sign out: could not list the queued contacts to hand back")
		return
	}
	for _, id := range ids {
		resp, err := c.api.Release(ctx, id, nil)
		if err != nil {
			c.log.Info().Err(err).Str("action", id).Msg("sign out: unsent contacts not handed back; they stay with the account")
			return
		}
		c.log.Info().Str("action", id).Int("released", resp.Released).Msg("sign out: unsent contacts handed back")
	}
}

func (c *Client) forget(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropSessionLocked()
	if c.cache == nil {
		return nil
	}
	ch, err := wipeAndReopen(ctx, c.cache, c.cfg.DataDir)
	c.setCacheLocked(ch, err)
	return err
}

// SearchCampaigns finds campaigns by name, issue or join code.
func (c *Client) SearchCampaigns(ctx context.Context, q string) ([]api.Campaign, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return nil, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	out, err := c.api.SearchCampaigns(cctx, strings.TrimSpace(q))
	if out == nil {
		out = []api.Campaign{}
	}
	return out, err
}

// JoinCampaign joins by 6-digit code and returns once the campaign's
// actions are in the cache.
func (c *Client) JoinCampaign(ctx context.Context, code string) (api.Campaign, error) {
	code, err := joincode.Parse(code)
	if err != nil {
		return api.Campaign{}, said(err)
	}
	return c.join(ctx, func(ctx context.Context) (api.Campaign, error) { return c.api.Join(ctx, code) })
}

// JoinCampaignByID joins a public campaign found by search.
func (c *Client) JoinCampaignByID(ctx context.Context, id string) (api.Campaign, error) {
	if strings.TrimSpace(id) == "" {
		return api.Campaign{}, userError("pick a campaign to join")
	}
	return c.join(ctx, func(ctx context.Context) (api.Campaign, error) { return c.api.JoinByID(ctx, id) })
}

func (c *Client) join(ctx context.Context, call func(context.Context) (api.Campaign, error)) (api.Campaign, error) {
	_, _, eng, err := c.signedIn()
	if err != nil {
		return api.Campaign{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	camp, err := call(cctx)
	if err != nil {
		return api.Campaign{}, err
	}
	// Joined either way; if the pull fails the engine catches up later.
	if err := eng.PullNow(cctx); err != nil {
		c.log.Warn().Err(err).Str("campaign", camp.ID).Msg("joined, but could not load the campaign yet")
	}
	c.cfg.Notify(Event{Name: EventInboxChanged})
	return camp, nil
}

// Campaigns lists the campaigns the volunteer belongs to.
func (c *Client) Campaigns(ctx context.Context) ([]api.Campaign, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return nil, err
	}
	return ch.Campaigns(ctx)
}

// Actions lists a campaign's actions.
func (c *Client) Actions(ctx context.Context, campaignID string) ([]api.Action, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return nil, err
	}
	actions, err := ch.Actions(ctx, campaignID)
	for i, a := range actions {
		if a.SendingNumber != "" {
			actions[i].SendingNumberDisplay = phone.Display(a.SendingNumber)
		}
		actions[i].TextingAnyTime = quiethours.WholeDay(quiethours.Hours{Start: a.TextingHours.Start, End: a.TextingHours.End})
	}
	return actions, err
}
