package server_test

// Requests made by hand: raw bodies, and requests as if from an address
// (the throttles key by it), straight to the handler or over loopback.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// raw sends one request and returns status and body.
func (f *fixture) raw(method, path, token string, body any) (int, []byte) {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// rawRequest sends body to the server's handler as a request from remote,
// forwarded for xff ("" for no header), with token if not "".
func rawRequest(t *testing.T, h http.Handler, method, path, remote, xff, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.RemoteAddr = remote
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// addrClient sends requests to the server's handler as if from addr, so
// that tests can tell the per-user and per-address limits apart.
type addrClient struct {
	f     *fixture
	h     http.Handler
	token string
	addr  string
}

func (f *fixture) from(h http.Handler, c *api.Client, addr string) addrClient {
	return addrClient{f: f, h: h, token: f.token(c), addr: addr}
}

func (a addrClient) do(method, path string, body any) *httptest.ResponseRecorder {
	a.f.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			a.f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr = a.addr
	req.Header.Set("Authorization", "Bearer "+a.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

func (a addrClient) join(code string) *httptest.ResponseRecorder {
	return a.do("POST", "/api/v1/campaigns/join", api.JoinRequest{Code: code})
}

func (a addrClient) search(q string) *httptest.ResponseRecorder {
	return a.do("GET", "/api/v1/campaigns?q="+q, nil)
}
