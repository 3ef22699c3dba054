package server

import (
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
)

// Connections open at once. The request time limits (httpServer) bound how
// long a connection is held, not how many: one address could open
// thousands at once, each a goroutine, a file descriptor and about 15 KB.
// So the listener counts the connections open from each client address
// (an IPv6 /64, and its /48 besides, as the throttles count: addressKeys)
// and in all, and refuses a new one when its address, its /48, or the
// server is at its cap: it never reaches the HTTP
// server; a fixed 503 server_busy answers it once its request has begun
// (refuse), so that an app refused says the server is busy, not
// unreachable, and a flood costs little.
//
// The caps are sized for crowds, not for users. A desktop app holds its
// event stream and keeps up to four request connections, and a laptop that
// slept may leave a stream the server has not yet found dead; about 3 a
// volunteer, 6 at worst. DefaultMaxConnsPerAddress (2,000) lets 600
// volunteers behind one campaign office's address (300 at the worst) in,
// and holds one address to about 30 MB. DefaultMaxConns (10,000) is about
// 150 MB of connections and a file descriptor each, with room for 3,000
// volunteers at once.
//
// An IPv6 /48 holds networkFactor times an address's cap, as with the
// throttles, but at most half the total (MaxConnsPerNetwork): 5,000 by default.
// By /64 alone one /48 (65,536 /64s, what one site or a tunnel broker
// gives) took every connection, as five IPv4 addresses can; now a crowd
// from one /48 leaves half the server to everyone else, Twilio's webhooks
// among them.
//
// A reverse proxy the server trusts (Config.TrustedProxies) carries every
// client, so its connections count only in the total; capping each client
// behind it is the proxy's to do (nginx's limit_conn). So behind a proxy
// one crowd can still fill the total, and past it Config.WebhookReserve more
// connections are taken for the provider's webhooks alone (connreserve.go).
const (
	DefaultMaxConnsPerAddress = 2000
	DefaultMaxConns           = 10_000
	// connLogEvery spaces the log's lines about refused connections: a
	// flood of connections must not become a flood of log lines. Each line
	// says how many were refused since the last.
	connLogEvery = 15 * time.Second
)

// MaxConnsPerNetwork is the cap of an IPv6 /48's connections: networkFactor
// times an address's, as the throttles hold a /48, but no more than half
// the total (and never below an address's), so that no one /48 takes the
// whole server.
func MaxConnsPerNetwork(perAddr, total int) int {
	return max(min(perAddr*networkFactor, total/2), perAddr)
}

// connLimiter counts the connections open from each address, each IPv6
// /48, and in all.
type connLimiter struct {
	perAddr, perNet, total int
	reserve                int           // past total, for webhooks only
	reserveRead            time.Duration // a reserved connection's request read within this
	trusted                []netip.Prefix
	log                    zerolog.Logger
	now                    func() time.Time

	mu   sync.Mutex
	open int
	// from counts by address, and by /48 under networkKeyPrefix; a key is
	// present while its count is above 0.
	from map[string]int
	// The log of refusals: the next line is due at nextLog; unlogged were
	// refused since the last one.
	nextLog  time.Time
	unlogged int

	answering chan struct{} // a slot per refusal waiting for its request (refuse)
}

func newConnLimiter(perAddr, total, reserve int, trusted []netip.Prefix, log zerolog.Logger) *connLimiter {
	if perAddr <= 0 {
		perAddr = DefaultMaxConnsPerAddress
	}
	if total <= 0 {
		total = DefaultMaxConns
	}
	if reserve <= 0 {
		reserve = DefaultWebhookReserve
	}
	return &connLimiter{perAddr: perAddr, perNet: MaxConnsPerNetwork(perAddr, total), total: total, reserve: reserve, reserveRead: webhookReserveRead, trusted: trusted, log: log, now: time.Now, from: map[string]int{},
		answering: make(chan struct{}, refusing)}
}

// limitConns makes ln refuse, at once, the connections past the server's
// caps (Config.MaxConnsPerAddress, Config.MaxConns). Run serves through it.
func (s *Server) limitConns(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, l: s.conns}
}

