package notify_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/notify"
)

var t0 = time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)

func reply(thread, name, body string, at time.Duration) notify.Reply {
	return notify.Reply{ThreadID: thread, ContactName: name, ContactPhone: "+15555550100", Action: "Recruit", Body: body, At: t0.Add(at)}
}

// handed is a conversation Dana reassigned to the user, with her note.
func handed(thread, name, note string) notify.Reply {
	return notify.Reply{ThreadID: thread, CampaignID: "c1", ContactName: name, Body: note, At: t0.Add(time.Second), Reassigned: true, ReassignedBy: "Dana"}
}

// backIn is a contact an organizer opted back in after their START.
func backIn(thread, name string, at time.Duration) notify.Reply {
	return notify.Reply{ThreadID: thread, ContactName: name, At: t0.Add(at), OptedBackIn: true, OptedBackInBy: "Orla Organizer"}
}

func TestPolicy(t *testing.T) {
	on := notify.Settings{Enabled: true}
	tests := []struct {
		name     string
		settings notify.Settings
		open     string
		replies  []notify.Reply
		reasons  []notify.Reason
		want     []notify.Note
	}{
		{
			name: "one reply: name, action and text", settings: on,
			replies: []notify.Reply{reply("t1", "Ada Lovelace", "Yes, I can help", time.Second)},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada Lovelace", Body: "Recruit: Yes, I can help", ThreadID: "t1", Count: 1}},
		},
		{
			name: "no name: the number", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactPhone: "+15555550100", Body: "who is this?", At: t0.Add(time.Second)}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "(555) 555-0100", Body: "who is this?", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a conversation reassigned to an admin", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ada", Body: "asks about rides", At: t0.Add(time.Second), Reassigned: true, ReassignedBy: "Dana"}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Conversation with Ada reassigned to you", Body: "Dana: asks about rides", ThreadID: "t1", Count: 1}},
		},
		{
			name: "reassigned without a note or a name", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactPhone: "+15555550100", At: t0.Add(time.Second), Reassigned: true, ReassignedBy: "Dana"}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Conversation with (555) 555-0100 reassigned to you", Body: "From Dana", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a contact opted back in by an organizer", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ida Wells", At: t0.Add(time.Second), OptedBackIn: true, OptedBackInBy: "Orla Organizer"}},
			reasons: []notify.Reason{notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells opted back in",
				Body: "Orla Organizer lifted their opt-out after they texted START: you can text them again.", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a report's opt-out an organizer undid: not said as a START", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ida Wells", At: t0.Add(time.Second), OptedBackIn: true, OptedBackInBy: "Orla Organizer",
				OptOutUndone: true}},
			reasons: []notify.Reason{notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells's opt-out was undone",
				Body: "Orla Organizer undid their opt-out: a report had opted them out by mistake, and you can text them again.", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a reply and an opt-back-in together: neither called the other", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "yes", time.Second), backIn("t2", "Ida Wells", 2*time.Second)},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "1 new reply, 1 contact opted back in", Body: "From Ada and Ida Wells", Count: 2}},
		},
		{
			name: "replies from two contacts of one campaign: a click opens that campaign's Unread", settings: on,
			replies: []notify.Reply{inCampaign(reply("t1", "Ada", "yes", time.Second), "c2"), inCampaign(reply("t2", "Bob", "no", 2*time.Second), "c2")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "2 new replies", Body: "From Ada and Bob", CampaignID: "c2", Count: 2}},
		},
		{
			name: "replies from two campaigns: a click opens Unread where the volunteer is", settings: on,
			replies: []notify.Reply{inCampaign(reply("t1", "Ada", "yes", time.Second), "c1"), inCampaign(reply("t2", "Bob", "no", 2*time.Second), "c2")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "2 new replies", Body: "From Ada and Bob", Count: 2}},
		},
		{
			name: "one contact's START and its lift: the opt-back-in first, the text after", settings: on,
			replies: []notify.Reply{reply("t1", "Ida Wells", "START", time.Second), backIn("t1", "Ida Wells", 2*time.Second)},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells opted back in",
				Body: "Orla Organizer lifted their opt-out after they texted START: you can text them again. Latest text: Recruit: START", ThreadID: "t1", Count: 2}},
		},
		{
			name: "an opt-back-in beside a handover is no reply either", settings: on,
			replies: []notify.Reply{backIn("t1", "Ida Wells", time.Second), handed("t2", "Bob", "rides")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "1 contact opted back in, 1 conversation reassigned to you", Body: "With Ida Wells and Bob", AdminCampaignID: "c1", Count: 2}},
		},
		{
			name: "Reassign All Conversations: several conversations at once are no new replies", settings: on,
			replies: []notify.Reply{handed("t1", "Ada", "out this week"), handed("t2", "Bob", "out this week"), handed("t3", "Cy", "out this week")},
			reasons: []notify.Reason{notify.Queued, notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "3 conversations reassigned to you", Body: "Dana: out this week", AdminCampaignID: "c1", Count: 3}},
		},
		{
			name: "several reassigned without a note name the contacts", settings: on,
			replies: []notify.Reply{handed("t1", "Ada", ""), handed("t2", "Bob", "")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "2 conversations reassigned to you", Body: "From Dana: Ada and Bob", AdminCampaignID: "c1", Count: 2}},
		},
		{
			name: "a reply and a reassigned conversation together say both", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "yes", 1), handed("t2", "Bob", "asks about rides")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "1 new reply, 1 conversation reassigned to you", Body: "With Ada and Bob", AdminCampaignID: "c1", Count: 2}},
		},
		{
			name: "more reassigned conversations than the flood still say what they are", settings: on,
			replies: func() []notify.Reply {
				var rs []notify.Reply
				for i := range 25 {
					rs = append(rs, handed(fmt.Sprintf("t%d", i), fmt.Sprintf("C%d", i), ""))
				}
				return rs
			}(),
			reasons: slices.Repeat([]notify.Reason{notify.Queued}, 25),
			want:    []notify.Note{{ID: "replies", Title: "25 conversations reassigned to you", Body: "With C0, C1 and 23 others", AdminCampaignID: "c1", Count: 25}},
		},
		{
			name: "one handover told twice (a page applied again) is told once", settings: on,
			replies: []notify.Reply{handed("t1", "Ada", ""), handed("t2", "Bob", ""), handed("t1", "Ada", "")},
			reasons: []notify.Reason{notify.Queued, notify.Queued, notify.History},
			want:    []notify.Note{{ID: "replies", Title: "2 conversations reassigned to you", Body: "From Dana: Ada and Bob", AdminCampaignID: "c1", Count: 2}},
		},
		{
			name: "a reply as old as the watermark stays history beside handovers", settings: on,
			replies: []notify.Reply{handed("t1", "Ada", "rides"), reply("t2", "Bob", "same instant", time.Second)},
			reasons: []notify.Reason{notify.Queued, notify.History},
			want:    []notify.Note{{ID: "reply-t1", Title: "Conversation with Ada reassigned to you", Body: "Dana: rides", ThreadID: "t1", Count: 1}},
		},
		{
			name: "an old reassignment is history", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ada", At: t0.Add(-time.Hour), Reassigned: true, ReassignedBy: "Dana"}},
			reasons: []notify.Reason{notify.History},
		},
		{
			name: "replies arriving together are grouped", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "a", 1), reply("t2", "Bob", "b", 2), reply("t3", "Cy", "c", 3)},
			reasons: []notify.Reason{notify.Queued, notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "3 new replies", Body: "From Ada, Bob and Cy", Count: 3}},
		},
		{
			name: "several replies in one thread open that thread", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "yes", 1), reply("t1", "Ada", "when?", 2)},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada", Body: "2 new replies. Latest: Recruit: when?", ThreadID: "t1", Count: 2}},
		},
		{
			name: "own sends never notify", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ada", Body: "Hi Ada", At: t0.Add(time.Second), Outbound: true}},
			reasons: []notify.Reason{notify.OwnSend},
		},
		{
			name: "opted-out and blocked contacts never notify", settings: on,
			replies: []notify.Reply{
				{ThreadID: "t1", ContactName: "Ada", Body: "STOP", At: t0.Add(time.Second), OptedOut: true},
				{ThreadID: "t2", ContactName: "Bob", Body: "spam", At: t0.Add(time.Second), Blocked: true},
			},
			reasons: []notify.Reason{notify.OptedOut, notify.Blocked},
		},
		{
			name: "history (older than the watermark) never notifies", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "old", -time.Hour), reply("t2", "Bob", "as old as the watermark", 0)},
			reasons: []notify.Reason{notify.History, notify.History},
		},
		{
			name: "off", settings: notify.Settings{Enabled: false},
			replies: []notify.Reply{reply("t1", "Ada", "hi", 1)},
			reasons: []notify.Reason{notify.Off},
		},
		{
			name: "paused", settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)},
			replies: []notify.Reply{reply("t1", "Ada", "hi", 1)},
			reasons: []notify.Reason{notify.Paused},
		},
		{
			name: "a pause that has ended", settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(-time.Minute)},
			replies: []notify.Reply{reply("t1", "Ada", "hi", 1)},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada", Body: "Recruit: hi", ThreadID: "t1", Count: 1}},
		},
		{
			name: "the thread on screen", settings: on, open: "t1",
			replies: []notify.Reply{reply("t1", "Ada", "hi", 1), reply("t2", "Bob", "yo", 2)},
			reasons: []notify.Reason{notify.OpenThread, notify.Queued},
			want:    []notify.Note{{ID: "reply-t2", Title: "Bob", Body: "Recruit: yo", ThreadID: "t2", Count: 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := notify.New(t0, notify.Config{Settings: tc.settings})
			if err != nil {
				t.Fatal(err)
			}
			p.SetOpenThread(tc.open)
			now := t0.Add(time.Second)
			var due time.Time
			for i, r := range tc.replies {
				reason, d, err := p.Offer(now, r)
				if err != nil {
					t.Fatal(err)
				}
				if reason != tc.reasons[i] {
					t.Errorf("reply %d (%q): reason %q, want %q", i, r.Body, reason, tc.reasons[i])
				}
				if reason == notify.Queued {
					due = d
				}
			}
			if got := p.Flush(now); len(tc.want) > 0 && got != nil {
				t.Fatalf("flushed before the grouping window passed: %+v", got)
			}
			got := p.Flush(due)
			if len(got) != len(tc.want) {
				t.Fatalf("notes = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("note %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestFloodBecomesOneNote(t *testing.T) {
	p, err := notify.New(t0, notify.Config{Settings: notify.Settings{Enabled: true}, Flood: 20})
	if err != nil {
		t.Fatal(err)
	}
	var due time.Time
	for i := range 500 {
		_, due, _ = p.Offer(t0.Add(time.Second), reply("t"+string(rune('a'+i%26)), "X", "hi", time.Duration(i+1)))
	}
	got := p.Flush(due)
	if len(got) != 1 || got[0].Title != "500 new replies" || got[0].ThreadID != "" {
		t.Fatalf("a flood gave %+v, want one \"500 new replies\"", got)
	}
	if again := p.Flush(due.Add(time.Hour)); again != nil {
		t.Fatalf("flushed twice: %+v", again)
	}
}

func TestPauseDuringWindowSilencesTheGroup(t *testing.T) {
	p, _ := notify.New(t0, notify.Config{Settings: notify.Settings{Enabled: true}})
	_, due, _ := p.Offer(t0, reply("t1", "Ada", "hi", time.Second))
	p.SetSettings(notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)})
	if got := p.Flush(due); got != nil {
		t.Fatalf("paused during the window but got %+v", got)
	}
}

func TestOpeningTheThreadDuringWindowSilencesIt(t *testing.T) {
	p, _ := notify.New(t0, notify.Config{Settings: notify.Settings{Enabled: true}})
	_, due, _ := p.Offer(t0, reply("t1", "Ada", "hi", time.Second))
	p.SetOpenThread("t1")
	if got := p.Flush(due); got != nil {
		t.Fatalf("thread opened during the window but got %+v", got)
	}
}

// The scenario from issue 9: the app is killed during its first sync and
// restarted; the rest of the history arrives as "new to the cache" but must
// not notify, while a reply that truly arrived after the first start must.
func TestResumedSyncAfterCrashNotifiesOnlyNews(t *testing.T) {
	store := notify.FileStore{Path: filepath.Join(t.TempDir(), "notify.json")}
	first, err := notify.New(t0, notify.Config{Store: store, Settings: notify.Settings{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	_ = first // killed during the first sync: nothing offered yet

	// Restarted ten minutes later with a fresh process.
	now := t0.Add(10 * time.Minute)
	p, err := notify.New(now, notify.Config{Store: store, Settings: notify.Settings{Enabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	history := 0
	for i := range 15450 {
		r := reply("h", "Old", "old", -time.Duration(i+1)*time.Second)
		if reason, _, _ := p.Offer(now, r); reason == notify.History {
			history++
		}
	}
	if history != 15450 {
		t.Fatalf("%d of 15450 historical replies counted as history", history)
	}
	reason, due, _ := p.Offer(now, reply("t1", "Ada", "new", 5*time.Minute))
	if reason != notify.Queued {
		t.Fatalf("a reply after the first start: %q, want queued", reason)
	}
	if got := p.Flush(due); len(got) != 1 || got[0].ThreadID != "t1" {
		t.Fatalf("notes %+v, want one for t1", got)
	}
	// The watermark survives a restart: the same reply offered again (the
	// sync re-delivered it) is history.
	p2, _ := notify.New(now.Add(time.Minute), notify.Config{Store: store, Settings: notify.Settings{Enabled: true}})
	if reason, _, _ := p2.Offer(now.Add(time.Minute), reply("t1", "Ada", "new", 5*time.Minute)); reason != notify.History {
		t.Fatalf("re-delivered reply after restart: %q, want history", reason)
	}
	info, err := os.Stat(store.Path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("watermark file mode %o, want 600", perm)
	}
}

func TestSilencedRepliesAreNotAnnouncedLater(t *testing.T) {
	p, _ := notify.New(t0, notify.Config{Settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)}})
	if reason, _, _ := p.Offer(t0, reply("t1", "Ada", "hi", time.Second)); reason != notify.Paused {
		t.Fatalf("reason %q, want paused", reason)
	}
	p.SetSettings(notify.Settings{Enabled: true})
	if reason, _, _ := p.Offer(t0.Add(2*time.Hour), reply("t1", "Ada", "hi", time.Second)); reason != notify.History {
		t.Fatalf("re-offered after the pause: %q, want history", reason)
	}
}

func TestCorruptWatermarkIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := notify.New(t0, notify.Config{Store: notify.FileStore{Path: path}})
	if err == nil || !strings.Contains(err.Error(), "notify.json") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestPauseUntil(t *testing.T) {
	loc := time.FixedZone("X", -5*3600)
	now := time.Date(2026, 11, 29, 21, 30, 0, 0, loc)
	for _, tc := range []struct {
		choice string
		want   time.Time
		err    bool
	}{
		{"hour", now.Add(time.Hour), false},
		{"tomorrow", time.Date(2026, 11, 30, 8, 0, 0, 0, loc), false},
		{"forever", time.Time{}, true},
	} {
		got, err := notify.PauseUntil(now, tc.choice)
		if (err != nil) != tc.err || !got.Equal(tc.want) {
			t.Errorf("PauseUntil(%q) = %v, %v; want %v (error %v)", tc.choice, got, err, tc.want, tc.err)
		}
	}
}

func TestWho(t *testing.T) {
	if got := notify.Who(notify.Reply{}); got != "A contact" {
		t.Fatalf("Who of nobody = %q", got)
	}
}

func inCampaign(r notify.Reply, campaignID string) notify.Reply {
	r.CampaignID = campaignID
	return r
}
