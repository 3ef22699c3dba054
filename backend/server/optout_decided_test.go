package server_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// likelyState is the skewed thread's inbox state with its likely opt-out
// and how far its reports reach, as the app works them out.
func (s *skewed) likelyState() inbox.State {
	s.t.Helper()
	st := s.inboxState()
	for _, m := range s.state.messages(s.t, s.id) {
		if m.Direction == api.DirInbound && m.LikelyOptOut {
			st.LastLikelyOptOutAt = later(st.LastLikelyOptOutAt, m.CreatedAt)
		}
	}
	return st
}

// TestReportDecidesOnlyTheRepliesSeen: a report decides a likely opt-out
// only if the volunteer had it when filling the report (its at), not when
// it reached the server. A report filled offline with the first reply, then
// "Please remove me", then the report arriving: the server dated the report
// after the request and the thread took that as decided, so "This may be
// an opt-out request" never showed and the thread left Needs Attention
// once answered, though the volunteer never saw it. Fails without the fix.
// The report is still dated when it arrived (the newest report wins); a
// report, or a response script's tags, with the request seen decides it;
// an at dated ahead of the server reaches no reply still to come.
func TestReportDecidesOnlyTheRepliesSeen(t *testing.T) {
	s := newSkewed(t)
	s.f.clock.Advance(time.Minute)
	s.reply("Who is this?", s.f.clock.Now())
	seen := s.newestReply()
	filled := s.f.clock.Now() // filled offline, with "Who is this?" only
	s.f.clock.Advance(time.Minute)
	s.reply("Please remove me", s.f.clock.Now())
	if !inbox.OptOutUndecided(s.likelyState()) {
		t.Fatal("the reply is not flagged as a likely opt-out")
	}
	s.f.clock.Advance(time.Minute)
	arrived := s.f.clock.Now()
	report := uuid.NewString()
	s.push(api.Mutation{Type: api.MutReport, CreatedAt: filled, At: &seen, ReportID: report, Values: map[string]string{"notes": "asked who we are"}})
	s.push(api.Mutation{Type: api.MutReply, CreatedAt: s.f.clock.Now(), At: &seen, MessageID: uuid.NewString(), Body: "We're volunteers with the campaign."})
	if st := s.likelyState(); !inbox.OptOutUndecided(st) || !inbox.NeedsAttentionNow(st) {
		t.Fatalf("a report filled before the request came decides it (reported through %v, request at %v)", st.ReportedThrough, st.LastLikelyOptOutAt)
	}
	for _, r := range s.state.reports(t) {
		if r.ID == report && !r.SubmittedAt.Equal(arrived) {
			t.Fatalf("the report is dated %v, want when it arrived, %v: the newest report wins", r.SubmittedAt, arrived)
		}
	}

	// A response script's tags, sent without the request seen, decide
	// nothing either; sent with it, they decide it.
	s.f.clock.Advance(time.Minute)
	s.push(api.Mutation{Type: api.MutReply, CreatedAt: s.f.clock.Now(), At: &seen, MessageID: uuid.NewString(),
		Body: "Great, see you at the polls.", ResponseScriptID: "vote"})
	if !inbox.OptOutUndecided(s.likelyState()) {
		t.Fatal("a response script's tags sent before the request came decide it")
	}
	request := s.newestReply()
	s.push(api.Mutation{Type: api.MutReply, CreatedAt: s.f.clock.Now(), At: &request, MessageID: uuid.NewString(),
		Body: "Great, see you at the polls.", ResponseScriptID: "vote"})
	if inbox.OptOutUndecided(s.likelyState()) {
		t.Fatal("a response script's tags sent with the request seen do not decide it")
	}

	// The banner's Not an opt-out, filed with the request seen, decides it.
	s.f.clock.Advance(time.Minute)
	s.reply("Stop texting me", s.f.clock.Now())
	request = s.newestReply()
	s.push(api.Mutation{Type: api.MutReport, CreatedAt: s.f.clock.Now(), At: &request, ReportID: uuid.NewString(), Values: map[string]string{"opt_out": "false"}})
	if inbox.OptOutUndecided(s.likelyState()) {
		t.Fatal("a report filed with the request seen does not decide it")
	}

	// An at two days ahead reaches no further than the newest reply.
	ahead := s.f.clock.Now().Add(48 * time.Hour)
	s.push(api.Mutation{Type: api.MutReport, CreatedAt: s.f.clock.Now(), At: &ahead, ReportID: uuid.NewString(), Values: map[string]string{"notes": "?"}})
	s.f.clock.Advance(time.Minute)
	s.reply("Please remove me", s.f.clock.Now())
	if !inbox.OptOutUndecided(s.likelyState()) {
		t.Fatalf("a report whose at is dated two days ahead decides a request that came after it: %+v", s.likelyState())
	}
}

func later(a *time.Time, b time.Time) *time.Time {
	if a == nil || b.After(*a) {
		return &b
	}
	return a
}
