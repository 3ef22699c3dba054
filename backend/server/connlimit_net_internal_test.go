package server

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestConnKeysFollowTheThrottles is a table of client addresses and what
// a connection from each counts against: its address (an IPv6 /64) and an
// IPv6 /48, the keys the throttles count a request from it by (one rule,
// addressKeys).
func TestConnKeysFollowTheThrottles(t *testing.T) {
	trusted := mustProxies(t, "10.0.0.5")
	tests := []struct {
		name, from    string
		addr, network string
	}{
		{"IPv4", "203.0.113.7:5555", "203.0.113.7", ""},
		{"IPv4-mapped IPv6 is IPv4", "[::ffff:203.0.113.7]:5555", "203.0.113.7", ""},
		{"IPv6: its /64 and its /48", "[2001:db8:1:2:aaaa::1]:5555", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"IPv6 in the same /64", "[2001:db8:1:2:bbbb::9]:443", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"IPv6 in the same /48, another /64", "[2001:db8:1:ffff::1]:5555", "2001:db8:1:ffff::/64", "2001:db8:1::/48"},
		{"IPv6 in another /48", "[2001:db8:2:2:aaaa::1]:5555", "2001:db8:2:2::/64", "2001:db8:2::/48"},
		{"IPv6 with a zone", "[fe80::1%eth0]:5555", "fe80::/64", "fe80::/48"},
		{"a trusted proxy counts only in the total", "10.0.0.5:5555", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			remote := rawAddr(tc.from)
			keys, _ := connKey(remote, trusted)
			want := connKeys{addr: tc.addr}
			if tc.network != "" {
				want.network = networkKeyPrefix + tc.network
			}
			if keys != want {
				t.Fatalf("connKey(%s) = %+v, want %+v", remote, keys, want)
			}
			if tc.addr == "" {
				return
			}
			s := &Server{}
			got := s.throttleKeys(&http.Request{RemoteAddr: tc.from, Header: http.Header{}}, "address:")
			throttled := []string{"address:" + tc.addr}
			if tc.network != "" {
				throttled = append(throttled, networkKeyPrefix+"address:"+tc.network)
			}
			if !slices.Equal(got, throttled) {
				t.Fatalf("throttleKeys(%s) = %q, want %q: the throttles and the caps count one client differently", remote, got, throttled)
			}
		})
	}
}

// TestMaxConnsPerNetwork: a /48 holds ten addresses' worth of connections, at
// most half the server's, never less than one address's.
func TestMaxConnsPerNetwork(t *testing.T) {
	for _, tc := range []struct{ perAddr, total, want int }{
		{DefaultMaxConnsPerAddress, DefaultMaxConns, 5000},
		{2, 100, 20},
		{100, 100_000, 1000},
		{3000, 4000, 3000},
	} {
		if got := MaxConnsPerNetwork(tc.perAddr, tc.total); got != tc.want {
			t.Errorf("MaxConnsPerNetwork(%d, %d) = %d, want %d", tc.perAddr, tc.total, got, tc.want)
		}
	}
}

// TestConnCapPerNetwork: the /64s of one /48 together hold at most the
// /48's cap; the connection past it is refused while another /48, and an
// IPv4 address, still get in, and a connection closed frees its slot.
func TestConnCapPerNetwork(t *testing.T) {
	var log bytes.Buffer
	l := newConnLimiter(2, 100, 0, nil, zerolog.New(&log))
	if l.perNet != 20 {
		t.Fatalf("the /48's cap is %d, want 20", l.perNet)
	}
	ln := &limitedListener{Listener: &fakeListener{}, l: l}
	var first net.Conn
	for i := range 10 {
		for range 2 {
			c, ok := acceptFrom(t, ln, fmt.Sprintf("2001:db8:1:%x::1", i))
			if !ok {
				t.Fatalf("a connection from /64 %d of the /48, within its caps, was refused", i+1)
			}
			if first == nil {
				first = c
			}
		}
	}
	if _, ok := acceptFrom(t, ln, "2001:db8:1:ffff::1"); ok {
		t.Fatal("a connection past the /48's cap of 20 got in, from a /64 of it that had none")
	}
	if !strings.Contains(log.String(), "IPv6 /48") || !strings.Contains(log.String(), `"network":"2001:db8:1::/48"`) {
		t.Fatalf("the refusal's log line does not name the /48: %s", log.String())
	}
	if _, ok := acceptFrom(t, ln, "2001:db8:2:1::1"); !ok {
		t.Fatal("a connection from another /48 was refused")
	}
	if _, ok := acceptFrom(t, ln, "203.0.113.7"); !ok {
		t.Fatal("a connection from an IPv4 address was refused")
	}
	first.Close()
	if all, from := l.counts(networkKeyPrefix + "2001:db8:1::/48"); all != 21 || from != 19 {
		t.Fatalf("%d open, %d from the /48 after one closed; want 21 and 19", all, from)
	}
	if _, ok := acceptFrom(t, ln, "2001:db8:1:ffff::1"); !ok {
		t.Fatal("a connection closed did not free the /48's slot")
	}
}

// rawAddr is a peer's address as the listener's connection gives it.
type rawAddr string

func (a rawAddr) Network() string { return "tcp" }
func (a rawAddr) String() string  { return string(a) }

// fakeListener hands out the connections pushed to it, then errNoneWaiting.
type fakeListener struct{ waiting []net.Conn }

var errNoneWaiting = errors.New("no connection waiting")

func (f *fakeListener) Accept() (net.Conn, error) {
	if len(f.waiting) == 0 {
		return nil, errNoneWaiting
	}
	c := f.waiting[0]
	f.waiting = f.waiting[1:]
	return c, nil
}

func (f *fakeListener) Close() error   { return nil }
func (f *fakeListener) Addr() net.Addr { return &net.TCPAddr{} }

// remoteConn is one end of a pipe that says it comes from remote.
type remoteConn struct {
	net.Conn
	remote net.Addr
}

func (c *remoteConn) RemoteAddr() net.Addr { return c.remote }

// acceptFrom offers ln a connection from the address from and says
// whether ln let it through (a refused one is answered and closed).
func acceptFrom(t *testing.T, ln *limitedListener, from string) (net.Conn, bool) {
	t.Helper()
	server, client := net.Pipe()
	t.Cleanup(func() { client.Close() })
	addr := &net.TCPAddr{IP: netip.MustParseAddr(from).AsSlice(), Port: 40000}
	ln.Listener.(*fakeListener).waiting = append(ln.Listener.(*fakeListener).waiting, &remoteConn{Conn: server, remote: addr})
	c, err := ln.Accept()
	if errors.Is(err, errNoneWaiting) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, true
}
