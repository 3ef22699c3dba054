package client

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sync"
)

func TestSummariesInVolunteerWords(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		m    api.Mutation
		want string
	}{
		{api.Mutation{Type: api.MutSendInitial}, "First text to Ada Lovelace"},
		{api.Mutation{Type: api.MutReply}, "Reply to Ada Lovelace"},
		{api.Mutation{Type: api.MutArchive, Archived: &yes}, "Archive conversation with Ada Lovelace"},
		{api.Mutation{Type: api.MutArchive, Archived: &no}, "Unarchive conversation with Ada Lovelace"},
		{api.Mutation{Type: api.MutReport}, "Report on Ada Lovelace"},
		{api.Mutation{Type: api.MutSettings, Settings: &api.Settings{AutoArchive: true}}, "Turn on automatic archive"},
		{api.Mutation{Type: api.MutSettings, Settings: &api.Settings{}}, "Turn off automatic archive"},
	}
	for _, tc := range cases {
		if got := summarize(tc.m, "Ada Lovelace"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.m.Type, got, tc.want)
		}
	}
	if got := contactLabel("", "+15550100001"); got != "(555) 010-0001" {
		t.Errorf("a contact without a name is named %q", got)
	}
}

// Refusals read as sentences for the volunteer, never as codes.
func TestRefusalReasons(t *testing.T) {
	for _, code := range []string{api.RejectNotAssigned, api.RejectOptedOut, api.RejectBlocked, api.RejectQuietHours,
		api.RejectRecentlyTexted, api.RejectFreeText, api.RejectInvalid, api.RejectNoNumber, api.RejectProvider, api.RejectIDReused, api.RejectRemoved, "something_new"} {
		got := volunteerReason(api.MutReply, code, "the server's words")
		if got == "" || strings.Contains(got, "_") || !strings.HasSuffix(got, ".") && !strings.HasSuffix(got, "words") {
			t.Errorf("%s: %q", code, got)
		}
	}
	// An id reused: the server's words name a mutation id, which is the log's.
	if got := volunteerReason(api.MutReply, api.RejectIDReused, "mutation id 0e7f is already used for a different reply"); strings.Contains(got, "0e7f") || strings.Contains(got, "mutation") {
		t.Errorf("id_reused reads %q", got)
	}
}

func TestInboxChangedAlwaysCarriesAChange(t *testing.T) {
	var got []Event
	n := notifier(func(e Event) { got = append(got, e) })
	n(Event{Name: EventInboxChanged})
	n(Event{Name: EventInboxChanged, Payload: InboxChange{Queue: true}})
	n(Event{Name: EventSyncStatus, Payload: Status{}})
	if c := got[0].Payload.(InboxChange); !c.All || c.ThreadIDs == nil {
		t.Errorf("no payload became %+v", c)
	}
	if c := got[1].Payload.(InboxChange); c.All || !c.Queue || c.ThreadIDs == nil {
		t.Errorf("payload became %+v", c)
	}
	if _, ok := got[2].Payload.(Status); !ok {
		t.Errorf("other events changed: %+v", got[2])
	}
}

// TestThrottledProblemSaysChangesAreKept: a push the server refused for
// coming too fast is not "something went wrong": the status bar says the
// changes are kept and go out shortly.
func TestThrottledProblemSaysChangesAreKept(t *testing.T) {
	got := problem(sync.Status{Online: true, Connection: sync.Online, Throttled: true, LastError: "too many changes sent too fast"}, 3)
	if !strings.Contains(got, "slow down") || !strings.Contains(got, "kept") {
		t.Fatalf("problem = %q; want it to say the server asked to slow down and the changes are kept", got)
	}
}

// TestBusyProblemSaysBusyNotGone: a server at its connection cap is busy,
// not unreachable: the status bar says so, that Textbank tries again, and
// that the changes are kept; the window shows it on the line (ServerBusy).
func TestBusyProblemSaysBusyNotGone(t *testing.T) {
	var st Status
	withSync(&st, sync.Status{Connection: sync.Offline, Busy: true, Pending: 2, LastError: "the campaign server is too busy"})
	if !st.ServerBusy || !strings.Contains(st.Problem, "busy") || !strings.Contains(st.Problem, "try again") ||
		!strings.Contains(st.Problem, "kept") || strings.Contains(st.Problem, "reach") {
		t.Fatalf("status %+v; want ServerBusy and a sentence saying the server is busy, tried again, changes kept", st)
	}
	withSync(&st, sync.Status{Connection: sync.Offline, LastError: "connection refused"})
	if st.ServerBusy || !strings.Contains(st.Problem, "Can't reach") {
		t.Fatalf("status %+v; an unreachable server is not busy", st)
	}
	// The window merges each status into the last one: a false left out
	// would keep "Server busy" on screen after the server went away.
	if raw, _ := json.Marshal(st); !strings.Contains(string(raw), `"serverBusy":false`) {
		t.Fatalf("status JSON %s; want serverBusy sent when false", raw)
	}
}

// TestNewsOldestFirst: one pull's replies, handovers and opt-back-ins go to
// the window and the notifications oldest first, whatever their kind, so
// the notifications' "told up to" mark never passes one not yet told.
func TestNewsOldestFirst(t *testing.T) {
	var got []ReplyNotice
	c, err := New(Config{DataDir: t.TempDir(), ServerURL: "http://127.0.0.1:9", Notify: func(e Event) {
		if n, ok := e.Payload.(ReplyNotice); ok && e.Name == EventReplyNew {
			got = append(got, n)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	c.onChange(sync.ChangeSummary{
		NewInbound:  []cache.NewInbound{{ThreadID: "r2", At: t0.Add(5 * time.Minute)}, {ThreadID: "r1", At: t0.Add(time.Minute)}},
		Reassigned:  []cache.NewReassigned{{ThreadID: "h", At: t0}},
		OptedBackIn: []cache.NewOptedBackIn{{ThreadID: "b", At: t0.Add(3 * time.Minute)}},
	})
	var order []string
	for _, n := range got {
		order = append(order, n.ThreadID)
	}
	if strings.Join(order, " ") != "h r1 b r2" {
		t.Fatalf("news told in the order %v, want h r1 b r2 (oldest first)", order)
	}
	if !got[0].Reassigned || !got[2].OptedBackIn {
		t.Fatalf("kinds lost: %+v", got)
	}
}

// A refused report's values read as its form shows them: the action's
// fields in order with their labels, a tag as Yes or No, then a key the
// fields no longer name, in words ("colour" showed as filed).
func TestReportWords(t *testing.T) {
	fields := []api.ReportField{{Key: "will_vote", Label: "Will vote", Kind: "tag"}, {Key: "support", Label: "Support", Kind: "choice"},
		{Key: "opt_out", Label: "Opt Out", Kind: "tag"}, {Key: "notes", Label: "Notes", Kind: "text"}}
	got := reportWords(fields, map[string]string{"notes": "call back Friday", "will_vote": "false", "support": "", "zeta": "1", "fav_colour": "red"})
	if want := "Will vote: No; Notes: call back Friday; Fav colour: red; Zeta: 1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
