package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/words"
)

// TestExplain: what each kind of error says to the volunteer, through
// wrapped chains, and which hold detail for the log only.
func TestExplain(t *testing.T) {
	local := errors.New("read settings: sqlite3: database is locked")
	refusal := &api.APIError{Status: http.StatusForbidden, Err: api.Error{Code: "forbidden", Message: "only the campaign's admins can do that"}}
	garbled := garbledAnswer(t)
	notInbox := userError("that conversation is not in your inbox")
	for _, c := range []struct {
		name  string
		err   error
		shown string
		fault bool
	}{
		{"words", notInbox, "that conversation is not in your inbox", false},
		{"words under a technical prefix", fmt.Errorf("hide thread: %w", notInbox), "that conversation is not in your inbox", true},
		{"another package's words", said(errors.New("enter the join code")), "enter the join code", false},
		// The server's answer is no fault here: the prefix is dropped, nothing logged as an error.
		{"the server's refusal", fmt.Errorf("push 4 mutations: %w", refusal), "only the campaign's admins can do that", false},
		{"the local database", local, ErrorWords, true},
		{"an answer that could not be read", fmt.Errorf("load campaigns: %w", garbled), GarbledWords, true},
		{"words around an answer that could not be read", userErrorf("The report was not saved: %w", garbled),
			"The report was not saved: " + GarbledWords, true},
		{"words around the local database", userErrorf("3 contacts were assigned to you, but loading them failed: %w", local),
			"3 contacts were assigned to you, but loading them failed: " + ErrorWords, true},
		{"words around the server's refusal", userErrorf("No contacts can be texted: %w.", refusal),
			"No contacts can be texted: only the campaign's admins can do that.", false},
	} {
		shown, fault := Explain(c.err)
		if shown.Error() != c.shown || fault != c.fault {
			t.Errorf("%s: Explain = %q, fault %v; want %q, fault %v", c.name, shown, fault, c.shown, c.fault)
		}
	}
	// The chain stays whole for errors.Is/As.
	wrapped := userErrorf("the texts waiting to go out were not sent first, so %s: %w", "nothing was done", fmt.Errorf("push: %w", refusal))
	var ae *api.APIError
	var w *words.Error
	if !errors.As(wrapped, &ae) || !errors.As(wrapped, &w) {
		t.Errorf("userErrorf lost the chain: %#v", wrapped)
	}
	if shown, fault := Explain(nil); shown != nil || fault {
		t.Errorf("Explain(nil) = %v, %v", shown, fault)
	}
}

// garbledAnswer is what the API client returns for a success answer that is
// not the API's (a Wi-Fi sign-in page answering 200 in the server's place).
func garbledAnswer(t *testing.T) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Sign in to Hotel Wi-Fi</body></html>"))
	}))
	defer srv.Close()
	_, err := api.NewClient(srv.URL, srv.Client()).Me(context.Background())
	if !errors.Is(err, api.ErrGarbled) || errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("Me over a sign-in page: %v; want ErrGarbled, not unreachable", err)
	}
	return err
}
