package client

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/texting"
)

const (
	// maxPage bounds one page of the thread list.
	maxPage = 500
)

// Counts returns the number of threads under each filter ("" campaign: all).
func (c *Client) Counts(ctx context.Context, campaignID string) (Counts, error) {
	ch, _, _, err := c.state()
	if err != nil {
		return nil, err
	}
	m, err := ch.Counts(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	out := make(Counts, len(m))
	for f, n := range m {
		out[string(f)] = n
	}
	return out, nil
}

// Threads lists a page of threads under a filter, newest first, optionally
// searched by name or number.
func (c *Client) Threads(ctx context.Context, filter, campaignID, query string, offset, limit int) ([]ThreadSummary, error) {
	f, err := inbox.ParseFilter(filter)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, maxPage)
	ch, _, _, err := c.state()
	if err != nil {
		return nil, err
	}
	rows, err := ch.Threads(ctx, cache.ThreadQuery{Filter: f, CampaignID: campaignID, Search: query, Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	return summaries(rows), nil
}

func summaries(rows []cache.ThreadRow) []ThreadSummary {
	out := make([]ThreadSummary, len(rows))
	for i, r := range rows {
		out[i] = ThreadSummary{
			ID: r.ID, CampaignID: r.CampaignID, ActionID: r.ActionID,
			ContactName: texting.DisplayName(r.ContactName, r.ContactPhone), ContactPhone: r.ContactPhone, ContactPhoneDisplay: phone.Display(r.ContactPhone),
			ActionType: r.ActionType, ActionTitle: r.ActionTitle,
			LastMessage: r.LastMessage, LastMessageAt: r.LastMessageAt, LastFromUs: r.LastFromUs,
			Unread: r.Unread, NeedsAttention: r.NeedsAttention, OptOutUndecided: r.OptOutUndecided, Unanswered: r.Unanswered, Archived: r.Archived, OptedOut: r.OptedOut,
			ReassignedFrom: r.ReassignedFrom,
			Filters:        filterNames(inbox.FiltersOf(inbox.Flags{ActionType: r.ActionType, Archived: r.Archived, Unread: r.Unread, NeedsAttention: r.NeedsAttention})),
		}
		if r.Archived {
			out[i].ArchivedReason = archiveReason(r.ArchivedReason)
		}
	}
	return out
}

func filterNames(fs []inbox.Filter) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

// archiveReason is never "" for an archived thread: one archived before
// reasons were recorded counts as archived by the volunteer.
func archiveReason(r string) string {
	switch r {
	case ArchivedByReport, ArchivedInactive:
		return r
	}
	return ArchivedByUser
}

// Thread opens a thread, with the action's response scripts rendered for
// this contact. A script that cannot be rendered for them is left out (and
// logged) rather than offered with a hole in it.
func (c *Client) Thread(ctx context.Context, id string) (ThreadView, error) {
	ch, sess, _, err := c.state()
	if err != nil {
		return ThreadView{}, err
	}
	d, err := ch.Thread(ctx, id)
	if err != nil {
		return ThreadView{}, notFound(err, notInInbox)
	}
	v := ThreadView{Thread: d.Thread, Archived: d.Thread.Archived, Messages: make([]MessageView, len(d.Messages)),
		ResponseScripts: []api.ResponseScript{}, Reports: d.Reports, PendingReports: d.PendingReports}
	if v.Reports == nil {
		v.Reports = []api.Report{}
	}
	oldestFirst := make([]map[string]string, len(v.Reports))
	for i := range v.Reports {
		// A report still on its way is this volunteer's own.
		if v.Reports[i].SubmittedBy == "" && sess != nil {
			v.Reports[i].SubmittedBy, v.Reports[i].SubmittedByName = sess.User.ID, sess.User.Name
		}
		oldestFirst[len(v.Reports)-1-i] = v.Reports[i].Values
	}
	v.LatestReport = report.Latest(oldestFirst)
	if v.Archived {
		reasons, err := ch.ArchivedReasons(ctx, []string{id})
		if err != nil {
			return ThreadView{}, err
		}
		v.ArchivedReason = archiveReason(reasons[id])
	}
	failed := false
	for i, m := range d.Messages {
		msg := m.Message
		if m.Error != "" { // the server refused it: its reason wins over any provider error
			msg.Error = m.Error
		}
		v.Messages[i] = MessageView{Message: msg, Pending: m.Pending}
		failed = failed || m.Error != ""
	}
	if failed {
		if err := c.explainFailures(ctx, ch, v.Messages); err != nil {
			return ThreadView{}, err
		}
	}
	// The cache's, with the reports still on their way laid over.
	v.OptOutSuggested = d.OptOutUndecided
	v.ReportFields, v.ContactDetails = []api.ReportField{}, []texting.Detail{}
	known, err := ch.KnownFields(ctx, d.Thread.ActionID)
	if err != nil {
		return ThreadView{}, err
	}
	action, err := ch.Action(ctx, d.Thread.ActionID)
	if errors.Is(err, cache.ErrNotFound) {
		// The action went away; the conversation still reads.
		v.RemovedFields = removedFields(v.Reports, nil, known)
		return v, nil
	}
	if err != nil {
		return ThreadView{}, err
	}
	v.RemovedFields = removedFields(v.Reports, action.ReportFields, known)
	v.ActionTitle, v.AllowFreeText, v.TextingHours = action.Title, action.AllowFreeText, action.TextingHours
	if action.ReportFields != nil {
		v.ReportFields = action.ReportFields
	}
	user := api.User{}
	if sess != nil {
		user = sess.User
	}
	values, details, err := c.contactValues(ctx, ch, d.Thread, user)
	if err != nil {
		return ThreadView{}, err
	}
	v.ContactDetails = details
	for _, rs := range action.ResponseScripts {
		body, err := script.Render(rs.Body, values)
		if err != nil {
			c.log.Warn().Err(err).Str("script", rs.ID).Str("thread", id).Msg("response script cannot be rendered for this contact")
			continue
		}
		rs.Body = body
		v.ResponseScripts = append(v.ResponseScripts, rs)
	}
	// The heading names the contact by number when they have no name (the
	// merge values above kept the empty name for the scripts' fallbacks).
	v.Thread.ContactName = texting.DisplayName(v.Thread.ContactName, v.Thread.ContactPhone)
	v.ContactPhoneDisplay = phone.Display(v.Thread.ContactPhone)
	return v, nil
}

// contactValues are the merge values for a thread's contact, and its
// columns to show: the fields remembered from their assignment (or asked
// for, backend/sync/contacts.go), or what the thread itself says.
func (c *Client) contactValues(ctx context.Context, ch *cache.Cache, t api.Thread, user api.User) (map[string]string, []texting.Detail, error) {
	a, ok, err := ch.Contact(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return texting.MergeValues(texting.ContactFromName(t.ContactName), texting.Volunteer{Name: user.Name}), []texting.Detail{}, nil
	}
	details := texting.Details(textingContact(a))
	if details == nil {
		details = []texting.Detail{}
	}
	return mergeValues(a, user), details, nil
}

// MarkRead marks a thread read.
func (c *Client) MarkRead(ctx context.Context, id string) error {
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	if err := ch.MarkRead(ctx, id, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, threadChange(id))
	return nil
}

// SendReply queues a reply. When the action does not allow typed replies the
// body must be one of its response scripts as rendered for this contact.
func (c *Client) SendReply(ctx context.Context, threadID, body, responseScriptID string) error {
	body = strings.TrimSpace(body)
	if body == "" {
		return userError("the reply is empty: type one or pick a response script")
	}
	if n := utf8.RuneCountInString(body); n > texting.MaxLength {
		return userErrorf("the reply is %d characters; texts can be at most %d", n, texting.MaxLength)
	}
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	view, err := c.Thread(ctx, threadID)
	if err != nil {
		return err
	}
	if view.Thread.OptedOut {
		return userErrorf("%s has opted out and cannot be texted again", contactLabel(view.Thread.ContactName, view.Thread.ContactPhone))
	}
	if view.Thread.Blocked {
		return userErrorf("%s is blocked", contactLabel(view.Thread.ContactName, view.Thread.ContactPhone))
	}
	var picked *api.ResponseScript
	if responseScriptID != "" {
		for i := range view.ResponseScripts {
			if view.ResponseScripts[i].ID == responseScriptID {
				picked = &view.ResponseScripts[i]
			}
		}
		if picked == nil {
			return userErrorf("response script %q is not one of this action's", responseScriptID)
		}
	}
	if !view.AllowFreeText {
		if picked == nil {
			for i := range view.ResponseScripts {
				if strings.TrimSpace(view.ResponseScripts[i].Body) == body {
					picked = &view.ResponseScripts[i]
					break
				}
			}
		}
		if picked == nil || strings.TrimSpace(picked.Body) != body {
			return userError("this action does not allow typed replies: pick a response script under Follow Up and send it as it is")
		}
		responseScriptID = picked.ID
	}
	if err := ch.Reply(ctx, threadID, newID(), body, responseScriptID, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, threadChange(threadID))
	return nil
}

// Archive archives (or unarchives) a thread.
func (c *Client) Archive(ctx context.Context, threadID string, archived bool) error {
	ch, _, eng, err := c.signedIn()
	if err != nil {
		return err
	}
	if err := ch.Archive(ctx, threadID, archived, time.Now()); err != nil {
		return notFound(err, notInInbox)
	}
	c.changed(eng, threadChange(threadID))
	return nil
}

// SetOpenThread says which thread is on screen ("" for none). Replies that
// arrive to it are marked read at once: no unread mark, no notification.
func (c *Client) SetOpenThread(threadID string) {
	c.openThread.Store(&threadID)
}

// OpenThread is the thread on screen, "" for none.
func (c *Client) OpenThread() string {
	if p := c.openThread.Load(); p != nil {
		return *p
	}
	return ""
}

// explainFailures puts the reason a refused message failed in the
// volunteer's words, from the refusal kept in the outbox.
func (c *Client) explainFailures(ctx context.Context, ch *cache.Cache, msgs []MessageView) error {
	rows, err := ch.Outbox(ctx)
	if err != nil {
		return err
	}
	byMessage := map[string]cache.OutboxRow{}
	for _, r := range rows {
		if r.Rejected && r.Mutation.MessageID != "" {
			byMessage[r.Mutation.MessageID] = r
		}
	}
	for i := range msgs {
		if r, ok := byMessage[msgs[i].ID]; ok && msgs[i].Error != "" {
			msgs[i].Error = volunteerReason(r.Mutation.Type, r.Code, r.Reason)
		}
	}
	return nil
}
