package notify_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/notify"
)

var t0 = time.Date(2026, 11, 29, 18, 0, 0, 0, time.UTC)

func reply(thread, name, body string) notify.Reply {
	return notify.Reply{ThreadID: thread, ContactName: name, ContactPhone: "+15555550100", Action: "Recruit", Body: body}
}

// handed is a conversation Dana reassigned to the user, with her note.
func handed(thread, name, note string) notify.Reply {
	return notify.Reply{ThreadID: thread, CampaignID: "c1", ContactName: name, Body: note, Reassigned: true, ReassignedBy: "Dana"}
}

// backIn is a contact an organizer opted back in after their START.
func backIn(thread, name string) notify.Reply {
	return notify.Reply{ThreadID: thread, ContactName: name, OptedBackIn: true, OptedBackInBy: "Orla Organizer"}
}

// policyCase is replies offered with a thread open on screen: the reason
// each is given, and the notes once the grouping window has passed.
type policyCase struct {
	name     string
	settings notify.Settings
	open     string
	replies  []notify.Reply
	reasons  []notify.Reason
	want     []notify.Note
	// With message text hidden (Settings: Show message text in
	// notifications off), the one note's body: who replied, never what, as
	// a lock screen shows it. "": the case is not run hidden.
	hidden string
}

func TestPolicy(t *testing.T) {
	on := notify.Settings{Enabled: true}
	tests := []policyCase{
		{
			name: "one reply: name, action and text", settings: on,
			replies: []notify.Reply{reply("t1", "Ada Lovelace", "Yes, I can help")},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada Lovelace", Body: "Recruit: Yes, I can help", ThreadID: "t1", Count: 1}},
			hidden:  "Recruit: new reply",
		},
		{
			name: "no name: the number", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactPhone: "+15555550100", Body: "who is this?"}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "(555) 555-0100", Body: "who is this?", ThreadID: "t1", Count: 1}},
			hidden:  "New reply",
		},
		{
			name: "a conversation reassigned to an admin", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ada", Body: "asks about rides", Reassigned: true, ReassignedBy: "Dana"}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Conversation with Ada reassigned to you", Body: "Dana: asks about rides", ThreadID: "t1", Count: 1}},
		},
		{
			name: "reassigned without a note or a name", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactPhone: "+15555550100", Reassigned: true, ReassignedBy: "Dana"}},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Conversation with (555) 555-0100 reassigned to you", Body: "From Dana", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a contact opted back in by an organizer", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ida Wells", OptedBackIn: true, OptedBackInBy: "Orla Organizer"}},
			reasons: []notify.Reason{notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells opted back in",
				Body: "Orla Organizer lifted their opt-out after they texted START: you can text them again.", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a report's opt-out an organizer undid: not said as a START", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ida Wells", OptedBackIn: true, OptedBackInBy: "Orla Organizer",
				OptOutUndone: true}},
			reasons: []notify.Reason{notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells's opt-out was undone",
				Body: "Orla Organizer undid their opt-out: a report had opted them out by mistake, and you can text them again.", ThreadID: "t1", Count: 1}},
		},
		{
			name: "a reply and an opt-back-in together: neither called the other", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "yes"), backIn("t2", "Ida Wells")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "1 new reply, 1 contact opted back in", Body: "From Ada and Ida Wells", Count: 2}},
		},
		{
			name: "replies from two contacts of one campaign: a click opens that campaign's Unread", settings: on,
			replies: []notify.Reply{inCampaign(reply("t1", "Ada", "yes"), "c2"), inCampaign(reply("t2", "Bob", "no"), "c2")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "2 new replies", Body: "From Ada and Bob", CampaignID: "c2", Count: 2}},
		},
		{
			name: "replies from two campaigns: a click opens Unread where the volunteer is", settings: on,
			replies: []notify.Reply{inCampaign(reply("t1", "Ada", "yes"), "c1"), inCampaign(reply("t2", "Bob", "no"), "c2")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "2 new replies", Body: "From Ada and Bob", Count: 2}},
		},
		{
			name: "one contact's START and its lift: the opt-back-in first, the text after", settings: on,
			replies: []notify.Reply{reply("t1", "Ida Wells", "START"), backIn("t1", "Ida Wells")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want: []notify.Note{{ID: "reply-t1", Title: "Ida Wells opted back in",
				Body: "Orla Organizer lifted their opt-out after they texted START: you can text them again. Latest text: Recruit: START", ThreadID: "t1", Count: 2}},
			hidden: "Orla Organizer lifted their opt-out after they texted START: you can text them again.",
		},
		{
			name: "an opt-back-in beside a handover is no reply either", settings: on,
			replies: []notify.Reply{backIn("t1", "Ida Wells"), handed("t2", "Bob", "rides")},
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
			replies: []notify.Reply{reply("t1", "Ada", "yes"), handed("t2", "Bob", "asks about rides")},
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
			// The cache calls a reply news by the feed's order: one no one
			// had read before the hand-over, and one a server whose clock is
			// behind stamped, come after the newest reply told of and are
			// dated before it. No clock here makes them history.
			name: "a hand-over, its unread reply and a slow clock's reply after one told of are all news", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "told first"), handed("t2", "Bob", "rides"), reply("t2", "Bob", "unread before the hand-over"), reply("t3", "Cy", "from a slow clock")},
			reasons: []notify.Reason{notify.Queued, notify.Queued, notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "3 new replies, 1 conversation reassigned to you", Body: "With Ada, Bob and Cy", AdminCampaignID: "c1", Count: 4}},
		},
		{
			name: "replies arriving together are grouped", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "a"), reply("t2", "Bob", "b"), reply("t3", "Cy", "c")},
			reasons: []notify.Reason{notify.Queued, notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "replies", Title: "3 new replies", Body: "From Ada, Bob and Cy", Count: 3}},
		},
		{
			name: "several replies in one thread open that thread", settings: on,
			replies: []notify.Reply{reply("t1", "Ada", "yes"), reply("t1", "Ada", "when?")},
			reasons: []notify.Reason{notify.Queued, notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada", Body: "2 new replies. Latest: Recruit: when?", ThreadID: "t1", Count: 2}},
			hidden:  "2 new replies",
		},
		{
			name: "own sends never notify", settings: on,
			replies: []notify.Reply{{ThreadID: "t1", ContactName: "Ada", Body: "Hi Ada", Outbound: true}},
			reasons: []notify.Reason{notify.OwnSend},
		},
		{
			name: "opted-out and blocked contacts never notify", settings: on,
			replies: []notify.Reply{
				{ThreadID: "t1", ContactName: "Ada", Body: "STOP", OptedOut: true},
				{ThreadID: "t2", ContactName: "Bob", Body: "spam", Blocked: true},
			},
			reasons: []notify.Reason{notify.OptedOut, notify.Blocked},
		},
		{
			name: "off", settings: notify.Settings{Enabled: false},
			replies: []notify.Reply{reply("t1", "Ada", "hi")},
			reasons: []notify.Reason{notify.Off},
		},
		{
			name: "paused", settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)},
			replies: []notify.Reply{reply("t1", "Ada", "hi")},
			reasons: []notify.Reason{notify.Paused},
		},
		{
			name: "a pause that has ended", settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(-time.Minute)},
			replies: []notify.Reply{reply("t1", "Ada", "hi")},
			reasons: []notify.Reason{notify.Queued},
			want:    []notify.Note{{ID: "reply-t1", Title: "Ada", Body: "Recruit: hi", ThreadID: "t1", Count: 1}},
		},
		{
			name: "the thread on screen", settings: on, open: "t1",
			replies: []notify.Reply{reply("t1", "Ada", "hi"), reply("t2", "Bob", "yo")},
			reasons: []notify.Reason{notify.OpenThread, notify.Queued},
			want:    []notify.Note{{ID: "reply-t2", Title: "Bob", Body: "Recruit: yo", ThreadID: "t2", Count: 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
		if tc.hidden != "" {
			t.Run(tc.name+", text hidden", tc.textHidden().check)
		}
	}
}

// textHidden is the case with message text hidden: the same note, its
// body the hidden one.
func (tc policyCase) textHidden() policyCase {
	tc.settings.HideText = true
	tc.want = slices.Clone(tc.want)
	tc.want[0].Body = tc.hidden
	return tc
}

func (tc policyCase) check(t *testing.T) {
	p := notify.New(notify.Config{Settings: tc.settings})
	p.SetOpenThread(tc.open)
	now := t0.Add(time.Second)
	var due time.Time
	for i, r := range tc.replies {
		reason, d := p.Offer(now, r)
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
}

func TestFloodBecomesOneNote(t *testing.T) {
	p := notify.New(notify.Config{Settings: notify.Settings{Enabled: true}, Flood: 20})
	var due time.Time
	for i := range 500 {
		_, due = p.Offer(t0.Add(time.Second), reply("t"+string(rune('a'+i%26)), "X", "hi"))
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
	p := notify.New(notify.Config{Settings: notify.Settings{Enabled: true}})
	_, due := p.Offer(t0, reply("t1", "Ada", "hi"))
	p.SetSettings(notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)})
	if got := p.Flush(due); got != nil {
		t.Fatalf("paused during the window but got %+v", got)
	}
}

func TestOpeningTheThreadDuringWindowSilencesIt(t *testing.T) {
	p := notify.New(notify.Config{Settings: notify.Settings{Enabled: true}})
	_, due := p.Offer(t0, reply("t1", "Ada", "hi"))
	p.SetOpenThread("t1")
	if got := p.Flush(due); got != nil {
		t.Fatalf("thread opened during the window but got %+v", got)
	}
}

// A reply that came during a pause is not shown when the pause ends: it is
// not kept for later.
func TestSilencedRepliesAreNotAnnouncedLater(t *testing.T) {
	p := notify.New(notify.Config{Settings: notify.Settings{Enabled: true, PausedUntil: t0.Add(time.Hour)}})
	if reason, _ := p.Offer(t0, reply("t1", "Ada", "hi")); reason != notify.Paused {
		t.Fatalf("reason %q, want paused", reason)
	}
	p.SetSettings(notify.Settings{Enabled: true})
	if got := p.Flush(t0.Add(2 * time.Hour)); got != nil {
		t.Fatalf("after the pause: %+v, want nothing", got)
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
