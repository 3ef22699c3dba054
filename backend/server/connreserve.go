package server

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The webhooks' reserve. Behind a reverse proxy the server trusts, every
// client's connection is the proxy's and counts only in the total
// (--max-conns): the per-address and per-/48 caps cannot tell one client
// from another at accept, so one crowd (one /48 holding event streams or
// slow requests through the proxy) can fill the total, and Twilio's
// webhooks, which come through the same proxy, were then refused like
// anyone: a contact's reply lost (Twilio does not retry an inbound text's
// webhook; it logs error 11200) and delivery reports with it. So past the
// total the listener takes up to Config.WebhookReserve more connections
// (serve --webhook-reserve; DefaultWebhookReserve), within the per-address and per-/48 caps, and a request on one of them is served
// only on a webhook's path (WebhookPrefix); any other is answered the
// fixed 503 server_busy at once. Either way the connection closes after
// its one answer, so a reserve slot is held for one request at a time.
const (
	// WebhookPrefix begins the path of every provider webhook (RunOptions.
	// Mount puts Twilio's under /webhooks/twilio/).
	WebhookPrefix = "/webhooks/"
	// DefaultWebhookReserve is how many connections past --max-conns the
	// webhooks may hold at once unless serve's --webhook-reserve says: a
	// webhook's request takes milliseconds, and Twilio's come a few at a
	// time even while a campaign sends.
	DefaultWebhookReserve = 64
	// webhookReserveRead bounds the reading of a request on a connection
	// in the reserve, from its accept, headers and body: a provider posts
	// a small form at once, while a crowd posting slowly to a webhook's
	// path (each to be refused by its signature check) held a slot for
	// the server's ReadTimeout (30 s) at a time, and 64 of them shut the
	// webhooks out again.
	webhookReserveRead = 5 * time.Second
)

// reservedConnKey keys the context of a request on a connection in the
// reserve (connContext) to its *countedConn.
type reservedConnKey struct{}

// connContext marks the requests of a connection taken in the webhooks'
// reserve, for reserveForWebhooks (http.Server.ConnContext).
func connContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*countedConn); ok && cc.reserved {
		return context.WithValue(ctx, reservedConnKey{}, cc)
	}
	return ctx
}

// reserveForWebhooks serves a request on a connection in the reserve only
// on a webhook's path; any other is answered as a connection past the caps
// is (busyAnswer's status, headers and body), and logged as one.
func reserveForWebhooks(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc, ok := r.Context().Value(reservedConnKey{}).(*countedConn)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		// The slot frees with this answer, whoever's it is.
		w.Header().Set("Connection", "close")
		if strings.HasPrefix(r.URL.Path, WebhookPrefix) {
			h.ServeHTTP(w, r)
			return
		}
		cc.l.refused(overTotal, cc.keys, cc.shown)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write(busyBody)
	})
}

// SetReadDeadline is the HTTP server's deadline, for a connection in the
// reserve no later than its readBy (webhookReserveRead). The zero time
// (the server's wait for a client leaving while its handler runs, once
// the request is read) is left as given: clamped, it would cancel a
// webhook's request mid-work.
func (c *countedConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.clampRead(t))
}

// SetDeadline is SetReadDeadline's clamp on the read side, the write
// side's deadline as given.
func (c *countedConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetReadDeadline(c.clampRead(t))
}

func (c *countedConn) clampRead(t time.Time) time.Time {
	if !c.readBy.IsZero() && !t.IsZero() && t.After(c.readBy) {
		return c.readBy
	}
	return t
}
