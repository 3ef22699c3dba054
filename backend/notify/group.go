package notify

import (
	"fmt"
	"strings"
)

// handovers words a group holding several reassigned conversations, or
// reassigned conversations and replies: "5 conversations reassigned to you"
// (with who handed them over, and their note when all share one), or
// "2 new replies, 5 conversations reassigned to you" (tally's title). Either opens the
// Admin section: the reassigned conversations are listed there, and the
// replies' count is on the Unread filter already.
func (p *Policy) handovers(group []Reply, t tally) Note {
	var by, note []string
	seenBy, seenNote := map[string]bool{}, map[string]bool{}
	var campaign string
	for _, r := range group {
		if !r.Reassigned {
			continue
		}
		// The latest handover's campaign: a Reassign All is one action's.
		if r.CampaignID != "" {
			campaign = r.CampaignID
		}
		who := strings.TrimSpace(r.ReassignedBy)
		if who == "" {
			who = "a volunteer"
		}
		if !seenBy[who] {
			seenBy[who] = true
			by = append(by, who)
		}
		if n := strings.TrimSpace(r.Body); !seenNote[n] {
			seenNote[n] = true
			note = append(note, n)
		}
	}
	var body string
	switch {
	case t.handed < len(group) || len(group) > p.flood:
		body = "With " + list(t.names)
	case len(by) == 1 && len(note) == 1 && note[0] != "":
		body = upperFirst(by[0]) + ": " + note[0]
	default:
		body = "From " + list(by) + ": " + list(t.names)
	}
	return Note{ID: "replies", Title: t.title(), Body: body, AdminCampaignID: campaign, Count: len(group)}
}

// tally is what a group of several holds: each kind counted, the contacts
// named once each in the order they came. Every note of several uses its
// title, so a group never calls an opt-back-in or a handover a reply.
type tally struct {
	replies, backIns, handed int
	names                    []string
	backIn, lastReply        *Reply // the latest of each kind
}

func tallyOf(group []Reply) tally {
	var t tally
	seen := map[string]bool{}
	for i, r := range group {
		if !seen[r.ThreadID] {
			seen[r.ThreadID] = true
			t.names = append(t.names, Who(r))
		}
		switch {
		case r.Reassigned:
			t.handed++
		case r.OptedBackIn:
			t.backIns++
			t.backIn = &group[i]
		default:
			t.replies++
			t.lastReply = &group[i]
		}
	}
	return t
}

// title: "2 new replies, 1 contact opted back in, 5 conversations
// reassigned to you", naming only the kinds the group has.
func (t tally) title() string {
	var parts []string
	if t.replies > 0 {
		parts = append(parts, plural(t.replies, "new reply", "new replies"))
	}
	if t.backIns > 0 {
		parts = append(parts, plural(t.backIns, "contact", "contacts")+" opted back in")
	}
	if t.handed > 0 {
		parts = append(parts, plural(t.handed, "conversation", "conversations")+" reassigned to you")
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// word turns a group of replies into one notification.
func (p *Policy) word(group []Reply) Note {
	n := len(group)
	last := group[n-1]
	t := tallyOf(group)
	switch {
	case t.handed > 0 && (t.handed < n || t.handed > 1):
		// Several conversations reassigned at once (Reassign All
		// Conversations), perhaps with replies: they are not new replies.
		return p.handovers(group, t)
	case n > p.flood:
		return Note{ID: "replies", Title: t.title(), Body: "Open Textbank to read them.", CampaignID: oneCampaign(group), Count: n}
	case n == 1 && last.Reassigned:
		return Note{ID: "reply-" + last.ThreadID, Title: "Conversation with " + Who(last) + " reassigned to you",
			Body: handedOver(last), ThreadID: last.ThreadID, Count: 1}
	case n == 1 && last.OptedBackIn:
		return Note{ID: "reply-" + last.ThreadID, Title: optedBackInTitle(last), Body: optedBackIn(last), ThreadID: last.ThreadID, Count: 1}
	case n == 1:
		return Note{ID: "reply-" + last.ThreadID, Title: Who(last), Body: p.what(last), ThreadID: last.ThreadID, Count: 1}
	case len(t.names) == 1 && t.backIn != nil:
		// One contact texted and was opted back in (START, then the
		// organizer's lift): the opt-back-in is the news, the texts follow.
		body := optedBackIn(*t.backIn)
		if t.lastReply != nil && !p.settings.HideText {
			body += " Latest text: " + p.what(*t.lastReply)
		}
		return Note{ID: "reply-" + last.ThreadID, Title: optedBackInTitle(*t.backIn), Body: body, ThreadID: last.ThreadID, Count: n}
	case len(t.names) == 1:
		body := fmt.Sprintf("%d new replies", n)
		if !p.settings.HideText {
			body += ". Latest: " + p.what(last)
		}
		return Note{ID: "reply-" + last.ThreadID, Title: Who(last), Body: body, ThreadID: last.ThreadID, Count: n}
	default:
		return Note{ID: "replies", Title: t.title(), Body: "From " + list(t.names), CampaignID: oneCampaign(group), Count: n}
	}
}

// oneCampaign is the campaign every reply of group comes from, or "" when
// they come from several (or one is not known).
func oneCampaign(group []Reply) string {
	c := group[0].CampaignID
	for _, r := range group[1:] {
		if r.CampaignID != c {
			return ""
		}
	}
	return c
}
