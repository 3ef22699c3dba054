package inbox_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/inbox"
)

var (
	inInbox    = inbox.ArchiveState{}
	byUser     = inbox.ArchiveState{Archived: true, Reason: inbox.ByUser}
	afterRep   = inbox.ArchiveState{Archived: true, Reason: inbox.AfterReport}
	inactive   = inbox.ArchiveState{Archived: true, Reason: inbox.Inactive}
	allStates  = map[string]inbox.ArchiveState{"in the inbox": inInbox, "archived by you": byUser, "archived after report": afterRep, "archived: inactive": inactive}
	eventNames = map[inbox.Event]string{inbox.UserArchive: "archive", inbox.UserUnarchive: "unarchive", inbox.Reported: "report",
		inbox.Replied: "reply", inbox.WentInactive: "inactive"}
)

// Every event from every state, with Automatic Archive on and off.
func TestArchiveTransitions(t *testing.T) {
	type key struct {
		from  string
		event inbox.Event
		auto  bool
	}
	want := map[key]inbox.ArchiveState{}
	for from, s := range allStates {
		for _, auto := range []bool{false, true} {
			// The volunteer's buttons work from anywhere, as often as wanted.
			want[key{from, inbox.UserArchive, auto}] = byUser
			want[key{from, inbox.UserUnarchive, auto}] = inInbox
			// A new reply always brings the thread back.
			want[key{from, inbox.Replied, auto}] = inInbox
			// A report archives only with Automatic Archive on; off, it
			// leaves the thread where it was.
			if auto {
				want[key{from, inbox.Reported, auto}] = afterRep
			} else {
				want[key{from, inbox.Reported, auto}] = s
			}
			// The archiver archives what is in the inbox and keeps the
			// reason of what is archived already.
			if s.Archived {
				want[key{from, inbox.WentInactive, auto}] = s
			} else {
				want[key{from, inbox.WentInactive, auto}] = inactive
			}
		}
	}
	for k, w := range want {
		name := k.from + " + " + eventNames[k.event]
		if k.auto {
			name += " (auto archive)"
		}
		t.Run(name, func(t *testing.T) {
			got := inbox.ArchiveOn(allStates[k.from], k.event, k.auto)
			if got != w {
				t.Fatalf("= %+v, want %+v", got, w)
			}
			if got.Archived != (got.Reason != inbox.NotArchived) {
				t.Fatalf("archived %v with reason %q", got.Archived, got.Reason)
			}
		})
	}
}

// Archive, unarchive, archive again... then a reply: the thread is back in
// All, Unread and Needs Attention; then archived again it leaves them.
func TestArchiveRoundTripsAndFilters(t *testing.T) {
	s := inbox.State{ActionType: inbox.TypeTeam, LastOutboundAt: at(1), LastInboundAt: at(2)}
	arch := inInbox
	steps := []struct {
		event      inbox.Event
		auto       bool
		inbound    int // minutes; 0 leaves the last inbound as it is
		wantIn     []inbox.Filter
		wantNotIn  []inbox.Filter
		wantReason inbox.Reason
	}{
		{inbox.UserArchive, false, 0, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Team}, inbox.ByUser},
		{inbox.UserUnarchive, false, 0, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Team}, []inbox.Filter{inbox.Archive}, inbox.NotArchived},
		{inbox.UserArchive, false, 0, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.All}, inbox.ByUser},
		{inbox.UserArchive, false, 0, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.All}, inbox.ByUser},
		{inbox.Replied, false, 5, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Team}, []inbox.Filter{inbox.Archive}, inbox.NotArchived},
		{inbox.Reported, false, 0, []inbox.Filter{inbox.All, inbox.Team}, []inbox.Filter{inbox.Archive}, inbox.NotArchived},
		{inbox.Reported, true, 0, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention}, inbox.AfterReport},
		{inbox.Replied, true, 9, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention}, []inbox.Filter{inbox.Archive}, inbox.NotArchived},
		{inbox.WentInactive, false, 0, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.All, inbox.Unread}, inbox.Inactive},
		{inbox.UserUnarchive, false, 0, []inbox.Filter{inbox.All}, []inbox.Filter{inbox.Archive}, inbox.NotArchived},
	}
	for i, st := range steps {
		arch = inbox.ArchiveOn(arch, st.event, st.auto)
		if st.inbound != 0 {
			s.LastInboundAt = at(st.inbound)
		}
		s.Archived = arch.Archived
		if arch.Reason != st.wantReason {
			t.Fatalf("step %d (%s): reason %q, want %q", i+1, eventNames[st.event], arch.Reason, st.wantReason)
		}
		for _, f := range st.wantIn {
			if !inbox.Matches(f, s) {
				t.Errorf("step %d (%s): not in %s", i+1, eventNames[st.event], f)
			}
		}
		for _, f := range st.wantNotIn {
			if inbox.Matches(f, s) {
				t.Errorf("step %d (%s): unexpectedly in %s", i+1, eventNames[st.event], f)
			}
		}
	}
}

