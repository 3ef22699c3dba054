package server_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// betweenStore runs a change of its own just before the next write
// transaction: after the server has checked a first text on a read
// snapshot and before the writer commits it (send_planned.go).
type betweenStore struct {
	store.Store
	mu   sync.Mutex
	hook func() error
}

func (b *betweenStore) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	b.mu.Lock()
	hook := b.hook
	b.hook = nil
	b.mu.Unlock()
	if hook != nil {
		if err := hook(); err != nil {
			return nil, err
		}
	}
	return b.Store.UpdateEach(ctx, fns)
}

// A first text is checked before the writer is taken; whatever changes in
// between must still refuse it, exactly as if it had changed before the
// check: nobody texted twice, opt-outs and blocks honoured, a mutation
// applied once.
func TestSendCheckedAheadRaces(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	shared := "+12125559101"
	cf := f.campaign(campaignOpts{name: "Main", batch: 20, contacts: 9, numbers: 2, phones: []string{shared},
		hours: store.TextingHours{Start: "09:00", End: "12:30"}})
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{shared}})
	c, u := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	byPhone := map[string]api.Assignment{}
	for _, a := range b.Assigned {
		byPhone[a.Phone] = a
	}
	oc, _ := f.member("olga", other)
	ob, err := oc.Batch(ctx, other.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rest []api.Assignment
	for _, a := range b.Assigned {
		if a.Phone != shared {
			rest = append(rest, a)
		}
	}

	bs := &betweenStore{Store: f.st}
	srv, err := server.New(server.Config{Store: bs, Provider: f.faults, Now: f.clock.Now, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	render := func(a api.Assignment) string {
		body, err := texting.RenderInitial(cf.action.Scripts, a.ScriptIndex,
			texting.Contact{FirstName: a.FirstName, LastName: a.LastName, Fields: a.Fields}, texting.Volunteer{Name: u.Name})
		if err != nil {
			t.Fatal(err)
		}
		return body
	}

	tests := []struct {
		name    string
		contact api.Assignment
		body    func(api.Assignment) string // what the app showed; "" sends without it
		between func(m api.Mutation) error
		code    string // "" wants applied
		after   func(t *testing.T)
	}{
		{name: "opt-out", contact: rest[0], code: api.RejectOptedOut, between: func(api.Mutation) error {
			return f.st.Update(ctx, func(tx store.Tx) error {
				return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: rest[0].Phone, CreatedAt: baseTime})
			})
		}},
		{name: "block", contact: rest[1], code: api.RejectBlocked, between: func(api.Mutation) error {
			return f.st.Update(ctx, func(tx store.Tx) error {
				return tx.AddBlock(ctx, store.Block{UserID: u.ID, Phone: rest[1].Phone, OrganizationID: f.org.ID, CreatedAt: baseTime})
			})
		}},
		{name: "another first text to the number", contact: byPhone[shared], code: api.RejectRecentlyTexted, between: func(api.Mutation) error {
			resp, err := oc.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSendInitial,
				ContactID: ob.Assigned[0].ContactID, MessageID: uuid.NewString()}})
			if err == nil && resp.Results[0].Status != api.ResultApplied {
				err = errors.New("the other campaign's first text was not applied: " + resp.Results[0].Reason)
			}
			return err
		}},
		{name: "script edited", contact: rest[3], body: render, code: api.RejectScriptChanged, between: func(api.Mutation) error {
			a := cf.action
			a.Scripts = []string{"Hello {first_name}, a new script."}
			return f.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateAction(ctx, a) })
		}},
		{name: "texting hours end", contact: rest[4], code: api.RejectQuietHours, between: func(api.Mutation) error {
			f.clock.Advance(time.Hour) // 12:00 -> 13:00 in New York, past 12:30
			return nil
		}, after: func(*testing.T) { f.clock.Advance(-time.Hour) }},
		{name: "the same mutation applied meanwhile", contact: rest[5], code: "", between: func(m api.Mutation) error {
			res, err := f.srv.Apply(ctx, u.ID, m)
			if err == nil && res.Status != api.ResultApplied {
				err = errors.New("the first apply was not applied: " + res.Reason)
			}
			return err
		}},
		{name: "a minute passes inside hours", contact: rest[6], code: "", between: func(api.Mutation) error {
			f.clock.Advance(time.Minute)
			return nil
		}},
		// Last: it releases every contact the volunteer holds.
		{name: "contacts released", contact: rest[2], code: api.RejectNotAssigned, between: func(api.Mutation) error {
			return f.st.Update(ctx, func(tx store.Tx) error {
				_, err := tx.ReleaseContacts(ctx, cf.action.ID, u.ID, nil)
				return err
			})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.after != nil {
				defer tc.after(t)
			}
			m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: tc.contact.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}
			if tc.body != nil {
				m.Body = tc.body(tc.contact)
			}
			before := len(f.sent())
			bs.mu.Lock()
			bs.hook = func() error { return tc.between(m) }
			bs.mu.Unlock()
			res, err := srv.Apply(ctx, u.ID, m)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				wantApplied(t, res)
			} else {
				wantRejected(t, res, tc.code)
			}
			f.view(func(tx store.Tx) error {
				_, err := tx.MessageByID(ctx, m.MessageID)
				if tc.code != "" && !errors.Is(err, store.ErrNotFound) {
					t.Errorf("a refused text is stored (err %v)", err)
				}
				if tc.code == "" && err != nil {
					t.Errorf("the applied text is not stored: %v", err)
				}
				return nil
			})
			want := before
			if tc.code == "" {
				want++
			}
			if tc.name == "another first text to the number" {
				want++ // the other campaign's text
			}
			if got := len(f.sent()); got != want {
				t.Errorf("provider got %d texts, want %d", got-before, want-before)
			}
		})
	}
}

