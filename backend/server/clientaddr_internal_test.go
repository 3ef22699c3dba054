package server

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestClientAddress is a table of raw requests: the peer, the
// X-Forwarded-For lines the request came with, the proxies trusted, and
// the address the throttles count it by.
func TestClientAddress(t *testing.T) {
	proxies := mustProxies(t, "127.0.0.1, 10.0.0.0/24, 2001:db8:ffff::/48")
	tests := []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"v4 peer", "203.0.113.7:5555", nil, nil, "203.0.113.7"},
		{"v6 peer, its /64", "[2001:db8:1:2:aaaa::1]:443", nil, nil, "2001:db8:1:2::/64"},
		{"same subscriber, same key", "[2001:db8:1:2:bbbb::9]:80", nil, nil, "2001:db8:1:2::/64"},
		{"v4 in v6 is v4", "[::ffff:203.0.113.7]:80", nil, nil, "203.0.113.7"},
		{"no address", "garbage", nil, nil, "garbage"},
		{"no proxies trusted: the header is ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"an untrusted peer's header is ignored", "203.0.113.7:5555", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"behind one trusted proxy", "127.0.0.1:40000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"a client's own entry left of the proxy's is ignored", "127.0.0.1:40000", []string{"6.6.6.6, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"two trusted proxies", "127.0.0.1:40000", []string{"198.51.100.1, 10.0.0.9"}, proxies, "198.51.100.1"},
		{"header lines are one list", "127.0.0.1:40000", []string{"198.51.100.1", "10.0.0.9"}, proxies, "198.51.100.1"},
		{"an untrusted hop in the middle ends the walk", "127.0.0.1:40000", []string{"6.6.6.6, 198.51.100.1, 10.0.0.9"}, proxies, "198.51.100.1"},
		{"entries with ports", "127.0.0.1:40000", []string{"198.51.100.1:5123"}, proxies, "198.51.100.1"},
		{"v6 client through a v6 proxy", "[2001:db8:ffff::2]:8080", []string{"[2001:db8:1:2::77]:443"}, proxies, "2001:db8:1:2::/64"},
		{"a trusted proxy without the header", "127.0.0.1:40000", nil, proxies, "127.0.0.1"},
		{"an empty header", "127.0.0.1:40000", []string{""}, proxies, "127.0.0.1"},
		{"garbage ends the walk at the proxy that wrote it", "127.0.0.1:40000", []string{"198.51.100.1, unknown"}, proxies, "127.0.0.1"},
		{"every hop trusted: the leftmost", "127.0.0.1:40000", []string{"10.0.0.8, 10.0.0.9"}, proxies, "10.0.0.8"},
		{"a bracketed entry", "127.0.0.1:40000", []string{"[2001:db8:1:2::77]"}, proxies, "2001:db8:1:2::/64"},
		{"a zone is dropped", "127.0.0.1:40000", []string{"fe80::1%eth0"}, proxies, "fe80::/64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{proxies: tc.trusted}
			r := &http.Request{RemoteAddr: tc.remote, Header: http.Header{}}
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddress(r); got != tc.want {
				t.Errorf("clientAddress(%q, %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
}

func mustProxies(t *testing.T, list string) []netip.Prefix {
	t.Helper()
	p, err := ParseTrustedProxies(list)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseTrustedProxies(t *testing.T) {
	good := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"127.0.0.1", "127.0.0.1/32"},
		{"10.0.0.7/24", "10.0.0.0/24"},
		{" 10.0.0.5 ,192.168.1.0/28", "10.0.0.5/32 192.168.1.0/28"},
		{"::1", "::1/128"},
		{"2001:db8::/48", "2001:db8::/48"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"::ffff:10.0.0.5", "10.0.0.5/32"},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8"},
	}
	for _, tc := range good {
		p, err := ParseTrustedProxies(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var got []string
		for _, x := range p {
			got = append(got, x.String())
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q = %v, want %s", tc.in, got, tc.want)
		}
	}
	bad := []struct{ in, want string }{
		{"10.0.0.300", `trusted proxy "10.0.0.300" is not an IP address`},
		{"proxy.example.org", `trusted proxy "proxy.example.org" is not an IP address`},
		{"10.0.0.0/33", `trusted proxy "10.0.0.0/33" is not a CIDR range`},
		{"10.0.0.1,,10.0.0.2", "an empty entry"},
		{"10.0.0.1,", "an empty entry"},
		{"0.0.0.0/0", `trusted proxy range "0.0.0.0/0" is too wide`},
		{"::/0", `trusted proxy range "::/0" is too wide`},
		{"2000::/8", `trusted proxy range "2000::/8" is too wide`},
		{"10.0.0.0/7", `trusted proxy range "10.0.0.0/7" is too wide`},
		{"fe80::1%eth0", `trusted proxy "fe80::1%eth0" is not an IP address`},
	}
	for _, tc := range bad {
		_, err := ParseTrustedProxies(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one saying %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParseTrustedProxies: any list parses or is refused with words, and
// what parses is masked and never wider than /8 (IPv6: /32).
func FuzzParseTrustedProxies(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "10.0.0.0/24, ::1", "::ffff:10.0.0.0/104", ",", "0.0.0.0/0", "1.2.3.4/7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		p, err := ParseTrustedProxies(list)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without words")
			}
			return
		}
		for _, x := range p {
			if !x.IsValid() || x.Bits() < 8 || (x.Addr().Is6() && x.Bits() < 32) || x != x.Masked() || x.Addr().Is4In6() {
				t.Fatalf("%q gave %v", list, x)
			}
		}
	})
}

// FuzzForwardedClient: whatever a client writes in X-Forwarded-For, an
// untrusted peer is counted by its own address, and a trusted one yields
// the peer or an address the header holds.
func FuzzForwardedClient(f *testing.F) {
	f.Add("127.0.0.1:1", "198.51.100.1, 10.0.0.9")
	f.Add("203.0.113.7:5", "1.1.1.1")
	f.Add("[::1]:5", "[2001:db8::1]:443,unknown")
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		a, ok := forwardedClient(remote, []string{xff}, trusted)
		peer, peerOK := parseHop(remote)
		if ok != peerOK {
			t.Fatalf("ok %v for a peer that parses %v", ok, peerOK)
		}
		if !ok {
			return
		}
		if !isTrusted(peer, trusted) && a != peer {
			t.Fatalf("untrusted peer %v counted as %v", peer, a)
		}
		if _, inHeader := parseAny(xff, a); a != peer && !inHeader {
			t.Fatalf("%v is neither the peer %v nor an entry of %q", a, peer, xff)
		}
	})
}

// parseAny finds an entry of xff that reads as a.
func parseAny(xff string, a netip.Addr) (string, bool) {
	for _, e := range strings.Split(xff, ",") {
		if b, ok := parseHop(strings.TrimSpace(e)); ok && b == a {
			return e, true
		}
	}
	return "", false
}
