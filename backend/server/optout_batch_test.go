package server_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// optOutWorld is what TestOptOutManyAsOneByOne reads back after an
// opt-out: every thread, text, feed row and opt-out of the numbers, feed
// rows without their seq (an identity PostgreSQL does not roll back).
type optOutWorld struct {
	Threads  []store.Thread
	Messages []store.Message
	Feeds    map[string][]store.FeedRow
	OptOuts  map[string]store.OptOut
}

// TestOptOutManyAsOneByOne: an import's batch (optOutMany) leaves exactly
// what optOut for each number, one after another, leaves, row for row:
// texts cancelled with the same status and error, threads with the same
// columns (an opt-back-in forgotten), the same feed rows in the same order
// for each owner, the same opt-outs (one there already renewed). And what
// both leave is what an opt-out does: each listed thread's queued texts
// failed and fed oldest first, then the thread fed if it was not opted out
// already, thread by thread in the list's order, and nothing else changed.
// The numbers include one with threads in two campaigns, threads opted
// out already and opted back in, and numbers with no thread.
func TestOptOutManyAsOneByOne(t *testing.T) {
	h := &heldClaims{} // texts stay queued, as behind a busy provider
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 8, numbers: 2})
	_, vera := f.member("vera", cf)
	_, ida := f.member("ida", cf)
	second := f.campaign(campaignOpts{name: "Second", numbers: 1,
		phones: []string{cf.contacts[0].Phone, cf.contacts[1].Phone, cf.contacts[2].Phone}})
	_, walt := f.member("walt", second)
	number, number2 := sendingNumber(f, cf, vera), sendingNumber(f, second, walt)

	// Each thread of cf: its owner, state and texts (statuses, oldest first).
	type spec struct {
		owner            api.User
		optedOut, backIn bool
		texts            []string
	}
	q, sent := api.StatusQueued, api.StatusSent
	specs := []spec{
		{owner: vera, texts: []string{sent, q, q}},
		{owner: ida, optedOut: true, texts: []string{q}},
		{owner: vera, backIn: true, texts: []string{q, sent}},
		{owner: ida, backIn: true, texts: []string{sent}},
		{owner: vera, texts: []string{sent}},
		{owner: ida, texts: []string{q}},
		{owner: vera, texts: []string{q}}, // the last two not listed
		{owner: ida, backIn: true, texts: []string{q}},
	}
	var threadIDs, msgIDs []string
	var phones []string // the threads' numbers, in every read's order
	f.update(func(tx store.Tx) error {
		add := func(th store.Thread, texts []string) error {
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			if th.OptedBackInAt != nil { // not a column CreateThread writes
				if err := tx.UpdateThread(ctx, th); err != nil {
					return err
				}
			}
			threadIDs = append(threadIDs, th.ID)
			// Ids against time order: a cancel must feed by time.
			for k, status := range texts {
				id := fmt.Sprintf("%s-%d-%s", th.ID, len(texts)-k, uuid.NewString()[:4])
				msgIDs = append(msgIDs, id)
				if err := tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: th.ID, Direction: api.DirOutbound, Body: "Hi",
					Status: status, Initial: k == 0, SenderID: th.OwnerID, CreatedAt: baseTime.Add(time.Duration(k) * time.Minute)}); err != nil {
					return err
				}
			}
			return nil
		}
		for i, s := range specs {
			ct := cf.contacts[i]
			phones = append(phones, ct.Phone)
			th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
				OwnerID: s.owner.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime,
				OptedOut: s.optedOut}
			if s.backIn {
				th.OptedBackInAt, th.OptedBackInBy = ptr(baseTime.Add(-time.Hour)), f.admin.ID
			}
			if err := add(th, s.texts); err != nil {
				return err
			}
		}
		// The same numbers' threads in the second campaign, created later.
		for i, ct := range second.contacts {
			th := store.Thread{ID: ct.ID, ActionID: second.action.ID, CampaignID: second.campaign.ID, OrganizationID: f.org.ID,
				OwnerID: walt.ID, ContactPhone: ct.Phone, SendingNumber: number2, LastMessageAt: baseTime,
				CreatedAt: baseTime.Add(time.Second), OptedOut: i == 1}
			if i == 0 {
				th.OptedBackInAt, th.OptedBackInBy = ptr(baseTime.Add(-time.Hour)), f.admin.ID
			}
			if err := add(th, []string{q, q}); err != nil {
				return err
			}
		}
		// The number opted out already (its thread above says so) renews.
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: cf.contacts[1].Phone, Reason: "keyword: STOP",
			CreatedAt: baseTime.Add(-2 * time.Hour)})
	})
	// The list, out of the threads' order, with numbers that have none.
	c := cf.contacts
	list := []string{c[5].Phone, c[0].Phone, "+13035550101", c[2].Phone, c[1].Phone, "+13035550102", c[4].Phone, c[3].Phone}
	phones = append(phones, "+13035550101", "+13035550102")
	users := []string{vera.ID, ida.ID, walt.ID}

	read := func(tx store.Tx) (optOutWorld, error) {
		w := optOutWorld{Feeds: map[string][]store.FeedRow{}, OptOuts: map[string]store.OptOut{}}
		byID, err := tx.ThreadsByIDs(ctx, threadIDs)
		if err != nil {
			return w, err
		}
		for _, id := range threadIDs {
			w.Threads = append(w.Threads, byID[id])
		}
		msgs, err := tx.MessagesByIDs(ctx, msgIDs)
		if err != nil {
			return w, err
		}
		for _, id := range msgIDs {
			w.Messages = append(w.Messages, msgs[id])
		}
		for _, u := range users {
			rows, err := tx.FeedAfter(ctx, u, 0, 10_000)
			if err != nil {
				return w, err
			}
			for i := range rows {
				rows[i].Seq = 0
			}
			w.Feeds[u] = rows
		}
		for _, p := range phones {
			o, err := tx.OptOutOf(ctx, f.org.ID, p)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return w, err
			}
			w.OptOuts[p] = o
		}
		return w, nil
	}
	// Each run in a transaction rolled back: all three from one state.
	errUndo := errors.New("undo")
	now := baseTime.Add(time.Hour)
	run := func(what string, optOut func(store.Tx) error) optOutWorld {
		t.Helper()
		var w optOutWorld
		err := f.st.Update(ctx, func(tx store.Tx) error {
			if err := optOut(tx); err != nil {
				return err
			}
			var err error
			if w, err = read(tx); err != nil {
				return err
			}
			return errUndo
		})
		if !errors.Is(err, errUndo) {
			t.Fatalf("%s: %v", what, err)
		}
		return w
	}
	const reason = "imported from national.csv"
	before := run("before", func(store.Tx) error { return nil })
	backIn := 0
	for _, th := range before.Threads {
		if th.OptedBackInAt != nil && th.OptedBackInBy == f.admin.ID {
			backIn++
		}
	}
	if backIn != 4 {
		t.Fatalf("%d threads opted back in before, want 4", backIn)
	}
	many := run("optOutMany", func(tx store.Tx) error { return server.OptOutMany(ctx, tx, f.org.ID, list, reason, now) })
	single := run("optOut one by one", func(tx store.Tx) error {
		return server.OptOutOneByOne(ctx, tx, f.org.ID, list, reason, now)
	})

	for i := range single.Threads {
		if !reflect.DeepEqual(many.Threads[i], single.Threads[i]) {
			t.Errorf("thread %d: batch %+v\none by one %+v", i, many.Threads[i], single.Threads[i])
		}
	}
	for i := range single.Messages {
		if !reflect.DeepEqual(many.Messages[i], single.Messages[i]) {
			t.Errorf("text %d: batch %+v\none by one %+v", i, many.Messages[i], single.Messages[i])
		}
	}
	for _, u := range users {
		if !slices.Equal(many.Feeds[u], single.Feeds[u]) {
			t.Errorf("feed of %s: batch %v\none by one %v", u, many.Feeds[u], single.Feeds[u])
		}
	}
	if !reflect.DeepEqual(many.OptOuts, single.OptOuts) {
		t.Errorf("opt-outs: batch %+v\none by one %+v", many.OptOuts, single.OptOuts)
	}

	// What an opt-out does, from the state before (the threads of a
	// number in creation order: cf's, then the second campaign's).
	listed := map[string]bool{}
	for _, p := range list {
		listed[p] = true
	}
	wantThreads := slices.Clone(before.Threads)
	wantMsgs := slices.Clone(before.Messages)
	wantFeeds := map[string][]store.FeedRow{}
	for u, rows := range before.Feeds {
		wantFeeds[u] = slices.Clone(rows)
	}
	for _, p := range list {
		for i, th := range before.Threads {
			if th.ContactPhone != p {
				continue
			}
			for k, m := range before.Messages {
				if m.ThreadID != th.ID || m.Status != api.StatusQueued {
					continue // texts are oldest first within their thread
				}
				wantMsgs[k].Status, wantMsgs[k].Error = api.StatusFailed, server.OptedOutBeforeSent
				wantFeeds[th.OwnerID] = append(wantFeeds[th.OwnerID], store.FeedRow{UserID: th.OwnerID, Kind: api.KindMessage, EntityID: m.ID})
			}
			if !th.OptedOut {
				wantThreads[i].OptedOut, wantThreads[i].OptedBackInAt, wantThreads[i].OptedBackInBy = true, nil, ""
				wantFeeds[th.OwnerID] = append(wantFeeds[th.OwnerID], store.FeedRow{UserID: th.OwnerID, Kind: api.KindThread, EntityID: th.ID})
			}
		}
	}
	if !reflect.DeepEqual(many.Threads, wantThreads) {
		t.Errorf("threads after the batch:\n%+v\nwant\n%+v", many.Threads, wantThreads)
	}
	if !reflect.DeepEqual(many.Messages, wantMsgs) {
		t.Errorf("texts after the batch:\n%+v\nwant\n%+v", many.Messages, wantMsgs)
	}
	for _, u := range users {
		if !slices.Equal(many.Feeds[u], wantFeeds[u]) {
			t.Errorf("feed of %s after the batch:\n%v\nwant\n%v", u, many.Feeds[u], wantFeeds[u])
		}
	}
	for _, p := range phones {
		o, ok := many.OptOuts[p]
		switch {
		case !listed[p] && ok:
			t.Errorf("%s, not listed, opted out: %+v", p, o)
		case listed[p] && p == c[1].Phone:
			if o.Reason != "keyword: STOP" || !o.RenewedAt.Equal(now) {
				t.Errorf("the number opted out before: %+v, want its STOP kept and renewed at %v", o, now)
			}
		case listed[p] && (!ok || o.Reason != reason || !o.CreatedAt.Equal(now)):
			t.Errorf("opt-out of %s: %+v (found %v), want %q at %v", p, o, ok, reason, now)
		}
	}
}
