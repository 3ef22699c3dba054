package client

import (
	"net/http"
	"time"
)

// The sign-in's idle end (ended.go) is counted on the server's clock, not
// this computer's: a computer whose clock is a month ahead ended a live
// sign-in at its next failed round, or at start before asking the server.
// Every answer of the server carries its time (HTTP Date, which Go's
// server and every proxy set): the client keeps how far the server's clock
// is from this computer's at the last answer (offset), stores the server's
// time of each acceptance with that offset, and estimates the server's now
// as this computer's now plus the offset. An answer that accepts nothing
// (a busy or failing server) still mends the offset, so a clock that
// jumped while the server was reachable is judged by the server's. Offline
// with no answer at all since the jump, this computer's clock is the only
// one there is (SECURITY.md says what follows).

// datedTransport tells note the time of every answer's Date, with this
// computer's time at its arrival.
type datedTransport struct {
	next http.RoundTripper
	note func(server time.Time)
}

func (d datedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(r)
	if err == nil {
		if at, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
			d.note(at)
		}
	}
	return resp, err
}

// withDates is hc (a copy; the caller's is not changed) whose answers'
// Dates are told to note.
func withDates(hc *http.Client, note func(server time.Time)) *http.Client {
	dated := *hc
	next := dated.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	dated.Transport = datedTransport{next: next, note: note}
	return &dated
}

// noteServerTime keeps the offset of an answer's Date from this computer's
// clock now.
func (c *Client) noteServerTime(server time.Time) {
	c.offset.Store(int64(server.Sub(c.now())))
}

// serverNow is the server's time now as estimated from this computer's
// clock and the last known offset.
func (c *Client) serverNow() time.Time {
	return c.now().Add(time.Duration(c.offset.Load()))
}
