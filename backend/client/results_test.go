package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// TestResultsStillCountingIsNotUnreachable: a server still counting a big
// campaign's results when the app stops waiting is told as such, not as
// "cannot reach the campaign server" (which sent organizers to their
// Wi-Fi), and the app waits longer for results than for other calls.
func TestResultsStillCountingIsNotUnreachable(t *testing.T) {
	defer client.SetResultsTimeout(300 * time.Millisecond)()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/admin/results"):
			select { // counting, longer than the app waits
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case r.URL.Path == "/api/v1/sync":
			_, _ = io.WriteString(w, `{"changes":[],"cursor":3,"more":false}`)
		case r.URL.Path == "/api/v1/events":
			holdStream(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	c, _ := newClient(t, srv.URL, dir)
	_, err := c.AdminResults(context.Background(), "c1")
	if err == nil {
		t.Fatal("AdminResults succeeded against a server still counting")
	}
	shown, _ := client.Explain(err)
	words := shown.Error()
	if errors.Is(err, api.ErrUnreachable) || !strings.HasPrefix(words, "The campaign server was still counting the results after") {
		t.Fatalf("AdminResults = %v (%q); want the still-counting words", err, words)
	}
}

// TestResultsTransportWaitsAsLong: the default client's transport waits for
// the results' headers as long as AdminResults waits (the server answers
// only once it has counted), and for every other call's the usual 30 s
// (a hung server given up): with one transport, the count was cut off
// at 30 s whatever AdminResults allowed. The results' wait is longer than
// AdminResults' own, so that its deadline ends the wait and says "still
// counting": with the two equal, the transport's timer fired first now
// and then under load (TestResultsStillCountingIsNotUnreachable failed in
// CI with "timeout awaiting response headers").
func TestResultsTransportWaitsAsLong(t *testing.T) {
	normal, long := client.HeaderWaits()
	if long < client.ResultsTimeout()+5*time.Second || normal != 30*time.Second {
		t.Fatalf("header waits %v and %v; want 30s for calls and past %v for results", normal, long, client.ResultsTimeout())
	}
}