type limitedListener struct {
	net.Listener
	l *connLimiter
}

// Accept returns the next connection within the caps; those past them are
// refused here (refuse), and never reach the HTTP server.
func (ln *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := ln.Listener.Accept()
		if err != nil {
			return nil, err
		}
		keys, shown := connKey(c.RemoteAddr(), ln.l.trusted)
		over, reserved := ln.l.take(keys)
		if over == "" {
			cc := &countedConn{Conn: c, l: ln.l, keys: keys, shown: shown, reserved: reserved}
			if reserved {
				cc.readBy = time.Now().Add(ln.l.reserveRead)
			}
			return cc, nil
		}
		ln.l.refuse(c)
		ln.l.refused(over, keys, shown)
	}
}

// busyAnswer is what a connection past a cap reads: a whole HTTP answer,
// made once, in the API's error shape, so the app says the server is busy
// rather than down (api.ErrServerBusy) and asks again after Retry-After.
var busyAnswer = fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
	"Retry-After: %d\r\nConnection: close\r\n\r\n%s", len(busyBody), busyRetryAfter, busyBody)

// busyBody is busyAnswer's body, which reserveForWebhooks answers too.
var busyBody, _ = json.Marshal(api.ErrorBody{Error: api.Error{Code: api.CodeServerBusy,
	Message: "the campaign server is too busy to take another connection right now; try again in a moment"}})

// busyRetryAfter is the refusal's Retry-After, in seconds: the app's own
// backoff grows from there.
const busyRetryAfter = 5

// refuseWrite bounds the refusal's write. A new connection's send buffer
// is empty, so the write is a copy into it and never waits in practice;
// the deadline only keeps a strange socket from holding a goroutine.
const refuseWrite = 20 * time.Millisecond

// The refusal waits up to refuseRead for the request's first bytes, and
// then up to refuseDrain for the rest, with at most refusing answers
// waiting at once.
const (
	refuseRead  = 2 * time.Second
	refuseDrain = 200 * time.Millisecond
	refusing    = 64
)

// refuse answers c with busyAnswer and closes it, after its request's
// first bytes: Go's HTTP client drops an answer that comes before it has
// sent its request as unsolicited, and the app would say the server is
// unreachable (under load, a third of the answers written at once were
// dropped so). Each such answer is a goroutine for at most refuseRead
// plus refuseDrain; past refusing of them at once (a flood), the answer
// is written at once instead, so a flood costs an accept, a write and a
// close.
func (l *connLimiter) refuse(c net.Conn) {
	select {
	case l.answering <- struct{}{}:
		go func() {
			defer func() { <-l.answering }()
			answerBusy(c)
		}()
	default:
		_ = c.SetWriteDeadline(time.Now().Add(refuseWrite))
		_, _ = c.Write(busyAnswer)
		c.Close()
	}
}

// answerBusy reads the start of c's request, answers busyAnswer and ends
// its side with a FIN (CloseWrite), then reads what else the request sends
// before closing: closing a socket with unread bytes resets it, and a
// reset can reach the app before the answer it follows.
func answerBusy(c net.Conn) {
	defer c.Close()
	var buf [4096]byte
	_ = c.SetReadDeadline(time.Now().Add(refuseRead))
	if _, err := c.Read(buf[:]); err != nil {
		return // it sent nothing, or left: nobody to answer
	}
	_ = c.SetWriteDeadline(time.Now().Add(refuseWrite))
	if _, err := c.Write(busyAnswer); err != nil {
		return
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = c.SetReadDeadline(time.Now().Add(refuseDrain))
	for {
		if _, err := c.Read(buf[:]); err != nil {
			return
		}
	}
}

// connKeys are what a connection counts against besides the total: its
// address and, for IPv6, its /48 (under networkKeyPrefix); both "" for a
// trusted proxy's or a peer that is no IP address.
type connKeys struct{ addr, network string }

// connKey is what a connection counts against (addressKeys, the
// throttles' rule), and the address as the log shows it.
func connKey(remote net.Addr, trusted []netip.Prefix) (keys connKeys, shown string) {
	if remote == nil {
		return connKeys{}, "unknown"
	}
	a, ok := parseHop(remote.String())
	if !ok {
		return connKeys{}, remote.String()
	}
	if isTrusted(a, trusted) {
		return connKeys{}, a.String()
	}
	addr, network := addressKeys(a)
	keys = connKeys{addr: addr}
	if network != "" {
		keys.network = networkKeyPrefix + network
	}
	return keys, addr
}

// Which cap a refused connection is over.
const (
	overAddress = "address"
	overNetwork = "network"
	overTotal   = "total"
)

// take counts a new connection from keys, or says which cap it is over;
// reserved when it is past the total, in the webhooks' reserve.
func (l *connLimiter) take(keys connKeys) (over string, reserved bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case keys.addr != "" && l.from[keys.addr] >= l.perAddr:
		return overAddress, false
	case keys.network != "" && l.from[keys.network] >= l.perNet:
		return overNetwork, false
	case l.open >= l.total+l.reserve:
		return overTotal, false
	}
	reserved = l.open >= l.total
	l.open++
	for _, k := range []string{keys.addr, keys.network} {
		if k != "" {
			l.from[k]++
		}
	}
	return "", reserved
}

