package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestWrongJSONTypesNameTheField: a body that is JSON but gives a field a
// value of the wrong kind is refused (400) naming the field and what it
// must be, in words: not "not valid JSON" with Go's type names, which
// blames the syntax and tells the reader nothing they wrote. Nothing is
// stored.
func TestWrongJSONTypesNameTheField(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 1)
	tok := f.token(c)
	th := assigned[0].ContactID
	unsent := cf.contacts[0].ID // both were handed out; one texted
	if unsent == th {
		unsent = cf.contacts[1].ID
	}
	marks := "/api/v1/campaigns/" + cf.campaign.ID + "/admin/unroutable/x/handled"
	tests := []struct {
		name, path, token, body string
		code, field, words      string
	}{
		{"signup name a number", "/api/v1/signup", "", `{"name": 5, "email": "n@example.org", "password": "correct horse battery"}`,
			api.CodeInvalidField, "name", "name must be text, not a number"},
		{"login password a number", "/api/v1/login", "", `{"email": "n@example.org", "password": 1}`,
			api.CodeInvalidField, "password", "password must be text, not a number"},
		{"join code a number", "/api/v1/campaigns/join", tok, `{"code": 123456}`,
			api.CodeInvalidField, "code", "code must be text, not a number"},
		{"release ids a string", "/api/v1/actions/" + cf.action.ID + "/release", tok, `{"contactIds": "x"}`,
			api.CodeInvalidField, "contactIds", "contactIds must be a list, not text"},
		{"release id a number", "/api/v1/actions/" + cf.action.ID + "/release", tok, `{"contactIds": [1]}`,
			api.CodeInvalidField, "contactIds", "contactIds must be text, not a number"},
		{"mutations an object", "/api/v1/mutations", tok, `{"mutations": {}}`,
			api.CodeInvalidField, "mutations", "mutations must be a list, not an object"},
		{"archived a string", "/api/v1/mutations", tok, `{"mutations": [{"id": "w1", "type": "archive", "threadId": "` + th + `", "archived": "yes"}]}`,
			api.CodeInvalidField, "mutations.archived", "mutations.archived must be true or false, not text"},
		{"createdAt not a time", "/api/v1/mutations", tok, `{"mutations": [{"id": "w2", "type": "archive", "threadId": "` + th + `", "archived": true, "createdAt": "tomorrow"}]}`,
			api.CodeInvalidField, "", `"tomorrow" is not a time`},
		{"handled a string", marks, tok, `{"handled": "yes"}`,
			api.CodeInvalidField, "handled", "handled must be true or false, not text"},
		{"an array", "/api/v1/login", "", `[]`,
			api.CodeBadRequest, "", "request body must be a JSON object, not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.path == marks {
				method = "PUT"
			}
			status, raw := f.raw(method, tt.path, tt.token, tt.body)
			var eb api.ErrorBody
			mustJSON(t, raw, &eb)
			if status != http.StatusBadRequest || eb.Error.Code != tt.code || eb.Error.Field != tt.field ||
				!strings.Contains(eb.Error.Message, tt.words) {
				t.Fatalf("= %d %s, want 400 %s field %q saying %q", status, raw, tt.code, tt.field, tt.words)
			}
			for _, tech := range []string{"Go struct", "json:", "unmarshal", "2006-01-02"} {
				if strings.Contains(eb.Error.Message, tech) {
					t.Fatalf("message %q speaks Go (%q)", eb.Error.Message, tech)
				}
			}
		})
	}
	// Nothing was stored: no account, the thread not archived, nothing released.
	if _, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(context.Background(),
		api.LoginRequest{Email: "n@example.org", Password: "correct horse battery"}); err == nil {
		t.Fatal("a refused signup made an account")
	}
	f.view(func(tx store.Tx) error {
		row, err := tx.ThreadByID(context.Background(), th)
		if err != nil {
			return err
		}
		st, err := tx.InboxState(context.Background(), row.OwnerID, th)
		if st.Archived {
			t.Fatal("a refused push archived the thread")
		}
		return err
	})
	// Still assigned: releasing it now releases one.
	status, raw := f.raw("POST", "/api/v1/actions/"+cf.action.ID+"/release", tok, `{"contactIds": ["`+unsent+`"]}`)
	var rel api.ReleaseResponse
	mustJSON(t, raw, &rel)
	if status != http.StatusOK || rel.Released != 1 {
		t.Fatalf("release after the refused ones = %d %s, want 1 released", status, raw)
	}
}

// TestNotJSONSaysWhere: a body that is not JSON is refused saying what was
// found where it stopped being JSON and at which byte, or that it ended
// too soon, in words rather than the parser's.
func TestNotJSONSaysWhere(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ body, words string }{
		{`handled=yes`, "request body is not valid JSON: unexpected 'h' at byte 1"},
		{`{"email": "n@example.org",}`, "unexpected '}' at byte 27"},
		{`{"email": "n@example.org" "password": "x"}`, "unexpected '\"' at byte 27"},
		{`{"email": 'n'}`, `unexpected '\'' at byte 11`},
		{`{"email":  }`, "unexpected '}' at byte 12"},
		{`{"email": "n@example.org"`, "it ends before its value does"},
		{`{"email": "n@exa`, "it ends before its value does"},
	}
	for _, tt := range tests {
		status, raw := f.raw("POST", "/api/v1/login", "", tt.body)
		var eb api.ErrorBody
		mustJSON(t, raw, &eb)
		if status != http.StatusBadRequest || eb.Error.Code != api.CodeBadRequest || !strings.Contains(eb.Error.Message, tt.words) {
			t.Errorf("%s = %d %s, want 400 %s saying %q", tt.body, status, raw, api.CodeBadRequest, tt.words)
		}
		if strings.Contains(eb.Error.Message, "looking for") || strings.Contains(eb.Error.Message, "invalid character") {
			t.Errorf("%s: message %q speaks the parser's words", tt.body, eb.Error.Message)
		}
	}
}
