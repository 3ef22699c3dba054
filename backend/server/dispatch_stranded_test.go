package server_test

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/testlog"
)

// Texts a failed commit leaves sending while the server runs are looked up
// and settled without a restart (dispatch_stranded.go).

var errConnLost = errors.New("lost the connection to the database")

// lostStore fails the server's write groups as a connection lost to
// PostgreSQL fails them: after COMMIT took effect (lose: once, the first
// group after which it says yes; about one group in loseEvery, at
// random), or before anything was written (every group while failing is
// set). At random, not every loseEvery-th: a strict period resonated with
// the dispatcher's own cycle of groups, so that the group settling the
// same texts was lost every time (a text sending for ever, in about one
// run in twenty), which no real connection does.
type lostStore struct {
	store.Store
	mu        sync.Mutex
	lose      func(tx store.Tx) bool
	loseEvery int
	groups    int
	lost      int
	viewErrs  int
	failing   bool
	stale     []store.Outgoing
	served    int
}

func (l *lostStore) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	l.mu.Lock()
	failing := l.failing
	l.groups++
	every := l.loseEvery > 0 && rand.IntN(l.loseEvery) == 0
	l.mu.Unlock()
	if failing {
		return nil, errConnLost
	}
	errs, err := l.Store.UpdateEach(ctx, fns)
	if err != nil {
		return errs, err
	}
	// What to lose is read once the group has committed, not when it was
	// handed in: a group that waited for the writer while the test set it
	// (a claim queued before the texts were stored, run after) is judged
	// by it too.
	l.mu.Lock()
	lose := l.lose
	l.mu.Unlock()
	hit := every
	if lose != nil && !hit {
		if err := l.Store.View(ctx, func(tx store.Tx) error { hit = lose(tx); return nil }); err != nil {
			// Not the test's failure to stage: the group stands as it is.
			l.mu.Lock()
			l.viewErrs++
			l.mu.Unlock()
			return errs, nil
		}
	}
	if !hit {
		return errs, nil
	}
	l.mu.Lock()
	if !every {
		l.lose = nil
	}
	l.lost++
	l.mu.Unlock()
	return nil, errConnLost
}

// View serves stale, when set, at the head of the first page of every
// OwnSending: texts a read showed sending that have been recorded since.
func (l *lostStore) View(ctx context.Context, fn func(store.Tx) error) error {
	return l.Store.View(ctx, func(tx store.Tx) error { return fn(staleTx{Tx: tx, l: l}) })
}

type staleTx struct {
	store.Tx
	l *lostStore
}

func (s staleTx) OwnSending(ctx context.Context, after store.SendingCursor, limit int) ([]store.Outgoing, error) {
	out, err := s.Tx.OwnSending(ctx, after, limit)
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	if err != nil || len(s.l.stale) == 0 || after != (store.SendingCursor{}) {
		return out, err
	}
	s.l.served++
	return append(append([]store.Outgoing(nil), s.l.stale...), out...), nil
}

func (l *lostStore) set(fn func(l *lostStore)) {
	l.mu.Lock()
	fn(l)
	l.mu.Unlock()
}

func (l *lostStore) lostGroups() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// anySending: a text is sending.
func anySending(tx store.Tx) bool {
	out, err := tx.OwnSending(context.Background(), store.SendingCursor{}, 1)
	return err == nil && len(out) > 0
}

func lostFixture(t *testing.T, log zerolog.Logger) (*fixture, *lostStore) {
	ls := &lostStore{}
	f := newFixtureWith(t, fixtureOpts{log: log, wrap: func(st store.Store) store.Store {
		ls.Store = st
		return ls
	}})
	return f, ls
}

