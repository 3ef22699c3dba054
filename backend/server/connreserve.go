package server

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// The webhooks' reserve. Behind a reverse proxy the server trusts, every
// client's connection is the proxy's and counts only in the total
// (--max-conns): the per-address and per-/48 caps cannot tell one client
// from another at accept, so one crowd (one /48 holding event streams or
// slow requests through the proxy) can fill the total, and Twilio's
// webhooks, which come through the same proxy, were then refused like
// anyone: a contact's reply lost (Twilio does not retry an inbound text's
// webhook; it logs error 11200) and delivery reports with it. So past the
// total the listener takes up to webhookReserve more connections, within
// the per-address and per-/48 caps, and a request on one of them is served
// only on a webhook's path (WebhookPrefix); any other is answered the
// fixed 503 server_busy at once. Either way the connection closes after
// its one answer, so a reserve slot is held for one request at a time.
const (
	// WebhookPrefix begins the path of every provider webhook (RunOptions.
	// Mount puts Twilio's under /webhooks/twilio/).
	WebhookPrefix = "/webhooks/"
	// webhookReserve is how many connections past --max-conns the
	// webhooks may hold at once: a webhook's request takes milliseconds,
	// and Twilio's come a few at a time even while a campaign sends.
	webhookReserve = 64
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
