package server_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// phoneReads counts the server's reads of threads by phone (n) and of
// messages (msgs), each one statement on either engine.
type phoneReads struct {
	store.Store
	n, msgs atomic.Int64
}

func (p *phoneReads) View(ctx context.Context, fn func(store.Tx) error) error {
	return p.Store.View(ctx, func(tx store.Tx) error { return fn(phoneReadsTx{Tx: tx, p: p}) })
}

type phoneReadsTx struct {
	store.Tx
	p *phoneReads
}

func (x phoneReadsTx) ThreadsByPhone(ctx context.Context, orgID, phone string) ([]store.Thread, error) {
	x.p.n.Add(1)
	return x.Tx.ThreadsByPhone(ctx, orgID, phone)
}

func (x phoneReadsTx) CampaignThreadsByPhones(ctx context.Context, orgID, campaignID string, phones []string) (map[string][]store.Thread, error) {
	x.p.n.Add(1)
	return x.Tx.CampaignThreadsByPhones(ctx, orgID, campaignID, phones)
}

func (x phoneReadsTx) ThreadChildren(ctx context.Context, threadID string) ([]string, []string, error) {
	x.p.msgs.Add(1)
	return x.Tx.ThreadChildren(ctx, threadID)
}

func (x phoneReadsTx) MessagesByIDs(ctx context.Context, ids []string) (map[string]store.Message, error) {
	x.p.msgs.Add(1)
	return x.Tx.MessagesByIDs(ctx, ids)
}

func (x phoneReadsTx) LastInboundByThreads(ctx context.Context, threadIDs []string) (map[string]string, error) {
	x.p.msgs.Add(1)
	return x.Tx.LastInboundByThreads(ctx, threadIDs)
}

// TestAdminOverviewReadsReportedThreadsAtOnce: the reports of abuse read
// the last replies of every reported conversation in one statement, so the
// overview reads as many messages' worth of statements for five reports as
// for one, and each report still shows its contact's latest text.
func TestAdminOverviewReadsReportedThreadsAtOnce(t *testing.T) {
	p := &phoneReads{}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { p.Store = st; return p }})
	ctx := context.Background()
	reads := func(n int) int64 {
		t.Helper()
		cf := f.campaign(campaignOpts{contacts: n, numbers: 1})
		vera, assigned, from := texted(t, f, cf, n)
		want := map[string]string{}
		for i, a := range assigned {
			replyFrom(t, f, a, from, fmt.Sprintf("who is this? %d", i))
			replyFrom(t, f, a, from, fmt.Sprintf("you people again %d", i))
			wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a.ContactID, Reason: api.BlockHarassment}))
			want[a.ContactID] = fmt.Sprintf("you people again %d", i)
		}
		p.msgs.Store(0)
		ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.AbuseReports) != n {
			t.Fatalf("%d reports of abuse, want %d", len(ov.AbuseReports), n)
		}
		for _, r := range ov.AbuseReports {
			if r.LastMessage != want[r.ThreadID] {
				t.Errorf("report on %s shows %q, want the contact's last text %q", r.ThreadID, r.LastMessage, want[r.ThreadID])
			}
		}
		return p.msgs.Load()
	}
	if one, five := reads(1), reads(5); one != five || five > 2 {
		t.Errorf("reads of messages: %d for one report, %d for five; want the same, at most 2 (the reports' last replies, the opt-ins' texts)", one, five)
	}
}

// TestAdminOverviewReadsThreadsOncePerKind: however many opt-ins and
// unroutable senders the campaign has, the overview (refreshed every 30 s
// in each admin's app) reads their conversations in one statement per kind,
// and each row still names its contact's conversation.
func TestAdminOverviewReadsThreadsOncePerKind(t *testing.T) {
	p := &phoneReads{}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { p.Store = st; return p }})
	ctx := context.Background()
	const n = 5
	cf := f.campaign(campaignOpts{contacts: n, numbers: 1})
	_, assigned, from := texted(t, f, cf, n)
	other := "+12025559999"
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, cf.campaign.ID, other, baseTime) })
	threadOf := map[string]string{} // by phone
	for _, a := range assigned {
		threadOf[a.Phone] = a.ContactID
		replyFrom(t, f, a, from, "STOP")
		replyFrom(t, f, a, from, "START")
		replyFrom(t, f, a, other, "still there?")
	}
	for i := range 3 {
		f.clock.Advance(time.Second)
		stranger := fmt.Sprintf("+1312555%04d", i)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: stranger, To: other, Body: "who?",
			ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}

	p.n.Store(0)
	ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.n.Load(); got != 2 {
		t.Errorf("%d reads of threads by phone for %d opt-ins and %d unroutable senders, want 2 (one per kind)", got, n, n+3)
	}
	if len(ov.OptIns) != n || len(ov.Unroutable) != n+3 {
		t.Fatalf("%d opt-ins and %d unroutable texts, want %d and %d", len(ov.OptIns), len(ov.Unroutable), n, n+3)
	}
	for _, in := range ov.OptIns {
		if want := threadOf[in.ContactPhone]; in.ThreadID != want || in.ContactName == "" {
			t.Errorf("opt-in of %s names thread %q (%q), want %s", in.ContactPhone, in.ThreadID, in.ContactName, want)
		}
	}
	for _, u := range ov.Unroutable {
		if want := threadOf[u.From]; u.ThreadID != want || (want == "") != (u.ContactName == "") {
			t.Errorf("unroutable text from %s names thread %q (%q), want %q", u.From, u.ThreadID, u.ContactName, want)
		}
	}
}
