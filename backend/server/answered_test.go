package server_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// TestReplyAnswersOnlyTheRepliesSeen: a volunteer's answer answers the
// replies the app held when it was written (its at), not every reply
// before the server took it. Written offline with "Who is this?" held,
// and taken after "Hello??" came, it went after that reply and the thread
// left Needs Attention, though nobody answered it. Fails without the fix.
// The answer keeps its place (dated when taken); a response script's
// answer (which files tags) counts the same; an answer written with the
// reply answers it; an at dated ahead reaches no reply still to come; an
// app that does not say answers every reply before its answer, as before.
func TestReplyAnswersOnlyTheRepliesSeen(t *testing.T) {
	s := newSkewed(t)
	s.f.clock.Advance(time.Minute)
	s.reply("Who is this?", s.f.clock.Now())
	seen := s.newestReply()
	s.f.clock.Advance(time.Minute)
	s.reply("Hello??", s.f.clock.Now())
	unseen := s.newestReply()
	// A report filed with both held: what is left of Needs Attention is
	// the answer.
	s.push(api.Mutation{Type: api.MutReport, CreatedAt: s.f.clock.Now(), At: &unseen, ReportID: uuid.NewString(), Values: map[string]string{"notes": "?"}})
	answer := func(step string, at *time.Time, script string, wantAnswered bool) {
		t.Helper()
		s.f.clock.Advance(time.Minute)
		id, body := uuid.NewString(), "We're volunteers with the campaign."
		if script != "" {
			body = "Great, see you at the polls."
		}
		s.push(api.Mutation{Type: api.MutReply, CreatedAt: s.f.clock.Now().Add(-5 * time.Minute), At: at, MessageID: id, Body: body, ResponseScriptID: script})
		st := s.inboxState()
		if inbox.Answered(st) != wantAnswered || inbox.NeedsAttentionNow(st) == wantAnswered {
			t.Fatalf("%s: answered %v, needs attention %v; want answered %v (last in %v, last out %v, answered through %v)",
				step, inbox.Answered(st), inbox.NeedsAttentionNow(st), wantAnswered, st.LastInboundAt, st.LastOutboundAt, st.AnsweredThrough)
		}
		for _, m := range s.state.messages(t, s.id) {
			if m.ID == id && !m.CreatedAt.Equal(s.f.clock.Now()) {
				t.Fatalf("%s: the answer is dated %v, want when the server took it, %v", step, m.CreatedAt, s.f.clock.Now())
			}
		}
	}
	answer("written with the first reply held, taken after the second", &seen, "", false)
	answer("a response script's, written with the first reply held", &seen, "vote", false)
	var none time.Time
	answer("written with no reply held", &none, "", false)
	answer("written with the second reply held", &unseen, "", true)

	s.f.clock.Advance(time.Minute)
	ahead := s.f.clock.Now().Add(48 * time.Hour)
	answer("a script's, with an at two days ahead", &ahead, "vote", true)
	s.f.clock.Advance(time.Minute)
	s.reply("And who are you voting for?", s.f.clock.Now())
	if st := s.inboxState(); inbox.Answered(st) {
		t.Fatalf("an answer whose at was two days ahead answers a reply that came after it (answered through %v, reply at %v)", st.AnsweredThrough, st.LastInboundAt)
	}
	answer("from an app that does not say", nil, "", true)
}
