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
// IP, or its /64 for IPv6 (addressKeys); RemoteAddr itself when that is no
// address.
func (s *Server) clientAddress(r *http.Request) string {
	a, ok := s.clientIP(r)
	if !ok {
		return r.RemoteAddr
	}
	addr, _ := addressKeys(a)
	return addr
}

// clientIP is the address of a request's client: behind reverse proxies
// the server was told to trust (Config.TrustedProxies) the one the nearest
// of them saw; otherwise the peer's, and X-Forwarded-For is ignored, since
// any client can write it. ok is false when the peer is no address.
func (s *Server) clientIP(r *http.Request) (netip.Addr, bool) {
	xff := r.Header.Values("X-Forwarded-For")
	a, ok := forwardedClient(r.RemoteAddr, xff, s.proxies)
	if !ok {
		return a, false
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
	return a, true
}

// networkKeyPrefix begins the key of the IPv6 /48 a client is in
// (throttleKeys, connKeys), which the guess limiter holds to networkFactor
// times an address's limit (guessLimiter.limitFor) and the connection caps
// to connLimiter.perNet.
const networkKeyPrefix = "net48:"

// throttleKeys are the shared keys the guess throttles count a request's
// client by, kind ("address:", "signup:") before each: its address and,
// for IPv6, the /48 it is in (addressKeys).
func (s *Server) throttleKeys(r *http.Request, kind string) []string {
	a, ok := s.clientIP(r)
	if !ok {
		return []string{kind + r.RemoteAddr}
	}
	addr, network := addressKeys(a)
	keys := []string{kind + addr}
	if network != "" {
		keys = append(keys, networkKeyPrefix+kind+network)
	}
	return keys
}

// addressKeys is how the throttles and the connection caps count a client
// address, the one rule both follow: by its IP, or its /64 for IPv6 (one
// subscriber usually holds a whole /64), and for IPv6 also by the /48 that
// is in (network; "" for IPv4), held to a larger limit. A /64 is one
// subscriber's, but a /48 is a site's usual share (and a tunnel broker's
// free one): counted by /64 alone, one /48 had 65,536 addresses' worth of
// wrong join codes and sign-ins, and of connections.
func addressKeys(a netip.Addr) (addr, network string) {
	a = a.Unmap()
	if !a.Is6() {
		return a.String(), ""
	}
	p64, _ := a.Prefix(64)
	p48, _ := a.Prefix(48)
	return p64.String(), p48.String()
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
