package server

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestHeadersAreHeldToALimit: textbankd's HTTP server answers a request
// whose headers pass maxHeaderBytes with 431 and lets its connection go,
// instead of reading up to Go's default of a mebibyte from every
// connection; ordinary headers pass.
func TestHeadersAreHeldToALimit(t *testing.T) {
	hs := httpServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	send := func(header string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	if got := send(strings.Repeat("t", 43)); got != http.StatusNoContent {
		t.Fatalf("an ordinary token: %d", got)
	}
	if got := send(strings.Repeat("t", 2*maxHeaderBytes)); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("headers of %d bytes: %d, want 431", 2*maxHeaderBytes, got)
	}
}
