package server_test

// A volunteer attacking what is not theirs: another volunteer's threads in
// their own campaign, and everything of a private campaign they have not
// joined, by ids they guessed or saw. Every attempt must be refused and
// change nothing the owners can see.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// victim is a volunteer with a conversation under way (a reply, a report,
// a read and a mutation of theirs stored) and a contact assigned, unsent.
type victim struct {
	c        *api.Client
	u        api.User
	thread   string // contact id of the texted contact
	unsent   string // contact id still assigned to them
	message  string // id of their first text
	report   string // id of their report
	mutation string // id of their stored report mutation
	name     string // the texted contact's first name
	secrets  []string
}

func newVictim(t *testing.T, f *fixture, name string, cf campaignFix) victim {
	t.Helper()
	c, u := f.member(name, cf)
	b, err := c.Batch(context.Background(), cf.action.ID)
	if err != nil || len(b.Assigned) < 2 {
		t.Fatalf("batch for %s: %+v, %v", name, b, err)
	}
	v := victim{c: c, u: u, thread: b.Assigned[0].ContactID, unsent: b.Assigned[1].ContactID}
	res, msgID := sendInitial(t, c, v.thread)
	wantApplied(t, res)
	v.message = msgID
	sent := f.sent()
	replyFrom(t, f, b.Assigned[0], sent[len(sent)-1].From, "My secret answer for "+name)
	v.report, v.mutation = "rep-"+uuid.NewString(), uuid.NewString()
	wantApplied(t, push(t, c, api.Mutation{ID: v.mutation, Type: api.MutReport, ThreadID: v.thread, ReportID: v.report,
		Values: map[string]string{"notes": "private note of " + name}}))
	// A fellow member may be told a contact's name in a refusal (it is
	// their campaign's list); never the number or the conversation.
	v.name = b.Assigned[0].FirstName
	v.secrets = []string{b.Assigned[0].Phone, b.Assigned[1].Phone, "My secret answer for " + name, "private note of " + name}
	return v
}

// view is what the victim's app holds after a full sync, message statuses
// aside (the dispatcher moves them on its own).
func (v victim) view(t *testing.T) map[string]string {
	t.Helper()
	st := syncState{}
	syncAll(t, v.c, st, 0, 0)
	out := map[string]string{}
	for k, ch := range st {
		data := ch.Data
		if ch.Kind == api.KindMessage {
			var m api.Message
			mustJSON(t, ch.Data, &m)
			m.Status, m.Error = "", ""
			data, _ = json.Marshal(m)
		}
		out[k] = string(data)
	}
	return out
}

