package server_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// U+0000 cannot be stored on PostgreSQL (SQLite takes it), so a client's
// text holding one is refused on both engines in words naming the field,
// and a provider's is kept with U+FFFD in its place (backend/nulchar).
// Run on PostgreSQL with scripts/pg-test.sh.

// wantNULField checks a 400 invalid_field naming field and the NUL.
func wantNULField(t *testing.T, status int, raw []byte, field, path string) {
	t.Helper()
	var eb api.ErrorBody
	mustJSON(t, raw, &eb)
	if status != http.StatusBadRequest || eb.Error.Code != api.CodeInvalidField || eb.Error.Field != field ||
		!strings.HasPrefix(eb.Error.Message, path+" ") || !strings.Contains(eb.Error.Message, "NUL character (U+0000)") {
		t.Fatalf("= %d %s, want 400 invalid_field %q naming %s and the NUL", status, raw, field, path)
	}
}

// TestNULInBodiesRefused: a request body with a NUL in any string is
// refused with 400 before anything is read or stored.
func TestNULInBodiesRefused(t *testing.T) {
	f := newFixture(t)
	cf, c, _, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	tok := f.token(c)
	tests := []struct {
		name, path, token string
		body              any
		field, at         string
	}{
		{"signup name", "/api/v1/signup", "", api.SignupRequest{Name: "Ni\x00na", Email: "nina@example.org", Password: "correct horse battery"}, "name", "name"},
		{"signup email", "/api/v1/signup", "", api.SignupRequest{Name: "Nina", Email: "nina\x00@example.org", Password: "correct horse battery"}, "email", "email"},
		{"signup password", "/api/v1/signup", "", api.SignupRequest{Name: "Nina", Email: "nina@example.org", Password: "correct\x00horse battery"}, "password", "password"},
		{"login email", "/api/v1/login", "", api.LoginRequest{Email: "vera\x00@example.org", Password: "x"}, "email", "email"},
		{"join code", "/api/v1/campaigns/join", tok, api.JoinRequest{Code: cf.campaign.JoinCode + "\x00"}, "code", "code"},
		{"join campaign id", "/api/v1/campaigns/join", tok, api.JoinRequest{CampaignID: "x\x00y"}, "campaignId", "campaignId"},
		{"release ids", "/api/v1/actions/" + cf.action.ID + "/release", tok,
			api.ReleaseRequest{ContactIDs: []string{b.Assigned[0].ContactID, "a\x00b"}}, "contactIds", "contactIds[1]"},
		// As a client writes it: the escape, not a raw byte.
		{"escaped in the JSON", "/api/v1/signup", "", `{"name":"Nina","email":"nina@example.org","password":"correct horse\u0000"}`, "password", "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := f.raw("POST", tt.path, tt.token, tt.body)
			wantNULField(t, status, raw, tt.field, tt.at)
		})
	}
	// Nothing was stored: no account, the contacts still Vera's.
	f.view(func(tx store.Tx) error {
		if _, err := tx.UserByEmail(context.Background(), "nina@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an account was made: %v", err)
		}
		return nil
	})
	if res, err := c.Release(context.Background(), cf.action.ID, []string{b.Assigned[0].ContactID}); err != nil || res.Released != 1 {
		t.Fatalf("release after the refusal = %+v, %v; want the contact still held", res, err)
	}
}