// wantSentOnce: each of ids is sent, and the provider was called exactly
// once for each of phones (the simulated network drops a call it has seen,
// by its idempotency key; Twilio's Messages API would text again).
func wantSentOnce(t *testing.T, f *fixture, ids []string, phones []string) {
	t.Helper()
	f.drain()
	f.faults.mu.Lock()
	calls := maps.Clone(f.faults.callsTo)
	f.faults.mu.Unlock()
	if len(calls) != len(phones) {
		t.Fatalf("the provider was called for %v, want once for each of %v", calls, phones)
	}
	for _, p := range phones {
		if calls[p] != 1 {
			t.Fatalf("the provider was called %d times for %s, want 1 (all: %v)", calls[p], p, calls)
		}
	}
	for _, id := range ids {
		if m := messageStatus(t, f, id); m.Status != api.StatusSent || m.ProviderID == "" {
			t.Fatalf("text %s is %s (provider id %q), want sent", id, m.Status, m.ProviderID)
		}
	}
}

// TestSendWhoseCommitIsLostIsSent: a first text handed straight to the
// dispatcher, whose commit took effect but whose answer was lost, is sent
// once, without a restart; the app's retry of the send changes nothing.
func TestSendWhoseCommitIsLostIsSent(t *testing.T) {
	f, ls := lostFixture(t, zerolog.Nop())
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	// A text sent first: the dispatcher is then running (it hands texts
	// over only once its start's recovery is done).
	res, first := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	f.drain()
	ls.set(func(l *lostStore) { l.lose = anySending })
	m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: b.Assigned[1].ContactID,
		MessageID: uuid.NewString(), CreatedAt: baseTime}
	if _, err := c.PushMutations(context.Background(), []api.Mutation{m}); err == nil {
		t.Fatalf("a send whose commit was lost answered as if stored (text %s)", messageStatus(t, f, m.MessageID).Status)
	}
	if n := ls.lostGroups(); n != 1 {
		t.Fatalf("%d commits lost, want the send's", n)
	}
	ids, phones := []string{first, m.MessageID}, []string{b.Assigned[0].Phone, b.Assigned[1].Phone}
	wantSentOnce(t, f, ids, phones)
	wantApplied(t, push(t, c, m))
	wantSentOnce(t, f, ids, phones)
}

