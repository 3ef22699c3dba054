package sync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sync"
)

// contactsServer serves one sync page bringing a conversation (no
// assignment of its contact), every later pull nothing, and answers
// POST /api/v1/contacts with status(n) for its n-th call (from 1).
func contactsServer(t *testing.T, status func(n int64) int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var asked atomic.Int64
	now := time.Now().UTC().Truncate(time.Microsecond)
	thread, _ := json.Marshal(api.Thread{ID: "k1", ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P, OwnerID: "u1",
		ContactName: "Mary Ann Smith", ContactPhone: "+12025550101", SendingNumber: "+12025550199", LastMessageAt: now})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/sync":
			resp := api.SyncResponse{Changes: []api.Change{}, Cursor: 1}
			if r.URL.Query().Get("cursor") == "0" {
				resp.Changes = []api.Change{{Version: 1, Kind: api.KindThread, ID: "k1", Data: thread}}
			}
			_ = json.NewEncoder(w).Encode(resp)
		case "/api/v1/contacts":
			var req api.ContactsRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.IDs) != 1 || req.IDs[0] != "k1" {
				t.Errorf("contacts asked for %+v (%v); want k1", req, err)
			}
			if code := status(asked.Add(1)); code != http.StatusOK {
				w.WriteHeader(code)
				_, _ = w.Write([]byte(`{"error":{"code":"internal","message":"status ` + strconv.Itoa(code) + `"}}`))
				return
			}
			_ = json.NewEncoder(w).Encode(api.ContactsResponse{Contacts: []api.Assignment{{ContactID: "k1", ActionID: "a1",
				FirstName: "Mary Ann", LastName: "Smith", Phone: "+12025550101", Fields: map[string]string{"zip": "20001"}}}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &asked
}

func contactsEngine(t *testing.T, srv *httptest.Server) (*sync.Engine, *cache.Cache) {
	t.Helper()
	c, err := cache.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return sync.New(sync.Config{Cache: c, API: api.NewClient(srv.URL, srv.Client()), Log: zerolog.Nop()}), c
}

// TestContactsOfConversationsFilled: a conversation the feed brought
// without its contact has it asked for and kept; a failed ask is asked
// again the next round; once answered it is not asked again.
func TestContactsOfConversationsFilled(t *testing.T) {
	ctx := context.Background()
	srv, asked := contactsServer(t, func(n int64) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	eng, c := contactsEngine(t, srv)
	for round := range 4 {
		if err := eng.PullNow(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		a, ok, err := c.Contact(ctx, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if want := round > 0; ok != want {
			t.Fatalf("round %d: contact kept %v; want %v", round, ok, want)
		}
		if ok && (a.FirstName != "Mary Ann" || a.Fields["zip"] != "20001") {
			t.Fatalf("round %d: contact %+v", round, a)
		}
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("asked %d times; want 2 (failed, answered)", n)
	}
}

// TestContactsOfConversationsOlderServer: a server without the endpoint
// (404) is asked once a session; the conversation reads as before.
func TestContactsOfConversationsOlderServer(t *testing.T) {
	ctx := context.Background()
	srv, asked := contactsServer(t, func(int64) int { return http.StatusNotFound })
	eng, c := contactsEngine(t, srv)
	for round := range 3 {
		if err := eng.PullNow(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	if _, ok, _ := c.Contact(ctx, "k1"); ok {
		t.Error("a contact kept from a 404")
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times; want once", n)
	}
}

// TestContactsAnswerCutAtItsBudgetAskedOn: a server whose answer covers
// only the first of the ids asked (Answered 1: the rest would have passed
// its byte budget) is asked for the rest in the same round, until each
// conversation has its contact, each asked for once.
func TestContactsAnswerCutAtItsBudgetAskedOn(t *testing.T) {
	ctx := context.Background()
	ids := []string{"k1", "k2", "k3"}
	now := time.Now().UTC().Truncate(time.Microsecond)
	var changes []api.Change
	for i, id := range ids {
		th, _ := json.Marshal(api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P, OwnerID: "u1",
			ContactName: "Contact " + id, ContactPhone: "+1202555010" + strconv.Itoa(i), SendingNumber: "+12025550199", LastMessageAt: now})
		changes = append(changes, api.Change{Version: int64(i + 1), Kind: api.KindThread, ID: id, Data: th})
	}
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/sync":
			resp := api.SyncResponse{Changes: []api.Change{}, Cursor: 3}
			if r.URL.Query().Get("cursor") == "0" {
				resp.Changes = changes
			}
			_ = json.NewEncoder(w).Encode(resp)
		case "/api/v1/contacts":
			var req api.ContactsRequest
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.IDs) == 0 {
				t.Errorf("contacts asked for %+v (%v)", req, err)
				return
			}
			first := req.IDs[0]
			asked[first]++
			resp := api.ContactsResponse{Contacts: []api.Assignment{{ContactID: first, ActionID: "a1", FirstName: "Name " + first}}}
			if len(req.IDs) > 1 {
				resp.Answered = 1
			}
			_ = json.NewEncoder(w).Encode(resp)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	eng, c := contactsEngine(t, srv)
	if err := eng.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if a, ok, err := c.Contact(ctx, id); err != nil || !ok || a.FirstName != "Name "+id {
			t.Errorf("contact %s after one round: %+v %v %v; want it kept", id, a, ok, err)
		}
		if asked[id] != 1 {
			t.Errorf("%s first in %d asks; want 1", id, asked[id])
		}
	}
}
