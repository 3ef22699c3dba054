package simdoor

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFromThisMachine: a request from loopback, or from the address it
// reached the server at, is from the server's machine; one from another
// address is not.
func TestFromThisMachine(t *testing.T) {
	local := &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8787}
	for remote, want := range map[string]bool{
		"127.0.0.1:5000": true, "[::1]:5000": true, "192.0.2.7:5000": true, "[::ffff:192.0.2.7]:5000": true,
		"192.0.2.8:5000": false, "203.0.113.1:5000": false, "nonsense": false,
	} {
		r := httptest.NewRequest(http.MethodPost, Path, bytes.NewReader(nil))
		r.RemoteAddr = remote
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, local))
		if got := fromThisMachine(r); got != want {
			t.Errorf("from %s to %s: %v, want %v", remote, local, got, want)
		}
	}
}