// give uncounts a connection closed.
func (l *connLimiter) give(keys connKeys) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	for _, k := range []string{keys.addr, keys.network} {
		switch {
		case k == "":
		case l.from[k] <= 1:
			delete(l.from, k)
		default:
			l.from[k]--
		}
	}
}

// counts is how many connections are open in all and from key (an
// address, or a /48 under networkKeyPrefix).
func (l *connLimiter) counts(key string) (all, from int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.from[key]
}

// refused logs a connection refused, at most one line every connLogEvery.
func (l *connLimiter) refused(over string, keys connKeys, shown string) {
	l.mu.Lock()
	now := l.now()
	if now.Before(l.nextLog) {
		l.unlogged++
		l.mu.Unlock()
		return
	}
	l.nextLog = now.Add(connLogEvery)
	also := l.unlogged
	l.unlogged = 0
	open, from, network := l.open, l.from[keys.addr], l.from[keys.network]
	l.mu.Unlock()
	ev := l.log.Warn().Str("address", shown).Int("open", open).Int("also_refused_since_last_line", also)
	if over == overAddress {
		if a, err := netip.ParseAddr(shown); err == nil && (a.IsLoopback() || a.IsPrivate()) {
			ev = ev.Str("hint", "if this address is a reverse proxy's, name it with --trusted-proxies")
		}
		ev.Int("from_address", from).Int("max", l.perAddr).
			Msg("connection refused: too many connections open from this address (--max-conns-per-address)")
		return
	}
	if over == overNetwork {
		ev.Str("network", strings.TrimPrefix(keys.network, networkKeyPrefix)).Int("from_network", network).Int("max", l.perNet).
			Msg("connection refused: too many connections open from this address's IPv6 /48 (ten times --max-conns-per-address, at most half --max-conns)")
		return
	}
	// How full the webhooks' reserve is: full, it refuses the provider's
	// webhooks too, which --webhook-reserve makes room for.
	ev.Int("max", l.total).Int("in_webhook_reserve", max(open-l.total, 0)).Int("webhook_reserve", l.reserve).
		Msg("connection refused: the server has as many connections open as it takes (--max-conns)")
}

// countedConn is a connection the limiter counts until its first Close,
// whoever calls it: the HTTP server, its timeouts, or a handler that
// hijacked it.
type countedConn struct {
	net.Conn
	l     *connLimiter
	keys  connKeys
	shown string // the address, for the log
	// reserved: taken past the total, for a webhook's request only
	// (reserveForWebhooks).
	reserved bool
	// readBy: a connection in the reserve is read no later than this
	// (SetReadDeadline); zero for every other.
	readBy time.Time
	closed atomic.Bool
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.l.give(c.keys)
	}
	return err
}

// CloseWrite lets net/http end its side of a connection it answers early
// with a FIN (so the client reads the answer before any reset), as it does
// on a bare *net.TCPConn.
func (c *countedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
