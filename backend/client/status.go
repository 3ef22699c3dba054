package client

import (
	"context"
	"errors"

	"github.com/textbank/textbank/backend/sync"
)

// baseStatus is the part of Status that depends only on how the client was
// configured.
func (c *Client) baseStatus() Status {
	s := Status{ServerURL: c.cfg.ServerURL, ServerRefused: c.cfg.Refused, Demo: c.cfg.Demo, DemoJoinCode: c.cfg.DemoJoinCode,
		DemoSignIns: c.cfg.DemoSignIns}
	if e := c.ended.Load(); e != nil {
		s.SignInEnded = *e
	}
	return s
}

// Status says who is signed in and how sync is doing.
func (c *Client) Status(ctx context.Context) Status {
	ch, sess, eng, err := c.state()
	st := c.baseStatus()
	if err != nil {
		st.LastError, st.Problem = err.Error(), "Textbank is still starting."
		if errors.Is(err, ErrUnopened) {
			st.Problem, st.Unopened = err.Error(), true
		}
		return st
	}
	if sess != nil {
		u := sess.User
		st.SignedIn, st.User = true, &u
	}
	if eng != nil {
		withSync(&st, eng.Status())
	}
	if n, err := ch.WaitingCount(ctx); err == nil {
		st.Pending = n
		if eng != nil {
			st.Problem = problem(eng.Status(), n)
		}
	}
	refusedProblem(&st)
	return st
}

// withSync copies the engine's view into a Status, in the volunteer's words.
func withSync(s *Status, st sync.Status) {
	s.Online, s.Connection, s.Pending, s.LastError = st.Online, st.Connection, st.Pending, st.LastError
	s.SessionExpired = st.Unauthorized
	s.ServerBusy = st.Busy && st.Connection == sync.Offline
	if s.Connection == "" {
		s.Connection = ConnectionConnecting
	}
	s.Problem = problem(st, st.Pending)
	refusedProblem(s)
}

// problem is the status bar's sentence: "" when all is well.
func problem(st sync.Status, pending int) string {
	switch {
	case st.Connection == sync.Offline && st.Busy && pending > 0:
		return "The campaign server is busy. Textbank will try again in a moment; your changes are kept until then."
	case st.Connection == sync.Offline && st.Busy:
		return "The campaign server is busy. Textbank will try again in a moment; your inbox still works."
	case st.Connection == sync.Offline && pending > 0:
		return "Can't reach the campaign server. Your changes are kept and will go out when it is back."
	case st.Connection == sync.Offline:
		return "Can't reach the campaign server. Your inbox still works; changes will go out when it is back."
	case st.Unauthorized:
		return "Your sign-in has ended. Sign in again: your inbox and unsent changes are kept."
	case st.Throttled:
		return "The campaign server asked Textbank to slow down. Your changes are kept and go out in a moment."
	case st.Stuck:
		return "The campaign server could not save one of your changes, and the ones after it wait. The Outbox lets you discard it."
	case st.Garbled:
		return "The campaign server's answer could not be read. If this network has a sign-in page, open it in a browser; Textbank keeps trying."
	case st.LastError != "":
		return "Something went wrong syncing with the campaign server. Textbank keeps trying."
	}
	return ""
}
