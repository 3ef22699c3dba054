package inbox_test

import (
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func at(min int) *time.Time { v := t0.Add(time.Duration(min) * time.Minute); return &v }

func TestUnread(t *testing.T) {
	cases := []struct {
		name string
		s    inbox.State
		want bool
	}{
		{"no messages", inbox.State{}, false},
		{"only outbound", inbox.State{LastOutboundAt: at(1)}, false},
		{"reply never read", inbox.State{LastInboundAt: at(2)}, true},
		{"reply after read", inbox.State{LastInboundAt: at(5), LastReadAt: at(3)}, true},
		{"read after reply", inbox.State{LastInboundAt: at(5), LastReadAt: at(6)}, false},
		{"read at the reply instant", inbox.State{LastInboundAt: at(5), LastReadAt: at(5)}, false},
		{"opted out still unread", inbox.State{LastInboundAt: at(5), OptedOut: true}, true},
		{"blocked is not new work", inbox.State{LastInboundAt: at(5), Blocked: true}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inbox.IsUnread(tc.s); got != tc.want {
				t.Fatalf("IsUnread = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNeedsAttention(t *testing.T) {
	cases := []struct {
		name string
		s    inbox.State
		want bool
	}{
		{"never replied", inbox.State{LastOutboundAt: at(1)}, false},
		{"replied, no answer, no report", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2)}, true},
		{"answered but no report", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2)}, true},
		{"report but no answer", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), LastReportAt: at(3)}, true},
		{"answered and reported", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), LastReportAt: at(4)}, false},
		{"report before the reply still counts", inbox.State{LastOutboundAt: at(5), LastInboundAt: at(4), LastReportAt: at(1)}, false},
		{"new reply after answer and report", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(6), LastReportAt: at(4)}, true},
		{"answer at the reply instant is no answer", inbox.State{LastOutboundAt: at(2), LastInboundAt: at(2), LastReportAt: at(4)}, true},
		// Written offline with the reply at 1 held, taken after the one at 2.
		{"answer written before the reply is no answer to it", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), LastReportAt: at(4), AnsweredThrough: at(1)}, true},
		{"answer written with the reply held", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), LastReportAt: at(4), AnsweredThrough: at(2)}, false},
		{"answer written with no reply held", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), LastReportAt: at(4), AnsweredThrough: &time.Time{}}, true},
		{"answered through the reply, but the answer failed", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), LastReportAt: at(4), AnsweredThrough: at(2)}, true},
		{"opted out never", inbox.State{LastInboundAt: at(2), OptedOut: true}, false},
		{"blocked never", inbox.State{LastInboundAt: at(2), Blocked: true}, false},
		{"read does not matter", inbox.State{LastInboundAt: at(2), LastReadAt: at(9)}, true},
		{"likely opt-out answered, old report: undecided", inbox.State{LastOutboundAt: at(5), LastInboundAt: at(4), LastLikelyOptOutAt: at(4), LastReportAt: at(1), ReportedThrough: at(1)}, true},
		{"likely opt-out, report filed with it decides", inbox.State{LastOutboundAt: at(5), LastInboundAt: at(4), LastLikelyOptOutAt: at(4), LastReportAt: at(6), ReportedThrough: at(4)}, false},
		// Filled before the request came, it reached the server after.
		{"likely opt-out, report filled before it does not decide", inbox.State{LastOutboundAt: at(5), LastInboundAt: at(4), LastLikelyOptOutAt: at(4), LastReportAt: at(6), ReportedThrough: at(3)}, true},
		{"likely opt-out then opted out by hand", inbox.State{LastInboundAt: at(4), LastLikelyOptOutAt: at(4), OptedOut: true}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inbox.NeedsAttentionNow(tc.s); got != tc.want {
				t.Fatalf("NeedsAttentionNow = %v, want %v", got, tc.want)
			}
		})
	}
}