func TestVolunteersReachNothingNotTheirs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.campaign(campaignOpts{name: "Campaign A", private: true, contacts: 8, numbers: 2, batch: 2})
	b := f.campaign(campaignOpts{name: "Campaign B", issue: "Secret issue", private: true, contacts: 4, numbers: 1, batch: 2})
	peer := newVictim(t, f, "vera", a)  // same campaign as the attacker
	remote := newVictim(t, f, "bob", b) // a campaign the attacker never joined
	mal, malUser := f.member("mallory", a)
	mine, err := mal.Batch(ctx, a.action.ID)
	if err != nil || len(mine.Assigned) == 0 {
		t.Fatalf("attacker's own batch: %+v, %v", mine, err)
	}
	res, _ := sendInitial(t, mal, mine.Assigned[0].ContactID)
	wantApplied(t, res)
	own := mine.Assigned[0].ContactID
	f.drain()
	before := map[string]map[string]string{"peer": peer.view(t), "remote": remote.view(t)}

	yes := true
	for _, v := range []struct {
		name   string
		v      victim
		action string
	}{{"peer", peer, a.action.ID}, {"remote", remote, b.action.ID}} {
		tests := []struct {
			name string
			m    api.Mutation
			code string
		}{
			{"reply", api.Mutation{Type: api.MutReply, ThreadID: v.v.thread, MessageID: uuid.NewString(), Body: "hijacked"}, api.RejectNotAssigned},
			{"read", api.Mutation{Type: api.MutRead, ThreadID: v.v.thread}, api.RejectNotAssigned},
			{"archive", api.Mutation{Type: api.MutArchive, ThreadID: v.v.thread, Archived: &yes}, api.RejectNotAssigned},
			{"report", api.Mutation{Type: api.MutReport, ThreadID: v.v.thread, ReportID: uuid.NewString(), Values: map[string]string{"opt_out": "true"}}, api.RejectNotAssigned},
			{"block", api.Mutation{Type: api.MutBlock, ThreadID: v.v.thread, Reason: "spam"}, api.RejectNotAssigned},
			{"reassign one", api.Mutation{Type: api.MutReassign, ThreadID: v.v.thread, ToUserID: f.admin.ID}, api.RejectNotAssigned},
			{"reassign to self", api.Mutation{Type: api.MutReassign, ThreadID: v.v.thread, ToUserID: malUser.ID}, api.RejectNotAssigned},
			{"send their unsent contact", api.Mutation{Type: api.MutSendInitial, ContactID: v.v.unsent, MessageID: uuid.NewString()}, api.RejectNotAssigned},
			{"send it naming its action", api.Mutation{Type: api.MutSendInitial, ActionID: v.action, ContactID: v.v.unsent, MessageID: uuid.NewString()}, api.RejectNotAssigned},
			{"send their texted contact", api.Mutation{Type: api.MutSendInitial, ContactID: v.v.thread, MessageID: uuid.NewString()}, api.RejectNotAssigned},
			{"reuse their mutation id", api.Mutation{ID: v.v.mutation, Type: api.MutArchive, ThreadID: own, Archived: &yes}, api.RejectIDReused},
			{"reuse their message id", api.Mutation{Type: api.MutReply, ThreadID: own, MessageID: v.v.message, Body: "hi"}, api.RejectInvalid},
			{"reuse their report id", api.Mutation{Type: api.MutReport, ThreadID: own, ReportID: v.v.report}, api.RejectInvalid},
		}
		for _, tt := range tests {
			t.Run(v.name+" "+tt.name, func(t *testing.T) {
				if tt.m.ID == "" {
					tt.m.ID = uuid.NewString()
				}
				r := push(t, mal, tt.m)
				wantRejected(t, r, tt.code)
				for _, s := range v.v.secrets {
					if strings.Contains(r.Reason, s) {
						t.Errorf("the refusal %q tells %q", r.Reason, s)
					}
				}
			})
		}
	}
	// Reassign All of a campaign not joined is a missing action.
	wantRejected(t, push(t, mal, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ActionID: b.action.ID, ToUserID: f.admin.ID}), api.RejectInvalid)

	// HTTP endpoints with the other campaign's ids.
	rel, err := mal.Release(ctx, a.action.ID, []string{peer.unsent, peer.thread})
	if err != nil || rel.Released != 0 {
		t.Errorf("releasing a fellow volunteer's contacts: %+v, %v; want 0 released", rel, err)
	}
	_, err = mal.Release(ctx, b.action.ID, []string{remote.unsent})
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = mal.Batch(ctx, b.action.ID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = mal.ReassignTargets(ctx, b.action.ID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	for _, id := range []string{a.campaign.ID, b.campaign.ID} {
		_, err = mal.AdminOverview(ctx, id)
		wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	}
	_, err = mal.JoinByID(ctx, b.campaign.ID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeCampaignUnknown)
	for _, q := range []string{"", "Campaign", "Secret"} {
		found, err := mal.SearchCampaigns(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range found {
			if c.ID == b.campaign.ID {
				t.Errorf("search %q shows the private campaign B to a non-member", q)
			}
		}
	}

	// Nothing changed for either victim...
	f.drain()
	after := map[string]map[string]string{"peer": peer.view(t), "remote": remote.view(t)}
	for who, was := range before {
		now := after[who]
		for k, v := range was {
			if now[k] != v {
				t.Errorf("%s's %s changed:\n was %s\n now %s", who, k, v, now[k])
			}
		}
		for k := range now {
			if _, ok := was[k]; !ok {
				t.Errorf("%s got %s from the attacker's requests", who, k)
			}
		}
	}
	f.view(func(tx store.Tx) error {
		for _, v := range []victim{peer, remote} {
			c, err := tx.ContactByID(ctx, v.unsent)
			if err != nil {
				return err
			}
			if c.State != store.ContactAssigned || c.AssignedTo != v.u.ID {
				t.Errorf("%s's unsent contact is %s to %q", v.u.Name, c.State, c.AssignedTo)
			}
			th, err := tx.ThreadByID(ctx, v.thread)
			if err != nil {
				return err
			}
			if th.OwnerID != v.u.ID || th.OptedOut || th.Blocked {
				t.Errorf("%s's thread is now %+v", v.u.Name, th)
			}
		}
		return nil
	})
	// ...and the attacker's own sync holds only the attacker's.
	st := syncState{}
	syncAll(t, mal, st, 0, 0)
	raw, _ := json.Marshal(st)
	for _, v := range []victim{peer, remote} {
		for _, s := range append(v.secrets, v.thread, v.unsent, v.message, v.report) {
			if strings.Contains(string(raw), s) {
				t.Errorf("the attacker's sync holds %q of %s", s, v.u.Name)
			}
		}
	}
	for _, s := range []string{b.campaign.ID, b.campaign.Name, b.campaign.JoinCode} {
		if strings.Contains(string(raw), s) {
			t.Errorf("the attacker's sync tells %q of campaign B", s)
		}
	}
}

// TestEventStreamsTellOnlyTheirOwner: a volunteer's event stream hears
// nothing of a fellow volunteer's texts, replies and reports, and still
// hears their own.
func TestEventStreamsTellOnlyTheirOwner(t *testing.T) {
	f := newFixture(t)
	a := f.campaign(campaignOpts{contacts: 6, numbers: 2, batch: 2})
	mal, _ := f.member("mallory", a)
	mine, err := mal.Batch(context.Background(), a.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	ls := openStream(t, mal)
	select {
	case <-ls.events: // the first event, at once
	case <-time.After(5 * time.Second):
		t.Fatal("no first event")
	}
	peer := newVictim(t, f, "vera", a) // texts, gets a reply, files a report
	wantApplied(t, push(t, peer.c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: peer.thread, MessageID: uuid.NewString(), Body: "thanks"}))
	f.drain()
	select {
	case ev := <-ls.events:
		t.Fatalf("a fellow volunteer's work reached this stream: %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	res, _ := sendInitial(t, mal, mine.Assigned[0].ContactID)
	wantApplied(t, res)
	select {
	case <-ls.events:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not tell of its owner's own text")
	}
}

// TestContactIdsFromElsewhereLookMissing: a first text to a contact of a
// campaign the caller has not joined is refused in the words of one to a
// contact id that does not exist, so an id tried tells nothing.
func TestContactIdsFromElsewhereLookMissing(t *testing.T) {
	f := newFixture(t)
	theirs := f.campaign(campaignOpts{name: "Theirs", private: true, contacts: 1, numbers: 1})
	_, c, _, _ := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	missing := uuid.NewString()
	elsewhere, _ := sendInitial(t, c, theirs.contacts[0].ID)
	none, _ := sendInitial(t, c, missing)
	wantRejected(t, elsewhere, api.RejectNotAssigned)
	wantRejected(t, none, api.RejectNotAssigned)
	if a, b := strings.ReplaceAll(elsewhere.Reason, theirs.contacts[0].ID, "ID"), strings.ReplaceAll(none.Reason, missing, "ID"); a != b {
		t.Fatalf("another campaign's contact: %q; no such contact: %q; want the same words", elsewhere.Reason, none.Reason)
	}
}

// TestReassignTargetsFromElsewhereLookMissing: handing a conversation to a
// user of no campaign of the caller's is refused in the words of a user id
// no one has, so an id tried tells nothing of whether an account exists.
func TestReassignTargetsFromElsewhereLookMissing(t *testing.T) {
	f := newFixture(t)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	_, stranger := f.user("stranger")
	missing := uuid.NewString()
	to := func(id string) string {
		r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: b.Assigned[0].ContactID, ToUserID: id})
		wantRejected(t, r, api.RejectInvalid)
		return strings.ReplaceAll(r.Reason, id, "ID")
	}
	if a, b := to(stranger.ID), to(missing); a != b {
		t.Fatalf("a stranger: %q; no such user: %q; want the same words", a, b)
	}
}