// A reply newer than an archive (or an auto-archiving report) wins even
// when the archive reaches the server later; one at the same instant or
// older does not.
func TestArchiveHolds(t *testing.T) {
	cases := []struct {
		name    string
		inbound *int
		want    bool
	}{
		{"no reply ever", nil, true},
		{"reply before the archive", ptr(1), true},
		{"reply at the archive instant", ptr(3), true},
		{"reply after the archive", ptr(4), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var inp *time.Time
			if tc.inbound != nil {
				inp = at(*tc.inbound)
			}
			if got := inbox.ArchiveHolds(*at(3), inp); got != tc.want {
				t.Fatalf("ArchiveHolds = %v, want %v", got, tc.want)
			}
		})
	}
}

// Opt-outs and reports change what needs attention, not what the archive
// does: an opted-out contact's thread archives and unarchives like any.
func TestOptOutAndReportInteractions(t *testing.T) {
	cases := []struct {
		name          string
		s             inbox.State
		wantAttention bool
		wantUnread    bool
	}{
		{"reply, no report", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2)}, true, true},
		{"answered, report filed", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), LastReportAt: at(4), LastReadAt: at(2)}, false, false},
		{"report without answer", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), LastReportAt: at(4)}, true, true},
		{"opted out by STOP", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), OptedOut: true}, false, true},
		{"opted out by report", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), LastReportAt: at(3), OptedOut: true, LastReadAt: at(3)}, false, false},
		{"blocked", inbox.State{LastInboundAt: at(2), Blocked: true}, false, false},
	}
	for _, tc := range cases {
		for _, archived := range []bool{false, true} {
			s := tc.s
			s.Archived = archived
			name := tc.name
			if archived {
				name += ", archived"
			}
			t.Run(name, func(t *testing.T) {
				if got := inbox.NeedsAttentionNow(s); got != tc.wantAttention {
					t.Errorf("NeedsAttentionNow = %v, want %v", got, tc.wantAttention)
				}
				if got := inbox.Matches(inbox.NeedsAttention, s); got != (tc.wantAttention && !archived) {
					t.Errorf("in Needs Attention = %v", got)
				}
				if got := inbox.Matches(inbox.Unread, s); got != (tc.wantUnread && !archived) {
					t.Errorf("in Unread = %v", got)
				}
				if got := inbox.Matches(inbox.Archive, s); got != archived {
					t.Errorf("in Archive = %v", got)
				}
			})
		}
	}
}

func ptr(v int) *int { return &v }

// TestArchiveCovers: an archive that says which reply it saw reaches that
// far, the zero time included (it saw none); one that does not, as far as
// when it was made.
func TestArchiveCovers(t *testing.T) {
	made := time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)
	seen := made.Add(-time.Hour)
	if got := inbox.ArchiveCovers(&seen, made); !got.Equal(seen) {
		t.Errorf("with the reply seen: %v, want %v", got, seen)
	}
	var none time.Time
	if got := inbox.ArchiveCovers(&none, made); !got.IsZero() {
		t.Errorf("with no reply seen: %v, want the zero time", got)
	}
	if got := inbox.ArchiveCovers(nil, made); !got.Equal(made) {
		t.Errorf("from an app that does not say: %v, want %v", got, made)
	}
}