// The Admin section's "Not answered yet": the answer half of Needs
// Attention alone, reports and likely opt-outs aside.
func TestAwaitsAnswer(t *testing.T) {
	cases := []struct {
		name string
		s    inbox.State
		want bool
	}{
		{"never replied", inbox.State{LastOutboundAt: at(1)}, false},
		{"no text at all", inbox.State{}, false},
		{"replied, no answer", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2)}, true},
		{"replied, never texted back", inbox.State{LastInboundAt: at(2)}, true},
		{"answered, no report", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2)}, false},
		{"answer at the reply instant is no answer", inbox.State{LastOutboundAt: at(2), LastInboundAt: at(2)}, true},
		{"answer written before the reply came", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), AnsweredThrough: at(1)}, true},
		{"answer written with the reply held", inbox.State{LastOutboundAt: at(3), LastInboundAt: at(2), AnsweredThrough: at(2)}, false},
		{"opted out waits for nothing", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), OptedOut: true}, false},
		{"blocked waits for nothing", inbox.State{LastOutboundAt: at(1), LastInboundAt: at(2), Blocked: true}, false},
		{"a likely opt-out answered is answered", inbox.State{LastOutboundAt: at(5), LastInboundAt: at(4), LastLikelyOptOutAt: at(4)}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inbox.AwaitsAnswer(tc.s); got != tc.want {
				t.Fatalf("AwaitsAnswer = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	unreadP2P := inbox.State{ActionType: api.ActionP2P, LastInboundAt: at(2), LastOutboundAt: at(1)}
	archived := unreadP2P
	archived.Archived = true
	team := inbox.State{ActionType: api.ActionTeam, LastOutboundAt: at(1)}
	archivedTeam := team
	archivedTeam.Archived = true
	cases := []struct {
		name  string
		s     inbox.State
		in    []inbox.Filter
		notIn []inbox.Filter
	}{
		{"unread p2p", unreadP2P, []inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention},
			[]inbox.Filter{inbox.Archive, inbox.Friends, inbox.Team, inbox.Canvassing}},
		{"archived only in archive", archived, []inbox.Filter{inbox.Archive},
			[]inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Friends}},
		{"team label", team, []inbox.Filter{inbox.All, inbox.Team},
			[]inbox.Filter{inbox.Friends, inbox.Canvassing, inbox.Unread, inbox.NeedsAttention, inbox.Archive}},
		{"archived team only in archive", archivedTeam, []inbox.Filter{inbox.Archive}, []inbox.Filter{inbox.Team, inbox.All}},
		{"unknown filter matches nothing", unreadP2P, nil, []inbox.Filter{"starred"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range tc.in {
				if !inbox.Matches(f, tc.s) {
					t.Errorf("not in %s", f)
				}
			}
			for _, f := range tc.notIn {
				if inbox.Matches(f, tc.s) {
					t.Errorf("unexpectedly in %s", f)
				}
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	for _, f := range inbox.Filters {
		t.Run(string(f), func(t *testing.T) {
			got, err := inbox.ParseFilter(string(f))
			if err != nil || got != f {
				t.Fatalf("ParseFilter(%q) = %q, %v", f, got, err)
			}
		})
	}
	for _, bad := range []string{"", "All", "starred"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := inbox.ParseFilter(bad); err == nil {
				t.Fatalf("ParseFilter(%q) accepted", bad)
			}
		})
	}
}

// The label filters' action types are the wire's, spelled once each side.
func TestActionTypesMatchTheWire(t *testing.T) {
	for f, want := range map[inbox.Filter]string{inbox.Friends: api.ActionFriends, inbox.Team: api.ActionTeam, inbox.Canvassing: api.ActionCanvassing} {
		if f.ActionType() != want {
			t.Errorf("%s selects %q, the wire says %q", f, f.ActionType(), want)
		}
	}
	if inbox.All.ActionType() != "" {
		t.Error("All selects an action type")
	}
}

func TestOptOutUndecided(t *testing.T) {
	cases := []struct {
		name string
		s    inbox.State
		want bool
	}{
		{"no likely opt-out", inbox.State{LastInboundAt: at(2)}, false},
		{"flagged, no report", inbox.State{LastInboundAt: at(2), LastLikelyOptOutAt: at(2)}, true},
		{"flagged, report before", inbox.State{LastInboundAt: at(2), LastLikelyOptOutAt: at(2), LastReportAt: at(1), ReportedThrough: at(1)}, true},
		{"flagged, report filed with it", inbox.State{LastInboundAt: at(2), LastLikelyOptOutAt: at(2), LastReportAt: at(3), ReportedThrough: at(2)}, false},
		// The report reached the server after the request (queued
		// offline), but the volunteer filled it with an earlier reply.
		{"flagged, report filed later without it", inbox.State{LastInboundAt: at(2), LastLikelyOptOutAt: at(2), LastReportAt: at(3), ReportedThrough: at(1)}, true},
		{"flagged, report filed with no reply held", inbox.State{LastInboundAt: at(2), LastLikelyOptOutAt: at(2), LastReportAt: at(3), ReportedThrough: &time.Time{}}, true},
		{"flagged again after a report", inbox.State{LastInboundAt: at(5), LastLikelyOptOutAt: at(5), LastReportAt: at(3), ReportedThrough: at(3)}, true},
		{"opted out", inbox.State{LastLikelyOptOutAt: at(2), OptedOut: true}, false},
		{"blocked", inbox.State{LastLikelyOptOutAt: at(2), Blocked: true}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inbox.OptOutUndecided(tc.s); got != tc.want {
				t.Fatalf("OptOutUndecided = %v, want %v", got, tc.want)
			}
		})
	}
}

// FiltersOf is the membership the window places changed rows by: every
// combination of the flags, each filter named exactly when Listed says so.
func TestFiltersOf(t *testing.T) {
	cases := []struct {
		name string
		fl   inbox.Flags
		want []inbox.Filter
	}{
		{"read, answered, p2p", inbox.Flags{ActionType: "p2p"}, []inbox.Filter{inbox.All}},
		{"unread friends", inbox.Flags{ActionType: inbox.TypeFriends, Unread: true}, []inbox.Filter{inbox.All, inbox.Unread, inbox.Friends}},
		{"needs attention team", inbox.Flags{ActionType: inbox.TypeTeam, NeedsAttention: true}, []inbox.Filter{inbox.All, inbox.NeedsAttention, inbox.Team}},
		{"unread and needs attention canvassing", inbox.Flags{ActionType: inbox.TypeCanvassing, Unread: true, NeedsAttention: true},
			[]inbox.Filter{inbox.All, inbox.Unread, inbox.NeedsAttention, inbox.Canvassing}},
		{"archived: only Archive, whatever else", inbox.Flags{ActionType: inbox.TypeFriends, Archived: true, Unread: true, NeedsAttention: true},
			[]inbox.Filter{inbox.Archive}},
		{"archived p2p", inbox.Flags{ActionType: "p2p", Archived: true}, []inbox.Filter{inbox.Archive}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := inbox.FiltersOf(tc.fl)
			if len(got) != len(tc.want) {
				t.Fatalf("FiltersOf(%+v) = %v, want %v", tc.fl, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("FiltersOf(%+v) = %v, want %v", tc.fl, got, tc.want)
				}
			}
			for _, f := range inbox.Filters {
				if in := slices.Contains(got, f); in != inbox.Listed(f, tc.fl) {
					t.Errorf("%s: FiltersOf says %v, Listed says %v", f, in, !in)
				}
			}
		})
	}
}

