package sync

import (
	"encoding/json"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// ChangeSummary tells the app what a round changed in the cache.
type ChangeSummary struct {
	// NewInbound lists inbound messages the cache had never seen (empty
	// until a first pull has completed: that brings history, not news).
	NewInbound []cache.NewInbound
	// Reassigned lists threads handed to the user (empty on a first pull).
	Reassigned []cache.NewReassigned
	// OptedBackIn lists threads whose contact an admin opted back in.
	OptedBackIn []cache.NewOptedBackIn
	Rejected    []Rejection
	// Left lists the campaigns the cache dropped: the user is no longer
	// in them (also told on a first pull: the cache held them before).
	Left []cache.LeftCampaign
	// Threads are the threads whose content or inbox state may have
	// changed; Campaigns, Actions and Queue say those lists changed; All
	// means too much changed to list (the first pull, a deleted message).
	Threads   []string
	Campaigns bool
	Actions   bool
	Queue     bool
	All       bool
	// Profile is the signed-in account as the server has it now, when a
	// round brought it (renamed elsewhere): the cache keeps it as the
	// session's user; the app renders texts with it from then on.
	Profile *api.User
}

// maxListedThreads bounds ChangeSummary.Threads: past it, All is cheaper for
// the window than updating threads one by one.
const maxListedThreads = 200

// add notes what one sync page changed.
func (s *ChangeSummary) add(changes []api.Change) {
	var ids []string
	thread := func(id string) { ids = append(ids, id) }
	defer func() { s.addThreads(ids) }()
	for _, ch := range changes {
		switch ch.Kind {
		case api.KindCampaign:
			s.Campaigns, s.All = true, s.All || ch.Deleted
		case api.KindAction:
			s.Actions = true
		case api.KindAssignment:
			s.Queue = true
		case api.KindThread, api.KindHandover, api.KindContact:
			thread(ch.ID)
		case api.KindMessage, api.KindReport:
			var ref struct {
				ThreadID string `json:"threadId"`
			}
			if ch.Deleted || json.Unmarshal(ch.Data, &ref) != nil || ref.ThreadID == "" {
				s.All = true
				continue
			}
			thread(ref.ThreadID)
		case api.KindSettings:
			// Automatic Archive changed (here or on another desktop): the
			// window shows the setting, and pending reports may move threads.
			s.All = true
		case api.KindProfile:
			var u api.User
			if !ch.Deleted && json.Unmarshal(ch.Data, &u) == nil && u.ID == ch.ID {
				// The texts the send screen shows are rendered with the
				// volunteer's name: it asks for them again.
				s.Profile, s.Queue = &u, true
			}
		default:
			s.All = true
		}
	}
}

// addThreads notes threads whose content may have changed.
func (s *ChangeSummary) addThreads(ids []string) {
	seen := make(map[string]bool, len(s.Threads))
	for _, id := range s.Threads {
		seen[id] = true
	}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			s.Threads = append(s.Threads, id)
		}
	}
	if len(s.Threads) > maxListedThreads {
		s.All = true
	}
}

// empty: nothing for the window to hear about.
func (s ChangeSummary) empty() bool {
	return len(s.NewInbound) == 0 && len(s.Reassigned) == 0 && len(s.OptedBackIn) == 0 && len(s.Rejected) == 0 && len(s.Threads) == 0 && len(s.Left) == 0 &&
		!s.Campaigns && !s.Actions && !s.Queue && !s.All && s.Profile == nil
}
