package client

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/texting"
)

// The Admin section reads the server's answers (api types, numbers in
// E.164, as every API keeps them) as the window shows them: each contact
// named as the inbox names them (texting.DisplayName) and each number as
// people read it (phone.Display), so the window formats nothing itself.

// AdminOverview is a campaign's Admin section as the window shows it
// (api.AdminOverview): ContactName of each reassigned conversation, report
// of abuse and opt-in is how the contact is shown; the unroutable texts
// carry their numbers' display forms; each reassigned conversation says
// whether its contact waits for an answer.
type AdminOverview struct {
	Reassigned           []ReassignedThread `json:"reassigned"`
	AbuseReports         []api.AbuseReport  `json:"abuseReports"`
	AbuseReportsReviewed int                `json:"abuseReportsReviewed"`
	Unroutable           []UnroutableText   `json:"unroutable"`
	UnroutableHandled    int                `json:"unroutableHandled"`
	OptIns               []api.OptIn        `json:"optIns"`
	OptInsReviewed       int                `json:"optInsReviewed"`
	// All the rows each list would hold; a list shows the newest 200.
	ReassignedTotal  int `json:"reassignedTotal"`
	AbuseReportsOpen int `json:"abuseReportsOpen"`
	UnroutableOpen   int `json:"unroutableOpen"`
	OptInsOpen       int `json:"optInsOpen"`
}

// ReassignedThread is a conversation reassigned to the caller, and whether
// its contact waits for an answer ("Not answered yet"), judged here by the
// inbox's rule so that the window does not judge it a second time.
type ReassignedThread struct {
	api.Thread
	AwaitsAnswer bool `json:"awaitsAnswer"`
}

func reassignedThreads(list []api.Thread) []ReassignedThread {
	out := make([]ReassignedThread, len(list))
	for i, t := range list {
		t.ContactName = texting.DisplayName(t.ContactName, t.ContactPhone)
		out[i] = ReassignedThread{Thread: t, AwaitsAnswer: inbox.AwaitsAnswer(cache.InboxState(t))}
	}
	return out
}

// UnroutableText is an unroutable text with its numbers as people read
// them; ContactName stays "" when the sender is no contact of the campaign.
type UnroutableText struct {
	api.UnroutableText
	FromDisplay string `json:"fromDisplay"`
	ToDisplay   string `json:"toDisplay"`
	// OptedOut: the text is an opt-out keyword, which opted the number out
	// of the organization as it arrived (the server's rule, optout.Match),
	// so nobody should text them from another phone either.
	OptedOut bool `json:"optedOut"`
}

func unroutableText(u api.UnroutableText) UnroutableText {
	return UnroutableText{UnroutableText: u, FromDisplay: phone.Display(u.From), ToDisplay: phone.Display(u.To), OptedOut: optout.Match(u.Body)}
}

func unroutableTexts(list []api.UnroutableText) []UnroutableText {
	out := make([]UnroutableText, len(list))
	for i, u := range list {
		out[i] = unroutableText(u)
	}
	return out
}

// AdminOverview is a campaign's Admin section: conversations reassigned to
// the caller, reports of abuse, unroutable texts and opt-ins. It asks the
// server, which answers admins only.
func (c *Client) AdminOverview(ctx context.Context, campaignID string) (AdminOverview, error) {
	ov, err := adminCall(c, ctx, func(cctx context.Context) (api.AdminOverview, error) { return c.api.AdminOverview(cctx, campaignID) })
	if err != nil {
		return AdminOverview{}, err
	}
	for i := range ov.AbuseReports {
		ov.AbuseReports[i] = abuseReport(ov.AbuseReports[i])
	}
	for i := range ov.OptIns {
		ov.OptIns[i] = optIn(ov.OptIns[i])
	}
	return AdminOverview{Reassigned: reassignedThreads(ov.Reassigned), AbuseReports: ov.AbuseReports, AbuseReportsReviewed: ov.AbuseReportsReviewed,
		Unroutable: unroutableTexts(ov.Unroutable), UnroutableHandled: ov.UnroutableHandled,
		OptIns: ov.OptIns, OptInsReviewed: ov.OptInsReviewed, ReassignedTotal: ov.ReassignedTotal,
		AbuseReportsOpen: ov.AbuseReportsOpen, UnroutableOpen: ov.UnroutableOpen, OptInsOpen: ov.OptInsOpen}, nil
}

// abuseReport and optIn name the row's contact as the inbox does.
func abuseReport(r api.AbuseReport) api.AbuseReport {
	r.ContactName = texting.DisplayName(r.ContactName, r.ContactPhone)
	return r
}

func optIn(o api.OptIn) api.OptIn {
	o.ContactName = texting.DisplayName(o.ContactName, o.ContactPhone)
	return o
}

// HandledUnroutable lists the campaign's unroutable texts an admin marked
// handled, newest first, from the server (admins only).
func (c *Client) HandledUnroutable(ctx context.Context, campaignID string) ([]UnroutableText, error) {
	list, err := adminCall(c, ctx, func(cctx context.Context) ([]api.UnroutableText, error) {
		return c.api.HandledUnroutable(cctx, campaignID)
	})
	return unroutableTexts(list), err
}

// SetUnroutableHandled marks one of the campaign's unroutable texts handled
// or open again. It goes to the server at once, not through the outbox, as
// the Admin section's other reads do: it is an organizer's bookkeeping of
// server-held texts, and offline it fails with the usual "cannot reach".
func (c *Client) SetUnroutableHandled(ctx context.Context, campaignID, textID string, handled bool) (UnroutableText, error) {
	u, err := adminCall(c, ctx, func(cctx context.Context) (api.UnroutableText, error) {
		return c.api.SetUnroutableHandled(cctx, campaignID, textID, handled)
	})
	return unroutableText(u), err
}

