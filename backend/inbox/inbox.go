// Package inbox holds the inbox rules of SPEC.md feature 5 as pure functions
// over a thread's state: which filter lists a thread, what unread and needs
// attention mean, and how a thread moves in and out of the archive. It speaks
// its own small types, not the wire's: the app's cache and the server adapt
// their rows to State. The cache stores the results in derived columns and
// filters with SQL; its tests check the SQL against Matches.
package inbox

import (
	"fmt"
	"strings"
	"time"
)

// Filter is one of the inbox filters the volunteer picks on the left.
type Filter string

const (
	All            Filter = "all"
	Unread         Filter = "unread"
	NeedsAttention Filter = "needs_attention"
	Archive        Filter = "archive"
	Friends        Filter = "friends"
	Team           Filter = "team"
	Canvassing     Filter = "canvassing"
)

// Filters lists every filter in the order the inbox shows them.
var Filters = []Filter{All, Unread, NeedsAttention, Archive, Friends, Team, Canvassing}

// ParseFilter accepts a filter name, naming the bad one otherwise.
func ParseFilter(name string) (Filter, error) {
	for _, f := range Filters {
		if string(f) == name {
			return f, nil
		}
	}
	names := make([]string, len(Filters))
	for i, f := range Filters {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown inbox filter %q (want one of %s)", name, strings.Join(names, ", "))
}

// The action types the label filters select. They are the same strings as
// the wire's action types (api.ActionFriends...); a test keeps them equal.
const (
	TypeFriends    = "friends"
	TypeTeam       = "team"
	TypeCanvassing = "canvassing"
)

// ActionType is the action type a label filter selects, "" for the others.
func (f Filter) ActionType() string {
	switch f {
	case Friends:
		return TypeFriends
	case Team:
		return TypeTeam
	case Canvassing:
		return TypeCanvassing
	}
	return ""
}

// State is what the rules need to know about a thread. Nil times mean
// "never".
type State struct {
	ActionType     string
	Archived       bool
	OptedOut       bool
	Blocked        bool
	LastInboundAt  *time.Time
	LastOutboundAt *time.Time
	LastReadAt     *time.Time
	LastReportAt   *time.Time
	// LastLikelyOptOutAt is the latest inbound text that reads like a
	// request to stop without being an exact keyword.
	LastLikelyOptOutAt *time.Time
	// ReportedThrough is the newest reply a report on the thread was filed
	// after: the newest one the app held when the volunteer filled it (the
	// report's at), not when it was filed or reached the server.
	ReportedThrough *time.Time
	// AnsweredThrough is the newest reply the volunteer's answers reach:
	// the newest one the app held when they wrote the latest (a reply's
	// at, AnswerCovers), not when it reached the server. Nil: answers
	// that did not say (an older app, a thread from an older server),
	// each reaching every reply before it went (LastOutboundAt).
	AnsweredThrough *time.Time
}

// ReplyIsNewWork says whether a reply, as it arrives, is new work for the
// thread's owner: it makes the thread unread, may put it in Needs Attention
// and brings it out of the archive. A reply from a contact who has opted out
// (a START, a "who is this?") or been blocked is kept and shown in the
// thread but is not: the volunteer can do nothing with it (features 8 and
// 9), and an opt-in is for the campaign's admins to decide. A STOP is new
// work: the contact had not opted out yet when it came, and the volunteer
// sees it once as unread (never in Needs Attention).
//
// The server decides when the reply arrives, and only new work moves the
// thread's LastInboundAt; every rule here reads that time, so the app's
// cache takes it as the server sent it and does not move it with the
// inbound messages it holds.
func ReplyIsNewWork(optedOut, blocked bool) bool { return !optedOut && !blocked }

// IsUnread: an inbound message arrived after the volunteer last opened the
// thread. A blocked contact's messages are kept for admins, not shown to the
// volunteer as new work (feature 9), so they never make a thread unread.
func IsUnread(s State) bool {
	if s.Blocked || s.LastInboundAt == nil {
		return false
	}
	return s.LastReadAt == nil || s.LastInboundAt.After(*s.LastReadAt)
}

// NeedsAttentionNow: the contact replied and either got no reply back since,
// or no report has ever been filed on the conversation (submitting any report
// clears that half, feature 7). Opted-out and blocked contacts never need
// attention (features 8 and 9).
func NeedsAttentionNow(s State) bool {
	if s.OptedOut || s.Blocked || s.LastInboundAt == nil {
		return false
	}
	if OptOutUndecided(s) {
		return true
	}
	return !Answered(s) || s.LastReportAt == nil
}

// Answered: the contact's latest reply got an answer back. A text that
// went after it (an outbound at the very same instant is not an answer to
// it: only a later one is), and written with it in the app: an answer
// written offline before it came, or queued behind a slow push, goes after
// it all the same, dated by the server when it takes it, but answers only
// the replies the volunteer had (AnsweredThrough).
func Answered(s State) bool {
	if s.LastInboundAt == nil {
		return true
	}
	if s.LastOutboundAt == nil || !s.LastOutboundAt.After(*s.LastInboundAt) {
		return false
	}
	return s.AnsweredThrough == nil || !s.LastInboundAt.After(*s.AnsweredThrough)
}

// AwaitsAnswer: the contact replied and their latest reply has no answer
// back, the Admin section's "Not answered yet". A contact who opted out or
// was blocked waits for nothing (features 8 and 9), and one who never
// replied asked nothing.
func AwaitsAnswer(s State) bool {
	return !s.OptedOut && !s.Blocked && !Answered(s)
}

// AnsweredSQL says, over a messages row's status and error columns,
// whether an outbound text counts as an answer to the contact ("got no
// reply back since": Needs Attention, and the Admin section's Not answered
// yet): one refused before it went, failed or undelivered never reached
// them, and one whose fate the provider could not confirm (status unknown,
// an error with it) is not counted as reaching them either: the volunteer
// had better answer again than leave a question unanswered. The stores
// that ask it, the app's cache and the server's (both engines), ask it so.
const AnsweredSQL = `(error = '' AND status NOT IN ('failed', 'undelivered'))`

// Reached is AnsweredSQL over one text's status and error, for a server
// that has just recorded them: an answer that did not reach the contact
// no longer answers them (the thread's reach is worked out again).
func Reached(status, errText string) bool {
	return errText == "" && status != "failed" && status != "undelivered"
}

// OptOutUndecided: a text that reads like a request to stop (a likely
// opt-out) has had no report filed by a volunteer who had it, so nobody has
// decided yet (the thread shows "This may be an opt-out request" and stays in
// Needs Attention). A report filed with it in the app, whatever it says,
// decides; one filled before it came, even if it reached the server after
// (queued offline), does not: the volunteer never saw the request.
func OptOutUndecided(s State) bool {
	if s.OptedOut || s.Blocked || s.LastLikelyOptOutAt == nil {
		return false
	}
	return s.ReportedThrough == nil || s.LastLikelyOptOutAt.After(*s.ReportedThrough)
}

// Matches says whether a thread in state s is listed under filter f.
func Matches(f Filter, s State) bool { return Listed(f, FlagsOf(s)) }

// Flags are what the filters test of a thread, once its unread and needs
// attention marks are worked out: what the cache stores per thread.
type Flags struct {
	ActionType     string
	Archived       bool
	Unread         bool
	NeedsAttention bool
}

// FlagsOf works out a thread's flags from its state.
func FlagsOf(s State) Flags {
	return Flags{ActionType: s.ActionType, Archived: s.Archived, Unread: IsUnread(s), NeedsAttention: NeedsAttentionNow(s)}
}

// Listed says whether a thread with these flags is listed under filter f.
// Archived threads show only under Archive; the action-type labels list the
// unarchived threads of their type, like All does.
func Listed(f Filter, fl Flags) bool {
	if f == Archive {
		return fl.Archived
	}
	if fl.Archived {
		return false
	}
	switch f {
	case All:
		return true
	case Unread:
		return fl.Unread
	case NeedsAttention:
		return fl.NeedsAttention
	case Friends, Team, Canvassing:
		return fl.ActionType == f.ActionType()
	}
	return false
}

// FiltersOf lists every filter a thread with these flags is listed under, in
// the order of Filters: what the window needs to place a changed row.
func FiltersOf(fl Flags) []Filter {
	out := make([]Filter, 0, 3)
	for _, f := range Filters {
		if Listed(f, fl) {
			out = append(out, f)
		}
	}
	return out
}
