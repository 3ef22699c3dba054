package app

import (
	"encoding/json"
	"time"

	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/notify"
)

// replyNotice is the reply:new payload. It is read through JSON so that
// fields the client may add later (contactPhone, optedOut...) are used
// when present, and looked up in the cache when not.
type replyNotice struct {
	ThreadID      string `json:"threadId"`
	CampaignID    string `json:"campaignId"`
	ContactName   string `json:"contactName"`
	ContactPhone  string `json:"contactPhone"`
	Body          string `json:"body"`
	Reassigned    bool   `json:"reassigned"`
	ReassignedBy  string `json:"reassignedBy"`
	OptedBackIn   bool   `json:"optedBackIn"`
	OptedBackInBy string `json:"optedBackInBy"`
	OptOutUndone  bool   `json:"optOutUndone"`
}

func (s *Shell) offer(payload any, session int) {
	if s.cfg.Policy == nil {
		return
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return
	}
	var n replyNotice
	if err := json.Unmarshal(raw, &n); err != nil || n.ThreadID == "" {
		s.log.Warn().Err(err).Msg("reply notice without a thread")
		return
	}
	r := notify.Reply{ThreadID: n.ThreadID, CampaignID: n.CampaignID, ContactName: n.ContactName, ContactPhone: n.ContactPhone, Body: n.Body,
		Reassigned: n.Reassigned, ReassignedBy: n.ReassignedBy, OptedBackIn: n.OptedBackIn, OptedBackInBy: n.OptedBackInBy,
		OptOutUndone: n.OptOutUndone}
	// The thread tells who the contact is now (opted out? blocked?) and the
	// action. Whether the reply is news the cache has decided (by the feed's
	// order, no clock): every one it calls news is offered.
	if v, err := s.cfg.Inbox.Thread(s.context(), n.ThreadID); err == nil {
		t := v.Thread
		r.ContactName, r.ContactPhone, r.OptedOut, r.Blocked, r.Action = t.ContactName, t.ContactPhone, t.OptedOut, t.Blocked, v.ActionTitle
		if r.CampaignID == "" {
			r.CampaignID = t.CampaignID
		}
	} else {
		s.log.Debug().Err(err).Str("thread", n.ThreadID).Msg("reply notice for a thread not in the cache")
	}
	now := s.cfg.Now()
	// Offered whole or not at all across a sign-out (signedOut takes offerMu).
	s.offerMu.Lock()
	defer s.offerMu.Unlock()
	s.mu.Lock()
	stale := session != s.session
	s.mu.Unlock()
	if stale {
		return // the account signed out while this reply was read
	}
	reason, due := s.cfg.Policy.Offer(now, r)
	s.log.Debug().Str("thread", r.ThreadID).Str("decision", string(reason)).Msg("reply notice")
	if reason != notify.Queued {
		return
	}
	s.mu.Lock()
	if s.flushTimer == nil {
		s.flushTimer = time.AfterFunc(due.Sub(now), s.flush)
	}
	s.mu.Unlock()
}

func (s *Shell) flush() {
	s.mu.Lock()
	s.flushTimer = nil
	s.mu.Unlock()
	st, _ := s.loadPrefs() // a file read: done before the lock
	// Taken from the policy under offerMu, as signedOut drops the policy's
	// group under it, with the session they belong to. They are shown
	// outside it: a slow notification daemon (a D-Bus call may take its
	// 25 s timeout) must not hold up a sign-out or the next replies.
	s.offerMu.Lock()
	s.mu.Lock()
	n, session := s.notifier, s.session
	s.mu.Unlock()
	notes := s.cfg.Policy.Flush(s.cfg.Now())
	s.offerMu.Unlock()
	if n == nil || len(notes) == 0 {
		return
	}
	for _, note := range notes {
		if err := n.Notify(note, st.Sound); err != nil {
			s.log.Warn().Err(err).Msg("show notification")
			continue
		}
		s.log.Info().Str("note", note.ID).Int("covers", note.Count).Msg("notification shown")
	}
	// A sign-out while they were being shown may have taken back the notes
	// on screen before these appeared: these name the contacts of the
	// account that left, so they are taken back too.
	s.mu.Lock()
	signedOut := s.session != session
	s.mu.Unlock()
	if signedOut {
		if err := n.WithdrawAll(); err != nil {
			s.log.Warn().Err(err).Msg("withdraw notifications shown across a sign-out")
		}
	}
}

// SetOpenThread is told which thread is on screen ("" for none); a hidden
// window has none on screen whatever was open in it.
func (s *Shell) SetOpenThread(id string) {
	s.mu.Lock()
	s.openThread = id
	visible := s.visible
	s.mu.Unlock()
	if s.cfg.Policy != nil && visible {
		s.cfg.Policy.SetOpenThread(id)
	}
}

// onNotification handles a click on a notification: Open goes where the
// note's news is (its thread; for conversations reassigned at once, the
// Admin section listing them; else the unread replies).
func (s *Shell) onNotification(action string, note notify.Note) {
	threadID := note.ThreadID
	if action == ActionRead && threadID != "" {
		if err := s.cfg.Inbox.MarkRead(s.context(), threadID); err != nil {
			s.log.Warn().Err(err).Str("thread", threadID).Msg("mark as read from a notification")
		}
		s.RefreshUnread()
		return
	}
	s.log.Info().Str("thread", threadID).Str("admin", note.AdminCampaignID).Msg("opened from a notification")
	s.ShowWindow()
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win == nil {
		return
	}
	switch {
	case threadID != "":
		win.Emit(EventNavigateThread, threadID)
	case note.AdminCampaignID != "":
		win.Emit(EventNavigateAdmin, note.AdminCampaignID)
	default:
		win.Emit(EventNavigateInbox, InboxTarget{Filter: string(inbox.Unread), CampaignID: note.CampaignID})
	}
}
