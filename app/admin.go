package app

import (
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/words"
)

// Admin is bound to the window for campaign admins: the Admin section.
// The server checks the role; volunteers get an error.
type Admin struct{ core *Core }

func NewAdmin(core *Core) *Admin { return &Admin{core: core} }

// Overview is the Admin section of a campaign: threads reassigned to the
// caller, reports of abuse, unroutable texts and opt-ins (START/UNSTOP),
// with contacts and numbers as the window shows them (the client makes
// the display forms; the server's API keeps E.164).
func (a *Admin) Overview(campaignID string) (client.AdminOverview, error) {
	v, err := a.core.Client.AdminOverview(a.core.context(), campaignID)
	return v, a.core.said("Admin.Overview", err)
}

// Results are each of the campaign's actions' results per initial script
// (the A/B comparison), as `textbankd stats` prints them. Admins only.
func (a *Admin) Results(campaignID string) (api.CampaignResults, error) {
	res, err := a.core.Client.AdminResults(a.core.context(), campaignID)
	if res.Actions == nil {
		res.Actions = []api.ActionResults{}
	}
	return res, a.core.said("Admin.Results", err)
}

// Thread is the latest texts of one conversation of the campaign (a blocked
// one, from a report of abuse), oldest first, as many as one answer holds
// (earlier: how many come before them), and the organization's opt-out of
// its number if any. Admins only: the server checks.
func (a *Admin) Thread(campaignID, threadID string) (api.MessagesResponse, error) {
	v, err := a.core.Client.AdminThread(a.core.context(), campaignID, threadID)
	return withMessages(v), a.core.said("Admin.Thread", err)
}

// EarlierTexts is the texts of that conversation before the one whose id is
// before (Show earlier texts), as many as one answer holds, and how many are
// left before them. Admins only: the server checks.
func (a *Admin) EarlierTexts(campaignID, threadID, before string) (api.MessagesResponse, error) {
	v, err := a.core.Client.EarlierTexts(a.core.context(), campaignID, threadID, before)
	return withMessages(v), a.core.said("Admin.EarlierTexts", err)
}

// OptOuts is a page of the campaign's opted-out conversations, the newest
// opt-out first (after "" for the first page, else the last one's next),
// each with its opt-out as Thread gives it. Admins only: the server checks.
func (a *Admin) OptOuts(campaignID, after string) (api.AdminOptOutsResponse, error) {
	v, err := a.core.Client.AdminOptOuts(a.core.context(), campaignID, after)
	return v, a.core.said("Admin.OptOuts", err)
}

// UndoOptOut lifts the organization's opt-out of a conversation's number
// that reports filed by mistake, as the admin saw it (optedOutAt, the
// opt-out's at as Thread gave it), straight at the server: offline it fails
// and says so. The time comes as text: a time.Time parameter would make the
// bindings type every time of the window's as an object, not the string
// JSON carries.
func (a *Admin) UndoOptOut(campaignID, threadID, optedOutAt string) (api.MessagesResponse, error) {
	at, err := time.Parse(time.RFC3339Nano, optedOutAt)
	if err != nil {
		// The window sends back what Thread gave: a bug, said plainly.
		return api.MessagesResponse{}, a.core.said("Admin.UndoOptOut", words.Errorf("the opt-out's time %q is not one the server gave: read the conversation again", optedOutAt))
	}
	v, err := a.core.Client.UndoOptOut(a.core.waiting(CallUndoOptOut, threadID), campaignID, threadID, at)
	return withMessages(v), a.core.said("Admin.UndoOptOut", err)
}

// withMessages is v with an empty list for none: the window reads an array.
func withMessages(v api.MessagesResponse) api.MessagesResponse {
	if v.Messages == nil {
		v.Messages = []api.Message{}
	}
	return v
}

// HandledUnroutable lists the campaign's unroutable texts marked handled,
// newest first (the overview lists the open ones). Admins only.
func (a *Admin) HandledUnroutable(campaignID string) ([]client.UnroutableText, error) {
	list, err := a.core.Client.HandledUnroutable(a.core.context(), campaignID)
	if list == nil {
		list = []client.UnroutableText{}
	}
	return list, a.core.said("Admin.HandledUnroutable", err)
}

// SetUnroutableHandled marks an unroutable text handled (handled true) or
// open again, straight at the server: offline it fails and says so.
func (a *Admin) SetUnroutableHandled(campaignID, textID string, handled bool) (client.UnroutableText, error) {
	v, err := a.core.Client.SetUnroutableHandled(a.core.waiting(CallMark, textID), campaignID, textID, handled)
	return v, a.core.said("Admin.SetUnroutableHandled", err)
}

// ReviewedAbuseReports lists the campaign's reports of abuse marked
// reviewed, newest first (the overview lists the open ones). Admins only.
func (a *Admin) ReviewedAbuseReports(campaignID string) ([]api.AbuseReport, error) {
	list, err := a.core.Client.ReviewedAbuseReports(a.core.context(), campaignID)
	if list == nil {
		list = []api.AbuseReport{}
	}
	return list, a.core.said("Admin.ReviewedAbuseReports", err)
}

// SetAbuseReportReviewed marks a report of abuse reviewed (reviewed true)
// or open again, straight at the server: offline it fails and says so.
func (a *Admin) SetAbuseReportReviewed(campaignID, reportID string, reviewed bool) (api.AbuseReport, error) {
	v, err := a.core.Client.SetAbuseReportReviewed(a.core.waiting(CallMark, reportID), campaignID, reportID, reviewed)
	return v, a.core.said("Admin.SetAbuseReportReviewed", err)
}

// ReviewedOptIns lists the campaign's opt-ins marked reviewed, newest
// first (the overview lists the open ones). Admins only.
func (a *Admin) ReviewedOptIns(campaignID string) ([]api.OptIn, error) {
	list, err := a.core.Client.ReviewedOptIns(a.core.context(), campaignID)
	if list == nil {
		list = []api.OptIn{}
	}
	return list, a.core.said("Admin.ReviewedOptIns", err)
}

// SetOptInReviewed marks an opt-in reviewed (reviewed true) or open again,
// straight at the server: offline it fails and says so.
func (a *Admin) SetOptInReviewed(campaignID, optInID string, reviewed bool) (api.OptIn, error) {
	v, err := a.core.Client.SetOptInReviewed(a.core.waiting(CallMark, optInID), campaignID, optInID, reviewed)
	return v, a.core.said("Admin.SetOptInReviewed", err)
}

// OptBackIn lifts the organization's opt-out of a contact who texted START
// and marks the opt-in reviewed, straight at the server: offline it fails
// and says so.
func (a *Admin) OptBackIn(campaignID, optInID string) (api.OptIn, error) {
	v, err := a.core.Client.OptBackIn(a.core.waiting(CallOptBackIn, optInID), campaignID, optInID)
	return v, a.core.said("Admin.OptBackIn", err)
}