// TestNULMutationsRejectedOneByOne: in a push, each mutation holding a NUL
// is rejected invalid as its own result, naming the field, and stores
// nothing; the push is answered 200 and its other mutations apply, so the
// app's outbox moves on.
func TestNULMutationsRejectedOneByOne(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 2)
	th := assigned[0].ContactID
	fresh := assigned[1].ContactID
	msgID := uuid.NewString()
	var before store.Thread
	f.view(func(tx store.Tx) (err error) {
		before, err = tx.ThreadByID(ctx, th)
		return err
	})
	muts := []struct {
		m  api.Mutation
		at string
	}{
		{api.Mutation{Type: api.MutReply, ThreadID: th, MessageID: msgID, Body: "see you\x00there"}, "body"},
		{api.Mutation{Type: api.MutReply, ThreadID: th, MessageID: msgID + "\x00", Body: "see you there"}, "messageId"},
		{api.Mutation{Type: api.MutReply, ThreadID: th + "\x00", MessageID: msgID, Body: "see you there"}, "threadId"},
		{api.Mutation{Type: api.MutBlock, ThreadID: th, Reason: api.BlockSpam, Body: "a note\x00"}, "body"},
		{api.Mutation{Type: api.MutBlock, ThreadID: th, Reason: api.BlockSpam + "\x00"}, "reason"},
		{api.Mutation{Type: api.MutReport, ThreadID: th, ReportID: uuid.NewString(), Values: map[string]string{"notes": "n\x00"}}, "values.notes"},
		{api.Mutation{Type: api.MutReport, ThreadID: th, ReportID: uuid.NewString(), Values: map[string]string{"no\x00tes": "n"}}, "values"},
		{api.Mutation{Type: api.MutSendInitial, ContactID: assigned[1].ContactID + "\x00", MessageID: uuid.NewString()}, "contactId"},
		{api.Mutation{Type: api.MutReassign, ThreadID: th, ToUserID: f.admin.ID + "\x00"}, "toUserId"},
		{api.Mutation{Type: api.MutArchive + "\x00", ThreadID: th, Archived: ptr(true)}, "type"},
		{api.Mutation{ID: "m\x00" + uuid.NewString(), Type: api.MutArchive, ThreadID: th, Archived: ptr(true)}, "id"},
	}
	var all []api.Mutation
	for _, x := range muts {
		if x.m.ID == "" {
			x.m.ID = uuid.NewString()
		}
		x.m.CreatedAt = baseTime
		all = append(all, x.m)
	}
	// One good mutation last: it applies whatever came before it.
	good := api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: fresh, Archived: ptr(true), CreatedAt: baseTime}
	all = append(all, good)
	resp, err := c.PushMutations(ctx, all)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	if len(resp.Results) != len(all) {
		t.Fatalf("%d results for %d mutations", len(resp.Results), len(all))
	}
	for i, x := range muts {
		r := resp.Results[i]
		if r.ID != all[i].ID {
			t.Fatalf("result %d is for %q, want %q", i, r.ID, all[i].ID)
		}
		wantRejected(t, r, api.RejectInvalid)
		if !strings.HasPrefix(r.Reason, x.at+" ") || !strings.Contains(r.Reason, "NUL character (U+0000)") {
			t.Errorf("%s with a NUL in %s: reason %q, want it named", all[i].Type, x.at, r.Reason)
		}
	}
	wantApplied(t, resp.Results[len(all)-1])

	// Nothing of them was stored: no reply, no block, no report, no
	// mutation (a retry with the NUL taken out applies), no first text.
	f.view(func(tx store.Tx) error {
		if _, err := tx.MessageByID(ctx, msgID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the reply was stored: %v", err)
		}
		row, err := tx.ThreadByID(ctx, th)
		if err != nil {
			return err
		}
		if row.Blocked || row.OwnerID != before.OwnerID {
			t.Errorf("thread = blocked %v, owner %s; want as it was", row.Blocked, row.OwnerID)
		}
		for _, m := range all[:len(muts)] {
			if f.pgURL != "" && strings.ContainsRune(m.ID, 0) {
				continue // PostgreSQL cannot even look it up; SQLite shows it was not stored
			}
			if _, err := tx.MutationByID(ctx, m.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("mutation %q (%s) was stored: %v", m.ID, m.Type, err)
			}
			if m.ReportID != "" {
				if _, err := tx.ReportByID(ctx, m.ReportID); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("report %s was stored: %v", m.ReportID, err)
				}
			}
		}
		return nil
	})
	fixed := all[0]
	fixed.Body = "see you there"
	wantApplied(t, push(t, c, fixed))
}