// Matches is Listed over the flags FlagsOf works out.
func TestMatchesIsListedOverFlags(t *testing.T) {
	states := []inbox.State{
		{}, {LastInboundAt: at(2)}, {LastInboundAt: at(2), LastReadAt: at(3), LastOutboundAt: at(4), LastReportAt: at(5)},
		{ActionType: inbox.TypeTeam, Archived: true, LastInboundAt: at(2)}, {ActionType: inbox.TypeFriends, LastInboundAt: at(2), Blocked: true},
	}
	for _, s := range states {
		for _, f := range inbox.Filters {
			if inbox.Matches(f, s) != inbox.Listed(f, inbox.FlagsOf(s)) {
				t.Errorf("%s %+v: Matches and Listed disagree", f, s)
			}
		}
	}
}

// A reply is new work unless the contact had opted out or was blocked when
// it came: a STOP is (it comes before the opt-out), a later START is not.
func TestReplyIsNewWork(t *testing.T) {
	for _, tc := range []struct {
		optedOut, blocked, want bool
	}{{false, false, true}, {true, false, false}, {false, true, false}, {true, true, false}} {
		if got := inbox.ReplyIsNewWork(tc.optedOut, tc.blocked); got != tc.want {
			t.Errorf("ReplyIsNewWork(opted out %v, blocked %v) = %v, want %v", tc.optedOut, tc.blocked, got, tc.want)
		}
	}
}

// TestAnsweredSQL: the statuses that answer nobody, in the wire's words.
func TestAnsweredSQL(t *testing.T) {
	want := "(error = '' AND status NOT IN ('" + api.StatusFailed + "', '" + api.StatusUndelivered + "'))"
	if inbox.AnsweredSQL != want {
		t.Errorf("AnsweredSQL = %s, want %s", inbox.AnsweredSQL, want)
	}
}

// TestReached: AnsweredSQL's rule over one text, for every status a text
// takes, with and without an error.
func TestReached(t *testing.T) {
	for _, status := range []string{api.StatusQueued, api.StatusSending, api.StatusSent, api.StatusDelivered, api.StatusUnknown,
		api.StatusFailed, api.StatusUndelivered} {
		want := status != api.StatusFailed && status != api.StatusUndelivered
		if got := inbox.Reached(status, ""); got != want {
			t.Errorf("Reached(%s, no error) = %v, want %v", status, got, want)
		}
		if inbox.Reached(status, "carrier said no") {
			t.Errorf("Reached(%s, with an error) = true", status)
		}
	}
}

// TestAnswerCovers: an answer that says which reply it was written with
// reaches that far (the zero time: none); one that does not, as far as
// when the server took it.
func TestAnswerCovers(t *testing.T) {
	seen, made := *at(1), *at(5)
	if got := inbox.AnswerCovers(&seen, made); !got.Equal(seen) {
		t.Errorf("with the reply held: %v, want %v", got, seen)
	}
	if got := inbox.AnswerCovers(&time.Time{}, made); !got.IsZero() {
		t.Errorf("with no reply held: %v, want the zero time", got)
	}
	if got := inbox.AnswerCovers(nil, made); !got.Equal(made) {
		t.Errorf("from an app that does not say: %v, want %v", got, made)
	}
}
