package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads serve's --trusted-proxies: a comma-separated
// list of the reverse proxies' addresses, each an IP (10.0.0.5) or a CIDR
// range (10.0.0.0/24). An empty list trusts no one. The error names the
// entry that is wrong.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for _, raw := range strings.Split(list, ",") {
		e := strings.TrimSpace(raw)
		if e == "" {
			return nil, fmt.Errorf("trusted proxies %q: an empty entry; list addresses or ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/24", list)
		}
		var p netip.Prefix
		if strings.Contains(e, "/") {
			var err error
			if p, err = netip.ParsePrefix(e); err != nil {
				return nil, fmt.Errorf("trusted proxy %q is not a CIDR range such as 10.0.0.0/24", e)
			}
		} else {
			a, err := netip.ParseAddr(e)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("trusted proxy %q is not an IP address such as 10.0.0.5", e)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		// A client inside a trusted range can name any address it likes,
		// and so walk around the throttles: a range is for a proxies'
		// subnet, never a slice of the internet.
		if widest := map[bool]int{true: 8, false: 32}[p.Addr().Is4()]; p.Bits() < widest {
			return nil, fmt.Errorf("trusted proxy range %q is too wide: any client in it could choose the address it is throttled by; list the proxies' own addresses or subnet", e)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// clientAddress is the key the throttles count a request's client by: its
// IP, or its /64 for IPv6 (one subscriber usually holds a whole /64).
// Behind reverse proxies the server was told to trust (Config.
// TrustedProxies) that is the address the nearest of them saw; otherwise
// the peer's, and X-Forwarded-For is ignored, since any client can write
// it.
func (s *Server) clientAddress(r *http.Request) string {
	xff := r.Header.Values("X-Forwarded-For")
	a, ok := forwardedClient(r.RemoteAddr, xff, s.proxies)
	if !ok {
		return r.RemoteAddr
	}
	if peer, _ := parseHop(r.RemoteAddr); len(xff) > 0 && (peer.IsLoopback() || peer.IsPrivate()) && !isTrusted(peer, s.proxies) {
		// Most likely a reverse proxy the operator has not named: every
		// client then shares its address, and ten mistakes by anyone hold
		// everyone back. Said once, to whoever reads the log.
		s.proxyWarn.Do(func() {
			s.log.Warn().Str("peer", peer.String()).Msg("requests arrive with X-Forwarded-For from a proxy that --trusted-proxies does not name: " +
				"the sign-in and join code throttles count every client behind it as one; name the proxy with --trusted-proxies")
		})
	}
	return addressKey(a)
}

// networkKeyPrefix begins the key of the IPv6 /48 a client is in
// (throttleKeys), which the guess limiter holds to networkFactor times an
// address's limit (guessLimiter.limitFor).
const networkKeyPrefix = "net48:"

// throttleKeys are the shared keys the guess throttles count a request's
// client by, kind ("address:", "signup:") before each: its address
// (clientAddress), and for IPv6 also the /48 that address is in. A /64 is
// one subscriber's, but a /48 is a site's usual share (and a tunnel
// broker's free one): counted by /64 alone, one /48 had 65,536 addresses'
// worth of wrong join codes and sign-ins.
func (s *Server) throttleKeys(r *http.Request, kind string) []string {
	addr := s.clientAddress(r)
	keys := []string{kind + addr}
	if p, err := netip.ParsePrefix(addr); err == nil && p.Addr().Is6() {
		net, _ := p.Addr().Prefix(48)
		keys = append(keys, networkKeyPrefix+kind+net.String())
	}
	return keys
}

// addressKey is how the throttles and the connection caps name a client
// address: its IP, or its /64 for IPv6.
func addressKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// forwardedClient walks X-Forwarded-For from the right (each proxy appends
// the address it saw) for as long as the address at hand is a trusted
// proxy's: the first one that is not is the client. An entry that does not
// parse ends the walk at the proxy that wrote it. ok is false when the peer
// itself is no address (RemoteAddr is always one from net/http).
func forwardedClient(remote string, xff []string, trusted []netip.Prefix) (netip.Addr, bool) {
	at, ok := parseHop(remote)
	if !ok {
		return netip.Addr{}, false
	}
	if len(trusted) == 0 {
		return at, true
	}
	hops := strings.Split(strings.Join(xff, ","), ",")
	for i := len(hops) - 1; i >= 0 && isTrusted(at, trusted); i-- {
		next, ok := parseHop(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		at = next
	}
	return at, true
}

// parseHop reads an address as RemoteAddr or a forwarding proxy writes it:
// an IP, bracketed or not, or one with a port ("1.2.3.4:5",
// "[2001:db8::1]:5").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap().WithZone(""), true
	}
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
