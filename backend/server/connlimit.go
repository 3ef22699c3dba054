package server

import (
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
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
// (an IPv6 /64, as the throttles count) and in all, and refuses a new one
// when its address, or the server, is at its cap: it never reaches the HTTP
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
// A reverse proxy the server trusts (Config.TrustedProxies) carries every
// client, so its connections count only in the total; capping each client
// behind it is the proxy's to do (nginx's limit_conn).
const (
	DefaultMaxConnsPerAddress = 2000
	DefaultMaxConns           = 10_000
	// connLogEvery spaces the log's lines about refused connections: a
	// flood of connections must not become a flood of log lines. Each line
	// says how many were refused since the last.
	connLogEvery = 15 * time.Second
)

// connLimiter counts the connections open from each address and in all.
type connLimiter struct {
	perAddr, total int
	trusted        []netip.Prefix
	log            zerolog.Logger
	now            func() time.Time

	mu   sync.Mutex
	open int
	from map[string]int // a key is present while its count is above 0
	// The log of refusals: the next line is due at nextLog; unlogged were
	// refused since the last one.
	nextLog  time.Time
	unlogged int

	answering chan struct{} // a slot per refusal waiting for its request (refuse)
}

func newConnLimiter(perAddr, total int, trusted []netip.Prefix, log zerolog.Logger) *connLimiter {
	if perAddr <= 0 {
		perAddr = DefaultMaxConnsPerAddress
	}
	if total <= 0 {
		total = DefaultMaxConns
	}
	return &connLimiter{perAddr: perAddr, total: total, trusted: trusted, log: log, now: time.Now, from: map[string]int{},
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
		key, shown := connKey(c.RemoteAddr(), ln.l.trusted)
		over := ln.l.take(key)
		if over == "" {
			return &countedConn{Conn: c, l: ln.l, key: key}, nil
		}
		ln.l.refuse(c)
		ln.l.refused(over, key, shown)
	}
}

// busyAnswer is what a connection past a cap reads: a whole HTTP answer,
// made once, in the API's error shape, so the app says the server is busy
// rather than down (api.ErrServerBusy) and asks again after Retry-After.
var busyAnswer = func() []byte {
	body, _ := json.Marshal(api.ErrorBody{Error: api.Error{Code: api.CodeServerBusy,
		Message: "the campaign server is too busy to take another connection right now; try again in a moment"}})
	return fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"+
		"Retry-After: %d\r\nConnection: close\r\n\r\n%s", len(body), busyRetryAfter, body)
}()

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

// connKey is the address a connection counts against: "" for none (a
// trusted proxy's, or a peer that is no IP address), and the address as
// the log shows it.
func connKey(remote net.Addr, trusted []netip.Prefix) (key, shown string) {
	if remote == nil {
		return "", "unknown"
	}
	a, ok := parseHop(remote.String())
	if !ok {
		return "", remote.String()
	}
	if isTrusted(a, trusted) {
		return "", a.String()
	}
	key = addressKey(a)
	return key, key
}

// Which cap a refused connection is over.
const (
	overAddress = "address"
	overTotal   = "total"
)

// take counts a new connection from key, or says which cap it is over.
func (l *connLimiter) take(key string) (over string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case key != "" && l.from[key] >= l.perAddr:
		return overAddress
	case l.open >= l.total:
		return overTotal
	}
	l.open++
	if key != "" {
		l.from[key]++
	}
	return ""
}

// give uncounts a connection closed.
func (l *connLimiter) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if key == "" {
		return
	}
	if l.from[key] <= 1 {
		delete(l.from, key)
		return
	}
	l.from[key]--
}

// counts is how many connections are open in all and from key.
func (l *connLimiter) counts(key string) (all, from int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open, l.from[key]
}

// refused logs a connection refused, at most one line every connLogEvery.
func (l *connLimiter) refused(over, key, shown string) {
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
	open, from := l.open, l.from[key]
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
	ev.Int("max", l.total).Msg("connection refused: the server has as many connections open as it takes (--max-conns)")
}

// countedConn is a connection the limiter counts until its first Close,
// whoever calls it: the HTTP server, its timeouts, or a handler that
// hijacked it.
type countedConn struct {
	net.Conn
	l      *connLimiter
	key    string
	closed atomic.Bool
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.l.give(c.key)
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
