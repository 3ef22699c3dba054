package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// skewed is one volunteer's conversation on a server whose clock is the
// fixture's (injected), for tests where the app's or the provider's clock
// disagrees with it.
type skewed struct {
	t      *testing.T
	f      *fixture
	c      *api.Client
	id     string // the thread
	phone  string // the contact's
	number string // ours
	state  syncState
	cursor int64
}

func newSkewed(t *testing.T) *skewed {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	s := &skewed{t: t, f: f, c: c, id: assigned[0].ContactID, phone: assigned[0].Phone, number: from, state: syncState{}}
	s.sync()
	return s
}

func (s *skewed) sync() { s.t.Helper(); s.cursor = syncAll(s.t, s.c, s.state, s.cursor, 0) }

// reply delivers a reply the provider dated at and syncs.
func (s *skewed) reply(body string, at time.Time) {
	s.t.Helper()
	if err := s.f.srv.Receive(context.Background(), sms.Inbound{ProviderID: "SM-" + uuid.NewString(), From: s.phone, To: s.number,
		Body: body, ReceivedAt: at}); err != nil {
		s.t.Fatal(err)
	}
	s.sync()
}

// newestReply is the time of the newest reply synced: what the app sends
// as how far it read, or what an archive covers.
func (s *skewed) newestReply() time.Time {
	s.t.Helper()
	var newest time.Time
	for _, m := range s.state.messages(s.t, s.id) {
		if m.Direction == api.DirInbound && m.CreatedAt.After(newest) {
			newest = m.CreatedAt
		}
	}
	if newest.IsZero() {
		s.t.Fatal("no reply synced")
	}
	return newest
}

func (s *skewed) push(m api.Mutation) {
	s.t.Helper()
	m.ID, m.ThreadID = uuid.NewString(), s.id
	wantApplied(s.t, push(s.t, s.c, m))
	s.sync()
}

func (s *skewed) read() {
	s.t.Helper()
	at := s.newestReply()
	s.push(api.Mutation{Type: api.MutRead, CreatedAt: s.f.clock.Now(), At: &at})
}

func (s *skewed) inboxState() inbox.State {
	return stateOf(s.state.thread(s.t, s.id))
}

// TestReplyTimesKeepArrivalOrder: a reply's time is the provider's, but
// the inbox's rules compare it with the volunteer's reads and answers, so
// it keeps the order replies reached the server in. A provider clock ahead
// of ours dated a reply after now, and the read the volunteer made of it
// (never later than now) left it unread; a reply delivered late (caught
// up after an outage) dated before the reply already read counted as read,
// and one dated before the answer already sent counted as answered.
// Without the fix each of the three fails.
func TestReplyTimesKeepArrivalOrder(t *testing.T) {
	s := newSkewed(t)
	s.f.clock.Advance(time.Minute)
	s.reply("Who is this?", s.f.clock.Now().Add(10*time.Minute)) // the provider's clock 10 minutes ahead
	if got, now := s.newestReply(), s.f.clock.Now(); got.After(now) {
		t.Fatalf("the reply is dated %v, after the server's now %v", got, now)
	}
	s.f.clock.Advance(time.Minute)
	s.read()
	if inbox.IsUnread(s.inboxState()) {
		t.Fatal("provider clock ahead: the reply just read is still unread")
	}

	read := s.newestReply()
	s.f.clock.Advance(5 * time.Minute)
	s.reply("Sorry, I meant: yes", read.Add(-time.Minute)) // delivered late, dated before the one read
	if !inbox.IsUnread(s.inboxState()) {
		t.Fatal("a reply delivered late, dated before the reply read, counts as read")
	}
	if got := s.newestReply(); !got.After(read) {
		t.Fatalf("the late reply is dated %v, not after the reply read at %v", got, read)
	}
	s.read()

	// The volunteer files a report and answers; a reply the provider dated
	// before the answer (its clock behind ours) reaches us after it.
	s.f.clock.Advance(time.Minute)
	s.push(api.Mutation{Type: api.MutReport, CreatedAt: s.f.clock.Now(), ReportID: uuid.NewString(), Values: map[string]string{"notes": "yes"}})
	s.push(api.Mutation{Type: api.MutReply, CreatedAt: s.f.clock.Now(), MessageID: uuid.NewString(), Body: "Thanks!"})
	answered := *s.state.thread(t, s.id).LastOutboundAt
	s.f.clock.Advance(time.Minute)
	s.reply("One more question", answered.Add(-30*time.Second))
	if !inbox.NeedsAttentionNow(s.inboxState()) {
		t.Fatal("a reply reaching us after the answer, dated before it by the provider, counts as answered")
	}
}

