package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/client"
)

// TestSignInPageInTheServersPlace: a network whose sign-in page answers
// every request with 200 and HTML (hotel Wi-Fi before its form is filled)
// keeps the inbox and the unsent reply, says what to do in the status bar
// and in a screen's error, and is not taken for an event stream.
func TestSignInPageInTheServersPlace(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body><form>Accept the terms to use Hotel Wi-Fi</form></body></html>"))
	}))
	t.Cleanup(srv.Close) // after the client, which holds a stream open
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	c := startWithReply(t, dir, srv.URL, nil)
	const problem = "The campaign server's answer could not be read. If this network has a sign-in page, open it in a browser; Textbank keeps trying."
	deadline := time.Now().Add(10 * time.Second)
	for st := c.Status(ctx); st.Problem != problem; st = c.Status(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("status %+v; want the sign-in page's problem", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := c.Status(ctx); st.Pending != 1 || !st.SignedIn {
		t.Fatalf("status %+v; want signed in, the reply kept", st)
	}
	if _, err := c.Thread(ctx, "k1"); err != nil {
		t.Fatalf("the inbox is not readable: %v", err)
	}
	_, err := c.SearchCampaigns(ctx, "vote")
	if shown, fault := client.Explain(err); shown == nil || shown.Error() != client.GarbledWords || !fault {
		t.Fatalf("search: %v, shown as %q (fault %v); want %q, a fault for the log", err, shown, fault, client.GarbledWords)
	}
}
