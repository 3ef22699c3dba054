package notify

import (
	"fmt"
	"strings"
)

// handovers words a group holding several reassigned conversations, or
// reassigned conversations and replies: "5 conversations reassigned to you"
// (with who handed them over, and their note when all share one), or
// "2 new replies, 5 conversations reassigned to you". Either opens the
// Admin section: the reassigned conversations are listed there, and the
// replies' count is on the Unread filter already.
func (p *Policy) handovers(group []Reply, handed int) Note {
	replies := len(group) - handed
	var by, note []string
	seenBy, seenNote := map[string]bool{}, map[string]bool{}
	var names []string
	var campaign string
	seenThread := map[string]bool{}
	for _, r := range group {
		if !seenThread[r.ThreadID] {
			seenThread[r.ThreadID] = true
			names = append(names, Who(r))
		}
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
	title := plural(handed, "conversation", "conversations") + " reassigned to you"
	if replies > 0 {
		title = plural(replies, "new reply", "new replies") + ", " + title
	}
	var body string
	switch {
	case replies > 0 || len(group) > p.flood:
		body = "With " + list(names)
	case len(by) == 1 && len(note) == 1 && note[0] != "":
		body = upperFirst(by[0]) + ": " + note[0]
	default:
		body = "From " + list(by) + ": " + list(names)
	}
	return Note{ID: "replies", Title: title, Body: body, AdminCampaignID: campaign, Count: len(group)}
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