// resultsTimeout bounds counting a campaign's results: the server reads
// every report of each action (about 3 s an action of 100,000 texted
// contacts, PERFORMANCE-LOG.md "Results"), so a big campaign's count runs
// past an ordinary call's 30 s, which then read as "cannot reach the
// campaign server" while it was busy counting.
var resultsTimeout = 3 * time.Minute // a test shortens it

// AdminResults are the results of each of the campaign's actions, per
// initial script, from the server (admins only; offline it fails with the
// usual "cannot reach", as the marks do).
func (c *Client) AdminResults(ctx context.Context, campaignID string) (api.CampaignResults, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return api.CampaignResults{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, resultsTimeout)
	defer cancel()
	res, err := c.api.AdminResults(longWait(cctx), campaignID)
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
		// Not the cause's "cannot reach": the server answered everything else.
		c.log.Warn().Err(err).Str("campaign", campaignID).Dur("waited", resultsTimeout).Msg("admin results: still counting when the app stopped waiting")
		return res, userErrorf("The campaign server was still counting the results after %s: try Refresh later, or textbankd stats on the server",
			resultsTimeout.Round(time.Second))
	}
	return res, err
}

// ReviewedAbuseReports lists the campaign's abuse reports an admin marked
// reviewed, newest first, from the server (admins only).
func (c *Client) ReviewedAbuseReports(ctx context.Context, campaignID string) ([]api.AbuseReport, error) {
	list, err := adminCall(c, ctx, func(cctx context.Context) ([]api.AbuseReport, error) {
		return c.api.ReviewedAbuseReports(cctx, campaignID)
	})
	for i := range list {
		list[i] = abuseReport(list[i])
	}
	return list, err
}

// SetAbuseReportReviewed marks one of the campaign's abuse reports reviewed
// or open again, straight at the server as SetUnroutableHandled does.
func (c *Client) SetAbuseReportReviewed(ctx context.Context, campaignID, reportID string, reviewed bool) (api.AbuseReport, error) {
	r, err := adminCall(c, ctx, func(cctx context.Context) (api.AbuseReport, error) {
		return c.api.SetAbuseReportReviewed(cctx, campaignID, reportID, reviewed)
	})
	return abuseReport(r), err
}

// ReviewedOptIns lists the campaign's opt-ins an admin marked reviewed,
// newest first, from the server (admins only).
func (c *Client) ReviewedOptIns(ctx context.Context, campaignID string) ([]api.OptIn, error) {
	list, err := adminCall(c, ctx, func(cctx context.Context) ([]api.OptIn, error) { return c.api.ReviewedOptIns(cctx, campaignID) })
	for i := range list {
		list[i] = optIn(list[i])
	}
	return list, err
}

// SetOptInReviewed marks one of the campaign's opt-ins reviewed or open
// again, straight at the server.
func (c *Client) SetOptInReviewed(ctx context.Context, campaignID, optInID string, reviewed bool) (api.OptIn, error) {
	o, err := adminCall(c, ctx, func(cctx context.Context) (api.OptIn, error) {
		return c.api.SetOptInReviewed(cctx, campaignID, optInID, reviewed)
	})
	return optIn(o), err
}

// OptBackIn lifts the organization's opt-out of the number an opt-in came
// from, straight at the server (not the outbox: an organizer's decision
// on server-held rows, which offline fails with the usual "cannot reach").
// The volunteer holding the conversation learns it from the sync feed.
func (c *Client) OptBackIn(ctx context.Context, campaignID, optInID string) (api.OptIn, error) {
	o, err := adminCall(c, ctx, func(cctx context.Context) (api.OptIn, error) { return c.api.OptBackIn(cctx, campaignID, optInID) })
	return optIn(o), err
}

// UndoOptOut lifts the organization's opt-out of a conversation's number
// that reports filed by mistake, as the admin saw it (optedOutAt), straight
// at the server as OptBackIn; the volunteer holding the conversation
// learns it from the sync feed.
func (c *Client) UndoOptOut(ctx context.Context, campaignID, threadID string, optedOutAt time.Time) (api.MessagesResponse, error) {
	return adminCall(c, ctx, func(cctx context.Context) (api.MessagesResponse, error) {
		return c.api.UndoOptOut(cctx, campaignID, threadID, optedOutAt)
	})
}

// AdminOptOuts is a page of the campaign's opted-out conversations from
// the server (after "" for the first, else the last page's Next), with
// contacts and numbers as the window shows them.
func (c *Client) AdminOptOuts(ctx context.Context, campaignID, after string) (api.AdminOptOutsResponse, error) {
	res, err := adminCall(c, ctx, func(cctx context.Context) (api.AdminOptOutsResponse, error) {
		return c.api.AdminOptOuts(cctx, campaignID, after)
	})
	for i, r := range res.OptOuts {
		res.OptOuts[i].ContactName, res.OptOuts[i].ContactPhone = texting.DisplayName(r.ContactName, r.ContactPhone), phone.Display(r.ContactPhone)
	}
	if res.OptOuts == nil {
		res.OptOuts = []api.AdminOptOutRow{} // the window reads an array
	}
	return res, err
}

// adminCall runs one of the Admin section's server calls, signed in, with
// the usual time limit.
func adminCall[T any](c *Client, ctx context.Context, call func(context.Context) (T, error)) (T, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		var zero T
		return zero, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	return call(cctx)
}
