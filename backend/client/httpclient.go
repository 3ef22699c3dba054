package client

import (
	"context"
	"net"
	"net/http"
	"time"
)

func defaultHTTPClient() *http.Client {
	transport := func(headers time.Duration) *http.Transport {
		return &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: headers,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		}
	}
	// 10 s past resultsTimeout: AdminResults' own deadline must end the
	// wait ("still counting"), not this timer, which under load fired first
	// when the two were equal ("cannot reach the campaign server").
	return &http.Client{Transport: headerWait{normal: transport(callTimeout), long: transport(resultsTimeout + 10*time.Second)}}
}

// headerWait sends a request whose context says it waits long for its
// answer (longWait: counting a big campaign's results, which answers
// only once counted) through a transport that waits as long for the
// response's headers; every other through the one that gives a hung
// server up after callTimeout (the sync engine's calls have no other bound).
type headerWait struct{ normal, long http.RoundTripper }

type longWaitKey struct{}

// longWait marks ctx's requests as ones whose answer may take up to
// resultsTimeout to begin.
func longWait(ctx context.Context) context.Context {
	return context.WithValue(ctx, longWaitKey{}, true)
}

func (h headerWait) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Context().Value(longWaitKey{}) != nil {
		return h.long.RoundTrip(r)
	}
	return h.normal.RoundTrip(r)
}