// TestClaimWhoseCommitIsLostIsSent: queued texts whose claim's commit took
// effect but whose answer was lost are sent once each, without a restart.
func TestClaimWhoseCommitIsLostIsSent(t *testing.T) {
	f, ls := lostFixture(t, zerolog.Nop())
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	_, u := f.member("vera", cf)
	ls.set(func(l *lostStore) { l.lose = anySending })
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	deadline := time.Now().Add(30 * time.Second)
	for ls.lostGroups() == 0 {
		if time.Now().After(deadline) {
			ls.mu.Lock()
			defer ls.mu.Unlock()
			t.Fatalf("the dispatcher's claim never committed (%d groups, %d failed reads; first text %s)",
				ls.groups, ls.viewErrs, messageStatus(t, f, ids[0]).Status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	wantSentOnce(t, f, ids, contactPhones(cf))
}

// TestAnswersNotRecordedAreTriedAgain: the provider's answers that could
// not be recorded (the database away for a moment) are recorded once it is
// back, as the provider gave them, without a restart and without a second
// call: a text sent reads sent, a text refused reads failed (a lookup
// would find no trace of it and send it again).
func TestAnswersNotRecordedAreTriedAgain(t *testing.T) {
	logs := &logLines{}
	f, ls := lostFixture(t, zerolog.New(logs))
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, u := f.member("vera", cf)
	refused := cf.contacts[1].Phone
	f.faults.failSends(refused, &sms.Error{Code: "21211", Message: "Invalid 'To' Phone Number"})
	gate := f.faults.hold()
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	f.faults.waitCalls(t, 2)
	ls.set(func(l *lostStore) { l.failing = true })
	close(gate)
	logs.waitFor(t, "dispatcher: record provider answers")
	for _, id := range ids {
		if s := messageStatus(t, f, id).Status; s != api.StatusSending {
			t.Fatalf("text %s is %s with its answer unrecorded, want sending", id, s)
		}
	}
	ls.set(func(l *lostStore) { l.failing = false })
	f.drain()
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusSent || m.ProviderID == "" {
		t.Fatalf("the text sent is %s (%q), want sent", m.Status, m.ProviderID)
	}
	if m := messageStatus(t, f, ids[1]); m.Status != api.StatusFailed || !strings.Contains(m.Error, "Invalid") {
		t.Fatalf("the text refused is %s (%q), want failed with the provider's reason", m.Status, m.Error)
	}
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	if f.faults.calls != 2 || f.faults.callsTo[refused] != 1 {
		t.Fatalf("%d provider calls (%v), want the first 2 only", f.faults.calls, f.faults.callsTo)
	}
}

// TestLostCommitsUnderLoadSendEachTextOnce: with one write group's commit
// in three lost while a volunteer sends a batch (hand-overs, claims and
// answers alike), the looks for stranded texts, running beside texts in
// workers' hands, never send one twice, and every text goes out.
func TestLostCommitsUnderLoadSendEachTextOnce(t *testing.T) {
	f, ls := lostFixture(t, zerolog.Nop())
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 40, batch: 40, numbers: 1})
	// Each call takes a while, so that the looks find texts in hand that
	// the provider has no trace of yet: taking one would send it twice.
	f.faults.mu.Lock()
	f.faults.delay = 20 * time.Millisecond
	f.faults.mu.Unlock()
	ls.set(func(l *lostStore) { l.loseEvery = 3 })
	ctx := context.Background()
	var ids, phones []string
	var wg sync.WaitGroup
	for i, a := range b.Assigned {
		m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}
		ids, phones = append(ids, m.MessageID), append(phones, a.Phone)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The app's outbox: the same mutation again until answered.
			for range 50 {
				resp, err := c.PushMutations(ctx, []api.Mutation{m})
				if err == nil {
					if r := resp.Results[0]; r.Status != api.ResultApplied {
						t.Errorf("send %d: %s %s", i, r.Status, r.Reason)
					}
					return
				}
			}
			t.Errorf("send %d never answered", i)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	wantSentOnce(t, f, ids, phones)
	if ls.lostGroups() == 0 {
		t.Fatal("no commit was lost")
	}
}

// TestStrandedLookReadsAgain: a text the look's first read showed sending,
// though its answer has been recorded since, is left as recorded: looked
// up again, a provider that cannot say would mark a sent text unknown.
func TestStrandedLookReadsAgain(t *testing.T) {
	logs := &logLines{}
	f, ls := lostFixture(t, zerolog.New(logs))
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	res, id := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	wantSentOnce(t, f, []string{id}, []string{b.Assigned[0].Phone})
	m := messageStatus(t, f, id)
	f.faults.mu.Lock()
	f.faults.lookupErrs[b.Assigned[0].Phone] = errors.New("lookups are down")
	f.faults.mu.Unlock()
	stale := store.Outgoing{Message: m, From: "+12025550100", To: b.Assigned[0].Phone, OwnerID: m.SenderID, OrganizationID: f.org.ID}
	stale.Status = api.StatusSending
	// The dispatcher's next claim fails: a look follows.
	ls.set(func(l *lostStore) { l.stale, l.failing = []store.Outgoing{stale}, true })
	deadline := time.Now().Add(10 * time.Second)
	for {
		ls.mu.Lock()
		served := ls.served
		ls.mu.Unlock()
		if served > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no look for stranded texts after a failed claim")
		}
		time.Sleep(5 * time.Millisecond)
	}
	ls.set(func(l *lostStore) { l.failing = false })
	time.Sleep(200 * time.Millisecond)
	if got := messageStatus(t, f, id); got.Status != api.StatusSent || got.ProviderID != m.ProviderID {
		t.Fatalf("text %s is %s (%s), want sent (%s) as recorded", id, got.Status, got.ProviderID, m.ProviderID)
	}
	if logs.has("cannot say") {
		t.Fatal("a text recorded sent was looked up again")
	}
}

func contactPhones(cf campaignFix) []string {
	out := make([]string, len(cf.contacts))
	for i, ct := range cf.contacts {
		out[i] = ct.Phone
	}
	return out
}

// logLines is a server's log, read by a test.
type logLines struct{ testlog.Buffer }

func (l *logLines) has(msg string) bool { return strings.Contains(l.String(), msg) }

func (l *logLines) waitFor(t *testing.T, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if l.has(msg) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server never logged %q", msg)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