// TestReadReachesAReplyDatedAhead: a reply stored with a time after the
// server's now (before replies were kept within its clock, or by a server
// sharing the database whose clock is ahead) is read by a read that names
// it: a read was cut at now, and the reply stayed unread until the clock
// caught up. Fails without the fix.
func TestReadReachesAReplyDatedAhead(t *testing.T) {
	s := newSkewed(t)
	ahead := s.f.clock.Now().Add(time.Hour)
	s.f.clock.Advance(time.Hour)
	s.reply("Who is this?", s.f.clock.Now()) // stored an hour after the now the server goes back to
	s.f.clock.Advance(-time.Hour)
	if got := s.newestReply(); !got.Equal(ahead) {
		t.Fatalf("reply at %v, want %v", got, ahead)
	}
	s.read()
	if inbox.IsUnread(s.inboxState()) {
		t.Fatal("the reply just read, dated ahead of the server's clock, is still unread")
	}
	// A read is still never later than the newest reply and now: it cannot
	// read what has not come yet.
	later := s.f.clock.Now().Add(48 * time.Hour)
	s.push(api.Mutation{Type: api.MutRead, CreatedAt: s.f.clock.Now(), At: &later})
	if got := *s.state.thread(t, s.id).LastReadAt; !got.Equal(ahead) {
		t.Fatalf("a read dated two days ahead read as far as %v, want the newest reply's %v", got, ahead)
	}
}

// TestArchiveCoversWhatTheAppSaw: an archive holds over the replies the
// app held when the volunteer pressed it (its at), whatever the app's
// clock. An app five minutes behind dated an archive pressed after reading
// the reply before it: the server answered applied and the thread stayed
// in the inbox. An app an hour ahead, its archive queued offline, had it
// hold over a reply that came while it was away, never shown. Each fails
// without the fix; so does the same for a report with Automatic Archive.
func TestArchiveCoversWhatTheAppSaw(t *testing.T) {
	for _, kind := range []string{api.MutArchive, api.MutReport} {
		t.Run(kind, func(t *testing.T) {
			s := newSkewed(t)
			if kind == api.MutReport {
				s.push(api.Mutation{Type: api.MutSettings, Settings: &api.Settings{AutoArchive: true}})
			}
			archive := func(createdAt, seen time.Time) {
				t.Helper()
				on := true
				m := api.Mutation{Type: kind, CreatedAt: createdAt, At: &seen, Archived: &on}
				if kind == api.MutReport {
					m.Archived, m.ReportID, m.Values = nil, uuid.NewString(), map[string]string{"notes": "ok"}
				}
				s.push(m)
			}
			unarchive := func() {
				t.Helper()
				off := false
				s.push(api.Mutation{Type: api.MutArchive, CreatedAt: s.f.clock.Now(), Archived: &off})
			}
			s.f.clock.Advance(time.Minute)
			s.reply("Who is this?", s.f.clock.Now())
			s.f.clock.Advance(time.Minute)
			archive(s.f.clock.Now().Add(-5*time.Minute), s.newestReply()) // the app's clock 5 minutes behind
			if !s.inboxState().Archived {
				t.Fatal("an archive pressed after reading the reply, by an app whose clock is behind, does not hold")
			}
			unarchive()

			seen := s.newestReply()
			pressed := s.f.clock.Now().Add(time.Hour) // the app's clock an hour ahead, offline
			s.f.clock.Advance(time.Minute)
			s.reply("Are you there?", s.f.clock.Now())
			s.f.clock.Advance(time.Minute)
			archive(pressed, seen)
			if s.inboxState().Archived {
				t.Fatal("an archive queued offline holds over a reply that came meanwhile, never shown")
			}

			// No reply seen at all (the zero time): the reply there is not covered.
			archive(s.f.clock.Now(), time.Time{})
			if s.inboxState().Archived {
				t.Fatal("an archive that saw no reply holds over the replies there")
			}
		})
	}
}

// TestFirstTextDatedAheadStillLocks: a clock that ran ahead and was put
// back (NTP) leaves first texts stored in the future; they count as recent
// (the six hours between first texts to a number last longer, never
// shorter) on the hand-out, until six hours after the time they were
// stored at. A clock jumping forward is the operator's to prevent
// (OPERATIONS.md, "Keep the clock right"): no code can tell it from time
// passing.
func TestFirstTextDatedAheadStillLocks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const shared = "+12125559001"
	anyHour := store.TextingHours{Start: "00:00", End: "24:00"}
	first := f.campaign(campaignOpts{name: "First", contacts: 1, numbers: 1, phones: []string{shared}, hours: anyHour})
	f.clock.Advance(3 * time.Hour) // the clock runs three hours ahead
	texted(t, f, first, 1)
	f.clock.Advance(-3 * time.Hour) // and is put right
	f.clock.Advance(6*time.Hour + time.Minute)
	next := f.campaign(campaignOpts{name: "Next", contacts: 1, numbers: 1, phones: []string{shared}, hours: anyHour})
	c, _ := f.member("wes", next)
	if b, err := c.Batch(ctx, next.action.ID); err == nil && len(b.Assigned) > 0 {
		t.Fatalf("six hours by the right clock after a first text stored three hours ahead, %s is handed out again", shared)
	}
	f.clock.Advance(3 * time.Hour)
	if b, err := c.Batch(ctx, next.action.ID); err != nil || len(b.Assigned) != 1 {
		t.Fatalf("six hours after the time the first text was stored at: %+v %v, want the contact handed out", b, err)
	}
}
