package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestUndoOptOutRefusals: Undo Opt Out refuses, with an error naming why
// and nothing changed (the opt-outs as they were, no lift, the threads
// still opted out): an opt-out the contact asked for (STOP, also after a
// report's), a block's, an import's and one from before sources were
// recorded; a number not opted out; one opted out again since the admin
// looked (undone once read again); a volunteer, another organization's
// admin, a conversation not of the campaign, and a body without the
// opt-out's time.
func TestUndoOptOutRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 7, numbers: 1, batch: 7})
	other := f.campaign(campaignOpts{contacts: 1, numbers: 1}) // same organization, also Ann's
	vera, a, from := texted(t, f, cf, 7)
	reportOptOut(t, vera, a[0].ContactID, nil) // undoable
	reportOptOut(t, vera, a[1].ContactID, nil)
	replyFrom(t, f, a[1], from, "STOP") // then the contact asked: theirs
	replyFrom(t, f, a[2], from, "stop")
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a[3].ContactID, Reason: api.BlockHarassment}))
	// a[4] is not opted out.
	if _, err := f.organizer(f.st).ImportOptOuts(ctx, server.OptOutImportRequest{Org: f.org.ID,
		CSV: strings.NewReader("phone\n" + a[5].Phone + "\n"), Source: "list.csv"}); err != nil {
		t.Fatal(err)
	}
	f.update(func(tx store.Tx) error { // as recorded before opt-outs had a source
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: a[6].Phone, Reason: "reported by volunteer", CreatedAt: f.clock.Now()})
	})

	admin := f.adminClient()
	tok := f.token(admin)
	mal, malUser := f.user("mallory")
	f.update(func(tx store.Tx) error { // an admin of another organization's campaign
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "org-mallory", Name: "Elsewhere", CreatedAt: baseTime}); err != nil {
			return err
		}
		camp := store.Campaign{ID: uuid.NewString(), OrganizationID: "org-mallory", Name: "Elsewhere", JoinCode: "777003", Active: true, CreatedAt: baseTime}
		if err := tx.CreateCampaign(ctx, camp); err != nil {
			return err
		}
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: camp.ID, UserID: malUser.ID, Role: store.RoleAdmin, CreatedAt: baseTime})
		return err
	})
	_, ta, _ := texted(t, f, other, 1)
	theirs := ta[0].ContactID

	read, err := admin.AdminThread(ctx, cf.campaign.ID, a[0].ContactID)
	if err != nil || read.OptOut == nil || !read.OptOut.Undoable {
		t.Fatalf("read %+v, %v: want an undoable opt-out", read.OptOut, err)
	}
	seen := read.OptOut.At
	body := func(at time.Time) string { b, _ := json.Marshal(api.UndoOptOut{OptedOutAt: &at}); return string(b) }
	path := func(campaignID, threadID string) string {
		return "/api/v1/campaigns/" + campaignID + "/admin/threads/" + threadID + "/undo-opt-out"
	}
	c := cf.campaign.ID
	snapshot := func() string {
		t.Helper()
		var out []string
		f.view(func(tx store.Tx) error {
			for _, x := range a {
				o, err := tx.OptOutOf(ctx, f.org.ID, x.Phone)
				th, terr := tx.ThreadByID(ctx, x.ContactID)
				if terr != nil {
					return terr
				}
				b, _ := json.Marshal(struct {
					O   store.OptOut
					Err string
					Out bool
				}{o, errString(err), th.OptedOut})
				out = append(out, string(b))
			}
			return nil
		})
		var lifts bytes.Buffer
		n, err := f.organizer(f.st).ExportLiftedOptOuts(ctx, f.org.Name, &lifts)
		if err != nil || n != 0 {
			t.Fatalf("lifts after a refusal: %d, %v", n, err)
		}
		return strings.Join(out, "\n")
	}
	before := snapshot()
	for _, tt := range []struct {
		name, path, token, body string
		status                  int
		code, words             string
	}{
		{"the contact's STOP after a report", path(c, a[1].ContactID), tok, body(f.clock.Now()), 409, api.CodeOptedOutByContact,
			a[1].Phone + " asked to opt out (keyword: STOP): only their START lifts it, with Opt Back In"},
		{"the contact's STOP", path(c, a[2].ContactID), tok, body(f.clock.Now()), 409, api.CodeOptedOutByContact, a[2].Phone + " asked to opt out (keyword: stop)"},
		{"a block's", path(c, a[3].ContactID), tok, body(f.clock.Now()), 409, api.CodeOptOutNotReported,
			a[3].Phone + " was not opted out by a report alone (blocked by a volunteer: harassment): only the contact's START lifts it"},
		{"not opted out", path(c, a[4].ContactID), tok, body(f.clock.Now()), 409, api.CodeNotOptedOut, a[4].Phone + " is not opted out"},
		{"an import's", path(c, a[5].ContactID), tok, body(f.clock.Now()), 409, api.CodeOptOutNotReported, "(imported from list.csv)"},
		{"from before sources", path(c, a[6].ContactID), tok, body(f.clock.Now()), 409, api.CodeOptOutNotReported, "not opted out by a report alone"},
		{"no body", path(c, a[0].ContactID), tok, "", 400, api.CodeBadRequest, "request body is empty"},
		{"no time", path(c, a[0].ContactID), tok, `{}`, 400, api.CodeInvalidField, "say when the number was opted out as you saw it"},
		{"not a time", path(c, a[0].ContactID), tok, `{"optedOutAt": "yesterday"}`, 400, api.CodeInvalidField, `"yesterday" is not a time`},
		{"a volunteer", path(c, a[0].ContactID), f.token(vera), body(seen), 403, api.CodeForbidden, "only the campaign's admins"},
		{"another org's admin", path(c, a[0].ContactID), f.token(mal), body(seen), 403, api.CodeForbidden, "only the campaign's admins"},
		{"no sign-in", path(c, a[0].ContactID), "", body(seen), 401, api.CodeUnauthorized, "sign in first"},
		{"unknown conversation", path(c, uuid.NewString()), tok, body(seen), 404, api.CodeNotFound, "no such conversation in this campaign"},
		{"another campaign's conversation", path(c, theirs), tok, body(seen), 404, api.CodeNotFound, "no such conversation in this campaign"},
		{"this conversation by another campaign", path(other.campaign.ID, a[0].ContactID), tok, body(seen), 404, api.CodeNotFound, "no such conversation"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b any
			if tt.body != "" {
				b = tt.body
			}
			status, raw := f.raw("POST", tt.path, tt.token, b)
			var eb api.ErrorBody
			_ = json.Unmarshal(raw, &eb)
			if status != tt.status || eb.Error.Code != tt.code || !strings.Contains(eb.Error.Message, tt.words) {
				t.Fatalf("POST %s = %d %s, want %d %s saying %q", tt.path, status, raw, tt.status, tt.code, tt.words)
			}
		})
	}
	if after := snapshot(); after != before {
		t.Fatalf("the refusals changed the store:\n%s\nwas\n%s", after, before)
	}

	// Opted out again since the admin looked (Vera's report again): refused;
	// read again, it is undone.
	f.clock.Advance(time.Minute)
	reportOptOut(t, vera, a[0].ContactID, nil)
	before = snapshot()
	status, raw := f.raw("POST", path(c, a[0].ContactID), tok, body(seen))
	if status != 409 || !contains(raw, api.CodeOptedOutAgain, a[0].Phone+" was opted out again since you looked") {
		t.Fatalf("undo of an opt-out renewed since = %d %s, want 409 %s", status, raw, api.CodeOptedOutAgain)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the refusal changed the store:\n%s\nwas\n%s", after, before)
	}
	read, err = admin.AdminThread(ctx, c, a[0].ContactID)
	if err != nil || read.OptOut == nil || !read.OptOut.At.After(seen) {
		t.Fatalf("read again %+v, %v: want the renewed time", read.OptOut, err)
	}
	if after, err := admin.UndoOptOut(ctx, c, a[0].ContactID, read.OptOut.At); err != nil || after.OptOut != nil {
		t.Fatalf("undo as read again: %+v, %v", after.OptOut, err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