// TestNULInURLRefused: a path value or query parameter holding a NUL
// (%00), or bytes that are no UTF-8 text (%ff), is answered 400 naming
// it, never a 500 from the database.
func TestNULInURLRefused(t *testing.T) {
	f := newFixture(t)
	cf, c, _, _ := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	tok := f.token(c)
	camp := "/api/v1/campaigns/" + cf.campaign.ID
	tests := []struct {
		method, path, field string
	}{
		{"GET", "/api/v1/campaigns?q=a%00b", "q"},
		{"GET", "/api/v1/campaigns?q=ok&other=%00", "other"},
		{"GET", "/api/v1/sync?cursor=%00", "cursor"},
		{"GET", "/api/v1/actions/a%00b/reassign-targets", "id"},
		{"POST", "/api/v1/actions/a%00b/batches", "id"},
		{"POST", "/api/v1/actions/a%00b/release", "id"},
		{"GET", "/api/v1/campaigns/x%00y/admin", "id"},
		{"GET", camp + "/admin/threads/t%00", "threadId"},
		{"GET", camp + "/admin/results?x=%00", "x"},
		{"POST", camp + "/admin/opt-ins/o%00/opt-back-in", "optInId"},
		{"PUT", camp + "/admin/unroutable/u%00/handled", "textId"},
		{"PUT", camp + "/admin/abuse-reports/r%00/reviewed", "reportId"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			status, raw := f.raw(tt.method, tt.path, tok, `{"handled":true,"reviewed":true}`)
			var eb api.ErrorBody
			mustJSON(t, raw, &eb)
			if status != http.StatusBadRequest || eb.Error.Code != api.CodeInvalidField || eb.Error.Field != tt.field ||
				!strings.Contains(eb.Error.Message, "NUL character (U+0000)") {
				t.Fatalf("= %d %s, want 400 invalid_field %q naming the NUL", status, raw, tt.field)
			}
		})
	}
	// Bytes that are no UTF-8 text (%ff), which PostgreSQL refuses as
	// SQLSTATE 22021, are refused the same way.
	for _, tt := range []struct{ method, path, field string }{
		{"GET", "/api/v1/campaigns?q=Ada%ff", "q"},
		{"GET", "/api/v1/campaigns?q%ff=x", ""},
		{"GET", "/api/v1/actions/a%ffb/reassign-targets", "id"},
		{"GET", camp + "/admin/threads/t%c3", "threadId"},
		{"POST", camp + "/admin/opt-ins/o%80/opt-back-in", "optInId"},
	} {
		status, raw := f.raw(tt.method, tt.path, tok, `{}`)
		var eb api.ErrorBody
		mustJSON(t, raw, &eb)
		if status != http.StatusBadRequest || eb.Error.Code != api.CodeInvalidField || eb.Error.Field != tt.field ||
			!strings.Contains(eb.Error.Message, "is not valid UTF-8 text") {
			t.Errorf("%s %s = %d %s, want 400 invalid_field %q, not UTF-8", tt.method, tt.path, status, raw, tt.field)
		}
	}
	// Text that is UTF-8, percent-encoded, is served.
	if status, raw := f.raw("GET", "/api/v1/campaigns?q=Jos%C3%A9", tok, nil); status != http.StatusOK {
		t.Fatalf("search for José = %d %s", status, raw)
	}
	// A NUL elsewhere in the path matches no endpoint.
	if status, raw := f.raw("GET", "/api/v1/m%00e", tok, nil); status != http.StatusNotFound {
		t.Fatalf("a NUL in a fixed segment = %d %s, want 404", status, raw)
	}
	// The same requests without it are served.
	if status, raw := f.raw("GET", "/api/v1/campaigns?q=ab", tok, nil); status != http.StatusOK {
		t.Fatalf("search without the NUL = %d %s", status, raw)
	}
}

