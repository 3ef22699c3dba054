package twilio

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testSID   = "AC0123456789abcdef0123456789abcdef"
	testToken = "0123456789abcdef0123456789abcdef"
)

// fakeTwilio is a local stand-in of Twilio's REST API (Messages create and
// list, as documented), so the real twilio-go client can be driven here.
type fakeTwilio struct {
	t  *testing.T
	ts *httptest.Server

	mu       sync.Mutex
	messages []map[string]any
	creates  int
	// errorsFor maps a To number to the status and body answered to a
	// create, once per entry; created says whether the message is stored
	// anyway (a 500 after the fact).
	errorsFor map[string][]fakeError
	// accountStatus is the account's status in a Fetch Account answer.
	accountStatus string
	// listHang holds every list of messages this long before it answers.
	listHang time.Duration
}

type fakeError struct {
	status  int
	code    int
	message string
	created bool
	hang    time.Duration
	// echoCallback adds to message the StatusCallback the create gave, as
	// given and form-escaped, as an error of Twilio's about it may.
	echoCallback bool
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{t: t, errorsFor: map[string][]fakeError{}, accountStatus: "active"}
	f.ts = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.ts.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != testSID || pass != testToken {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		writeJSON(w, 401, map[string]any{"code": 20003, "message": "Authenticate", "status": 401,
			"detail": "Your AccountSid or AuthToken was incorrect.", "more_info": "https://www.twilio.com/docs/errors/20003"})
		return
	}
	if r.URL.Path == "/2010-04-01/Accounts/"+testSID+".json" && r.Method == http.MethodGet {
		// Fetch Account, as Twilio documents it: the auth token comes back
		// too, which CheckAccount must not keep or show.
		writeJSON(w, 200, map[string]any{"sid": testSID, "owner_account_sid": testSID, "auth_token": testToken,
			"friendly_name": "Textbank tests", "status": f.accountStatus, "type": "Full",
			"date_created": "Thu, 30 Jul 2015 20:00:00 +0000", "uri": "/2010-04-01/Accounts/" + testSID + ".json"})
		return
	}
	if r.URL.Path != "/2010-04-01/Accounts/"+testSID+"/Messages.json" {
		writeJSON(w, 404, map[string]any{"code": 20404, "message": "not found", "status": 404})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, 400, map[string]any{"code": 20001, "message": err.Error(), "status": 400})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method {
	case http.MethodPost:
		f.creates++
		to := r.PostForm.Get("To")
		msg := map[string]any{
			"sid": fmt.Sprintf("SM%032d", len(f.messages)+1), "account_sid": testSID, "status": "queued",
			"to": to, "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body"),
			"date_created": time.Now().UTC().Format(time.RFC1123Z), "status_callback": r.PostForm.Get("StatusCallback"),
		}
		if errs := f.errorsFor[to]; len(errs) > 0 {
			e := errs[0]
			f.errorsFor[to] = errs[1:]
			if e.created {
				f.messages = append(f.messages, msg)
			}
			if e.hang > 0 {
				f.mu.Unlock()
				hold(r, e.hang)
				f.mu.Lock()
			}
			msg := e.message
			if e.echoCallback {
				cb := r.PostForm.Get("StatusCallback")
				msg += ": " + cb + " (" + url.QueryEscape(cb) + ")"
			}
			writeJSON(w, e.status, map[string]any{"code": e.code, "message": msg, "status": e.status,
				"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", e.code)})
			return
		}
		f.messages = append(f.messages, msg)
		writeJSON(w, 201, msg)
	case http.MethodGet:
		if f.listHang > 0 {
			f.mu.Unlock()
			hold(r, f.listHang)
			f.mu.Lock()
		}
		var out []map[string]any
		for i := len(f.messages) - 1; i >= 0; i-- { // newest first, as Twilio lists
			m := f.messages[i]
			if q := r.URL.Query().Get("To"); q != "" && m["to"] != q {
				continue
			}
			if q := r.URL.Query().Get("From"); q != "" && m["from"] != q {
				continue
			}
			out = append(out, m)
		}
		writeJSON(w, 200, map[string]any{"messages": out, "page": 0, "page_size": 100, "next_page_uri": nil})
	default:
		writeJSON(w, 405, map[string]any{"code": 20004, "message": "method not allowed", "status": 405})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeTwilio) stored() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.messages...)
}

func (f *fakeTwilio) provider(t *testing.T) *Provider {
	t.Helper()
	p, err := New(Config{AccountSID: testSID, AuthToken: testToken, PublicURL: "https://texts.example.org",
		APIURL: f.ts.URL, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewRefusesBadConfig(t *testing.T) {
	good := Config{AccountSID: testSID, AuthToken: testToken, PublicURL: "https://texts.example.org"}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"sid", func(c *Config) { c.AccountSID = "XX123" }, `account SID "XX123"`},
		// OPERATIONS.md's placeholder: 34 letters, yet no SID Twilio issues.
		{"sid placeholder", func(c *Config) { c.AccountSID = "AC" + strings.Repeat("x", 32) }, "32 hexadecimal digits"},
		{"token", func(c *Config) { c.AuthToken = "short" }, "auth token"},
		{"token chars", func(c *Config) { c.AuthToken = strings.Repeat("a", 31) + "!" }, "auth token"},
		{"public url", func(c *Config) { c.PublicURL = "texts.example.org" }, `public URL "texts.example.org"`},
		// Twilio signs the URL it calls: public URL + webhook path. A query
		// or fragment would come before the path and never match.
		{"public url query", func(c *Config) { c.PublicURL = "https://texts.example.org?via=proxy" }, "query"},
		{"public url fragment", func(c *Config) { c.PublicURL = "https://texts.example.org/#x" }, "query"},
		{"api url", func(c *Config) { c.APIURL = "::" }, "API URL"},
		// A proxy's basic authentication: a short password is guessed,
		// and could not be hidden in Twilio's error texts on its own.
		{"public url short password", func(c *Config) { c.PublicURL = "https://twilio:abc@texts.example.org" }, "at least 8 characters"},
		{"public url empty password", func(c *Config) { c.PublicURL = "https://twilio:@texts.example.org" }, "at least 8 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.edit(&c)
			_, err := New(c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatal("error shows the auth token")
			}
			if strings.Contains(err.Error(), ":abc@") {
				t.Fatal("error shows the public URL's password")
			}
		})
	}
}

// hold keeps a request unanswered for d, or until its client gives up on
// it: a test's long hang then costs nothing once the call it holds stops.
func hold(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}