// The server remembers an action's scripts and hours between first texts
// (send_known.go). An edit stored meanwhile, even by another server, must
// still decide the next text: the app showing the new script gets it sent,
// the app showing the old one is told the script changed, and new hours
// hold at once.
func TestSendAfterActionEditedElsewhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{name: "Main", batch: 20, contacts: 4, numbers: 1})
	c, u := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	scripts := cf.action.Scripts
	render := func(a api.Assignment) string {
		body, err := texting.RenderInitial(scripts, a.ScriptIndex,
			texting.Contact{FirstName: a.FirstName, LastName: a.LastName, Fields: a.Fields}, texting.Volunteer{Name: u.Name})
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	var lastMsg string
	send := func(a api.Assignment, body string) api.MutationResult {
		t.Helper()
		lastMsg = uuid.NewString()
		res, err := f.srv.Apply(ctx, u.ID, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID,
			MessageID: lastMsg, Body: body, CreatedAt: baseTime})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	wantApplied(t, send(b.Assigned[0], render(b.Assigned[0]))) // the action is known now

	old := render(b.Assigned[1])
	edited := cf.action
	edited.Scripts = []string{"Hello {first_name}, a new script."}
	if err := f.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateAction(ctx, edited) }); err != nil {
		t.Fatal(err)
	}
	scripts = edited.Scripts
	wantRejected(t, send(b.Assigned[1], old), api.RejectScriptChanged)
	res := send(b.Assigned[1], render(b.Assigned[1]))
	wantApplied(t, res)
	f.view(func(tx store.Tx) error {
		msg, err := tx.MessageByID(ctx, lastMsg)
		if err != nil {
			return err
		}
		if msg.Body != render(b.Assigned[1]) || msg.Body == old {
			t.Errorf("stored %q, want the new script's text %q", msg.Body, render(b.Assigned[1]))
		}
		return nil
	})

	// Hours that ended an hour ago, stored while the action is known.
	edited.TextingHours = store.TextingHours{Start: "09:00", End: "11:00"}
	if err := f.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateAction(ctx, edited) }); err != nil {
		t.Fatal(err)
	}
	wantRejected(t, send(b.Assigned[2], render(b.Assigned[2])), api.RejectQuietHours)
}