// TestNULFromProviderKept: a contact's reply, a text no thread claims and
// a provider's words on a failed text keep everything they said, each NUL
// as U+FFFD, on both engines.
func TestNULFromProviderKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 3, numbers: 1})
	res, msgID := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	from := f.sent()[0].From
	a := b.Assigned[0]

	f.clock.Advance(time.Second)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-nul", From: a.Phone, To: from, Body: "yes\x00 I will", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatalf("receive a reply with a NUL: %v", err)
	}
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-nul-2", From: "+13125550000", To: from, Body: "who\x00 is this", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatalf("receive an unroutable text with a NUL: %v", err)
	}
	f.view(func(tx store.Tx) error {
		m, err := tx.MessageByProviderID(ctx, "SM-nul")
		if err != nil {
			return err
		}
		if m.Body != "yes\uFFFD I will" || m.ThreadID != a.ContactID {
			t.Errorf("reply stored as %q in %s, want %q in %s", m.Body, m.ThreadID, "yes\uFFFD I will", a.ContactID)
		}
		us, err := tx.ListUnroutable(ctx, 10)
		if err != nil {
			return err
		}
		if len(us) != 1 || us[0].Body != "who\uFFFD is this" {
			t.Errorf("unroutable = %+v, want the text with U+FFFD", us)
		}
		return nil
	})
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	msgs := state.messages(t, a.ContactID)
	if !slices.ContainsFunc(msgs, func(m api.Message) bool { return m.Direction == api.DirInbound && m.Body == "yes\uFFFD I will" }) {
		t.Fatalf("the volunteer sees %+v, want the reply", msgs)
	}

	// A status callback's words, and a refusal's from the provider.
	sent := messageStatus(t, f, msgID)
	if err := f.srv.UpdateStatus(ctx, sms.StatusUpdate{ProviderID: sent.ProviderID, Status: sms.StatusUndelivered,
		ErrorCode: "30003", ErrorMessage: "Unreachable\x00 handset"}); err != nil {
		t.Fatalf("status callback with a NUL: %v", err)
	}
	if m := messageStatus(t, f, msgID); m.Status != api.StatusUndelivered || !strings.Contains(m.Error, "Unreachable\uFFFD handset") {
		t.Fatalf("message = %s %q, want undelivered with the provider's words", m.Status, m.Error)
	}
	f.faults.failSends(b.Assigned[1].Phone, &sms.Error{Code: "21211", Message: "Invalid\x00 number"})
	res, refusedID := sendInitial(t, c, b.Assigned[1].ContactID)
	wantApplied(t, res)
	f.drain()
	if m := messageStatus(t, f, refusedID); m.Status != api.StatusFailed || !strings.Contains(m.Error, "Invalid\uFFFD number") {
		t.Fatalf("refused text = %s %q, want failed with the provider's words", m.Status, m.Error)
	}
}

// TestNULInOrganizerFiles: the command line's files name a NUL like their
// other problems and store nothing of it: a campaign file is refused
// whole before the database is read, a contact row with one is left out
// and the rest imported.
func TestNULInOrganizerFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	_, err := campaignfile.Parse([]byte(strings.Replace(orgFile, "title: GOTV", `title: "GO\0TV"`, 1)))
	if err == nil || !strings.Contains(err.Error(), "actions[0].title (line 5): contains a NUL character (U+0000)") {
		t.Fatalf("campaign file with a NUL: %v", err)
	}
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	csv := "First Name,Last Name,Cell Phone,Precinct\nAda,Lovelace,(212) 555-0101,12B\nBob,Null,(212) 555-0102,1\x002\n"
	_, err = o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(csv)})
	if err == nil || !strings.Contains(err.Error(), `line 3, column "Precinct": contains a NUL character (U+0000)`) {
		t.Fatalf("import with a NUL in a cell: %v, want line 3 named", err)
	}
	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(csv), SkipInvalid: true})
	if err != nil {
		t.Fatalf("import of the rest: %v", err)
	}
	if imp.Imported != 1 || imp.Invalid != 1 {
		t.Fatalf("import = %d imported, %d invalid; want Ada in, Bob left out", imp.Imported, imp.Invalid)
	}
}
