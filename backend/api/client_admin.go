package api

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// The Admin section's calls (admins of the campaign only): its overview,
// a conversation read whole, and the marks on its lists.

// AdminThread is the latest texts of one conversation of the campaign,
// oldest first (admins only): a blocked one is read from the Admin section.
// With it, the organization's opt-out of the contact's number, if any.
// Earlier texts, when the answer counts some, come from EarlierTexts.
func (c *Client) AdminThread(ctx context.Context, campaignID, threadID string) (MessagesResponse, error) {
	var out MessagesResponse
	err := c.do(ctx, http.MethodGet, pathOf(PathAdminThread, campaignID, threadID), nil, &out)
	return out, err
}

// EarlierTexts is the texts of the conversation before the one whose id is
// before (the first text an answer gave), the latest that fit one answer,
// and how many earlier ones are left (admins only).
func (c *Client) EarlierTexts(ctx context.Context, campaignID, threadID, before string) (MessagesResponse, error) {
	var out MessagesResponse
	path := pathOf(PathAdminThread, campaignID, threadID) + "?" + url.Values{"before": {before}}.Encode()
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// UndoOptOut lifts the organization's opt-out of a conversation's number
// that reports filed by mistake, as the admin saw it (optedOutAt, the
// AdminOptOut's At), and answers the conversation as it is now (admins
// only).
func (c *Client) UndoOptOut(ctx context.Context, campaignID, threadID string, optedOutAt time.Time) (MessagesResponse, error) {
	var out MessagesResponse
	err := c.do(ctx, http.MethodPost, pathOf(PathUndoOptOut, campaignID, threadID), UndoOptOut{OptedOutAt: &optedOutAt}, &out)
	return out, err
}

// AdminOptOuts is a page of the campaign's opted-out conversations, the
// newest opt-out first (admins only): after "" for the first, else the
// last page's Next.
func (c *Client) AdminOptOuts(ctx context.Context, campaignID, after string) (AdminOptOutsResponse, error) {
	path := pathOf(PathAdminOptOuts, campaignID)
	if after != "" {
		path += "?" + url.Values{"after": {after}}.Encode()
	}
	var out AdminOptOutsResponse
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// AdminOverview is a campaign's Admin section (admins only).
func (c *Client) AdminOverview(ctx context.Context, campaignID string) (AdminOverview, error) {
	var out AdminOverview
	err := c.do(ctx, http.MethodGet, pathOf(PathAdmin, campaignID), nil, &out)
	return out, err
}

// AdminResults are the results of each of a campaign's actions, per
// initial script (admins only).
func (c *Client) AdminResults(ctx context.Context, campaignID string) (CampaignResults, error) {
	var out CampaignResults
	err := c.do(ctx, http.MethodGet, pathOf(PathAdminResults, campaignID), nil, &out)
	return out, err
}

// HandledUnroutable lists a campaign's unroutable texts an admin marked
// handled, newest first (admins only).
func (c *Client) HandledUnroutable(ctx context.Context, campaignID string) ([]UnroutableText, error) {
	var out UnroutableResponse
	err := c.do(ctx, http.MethodGet, pathOf(PathUnroutableHandled, campaignID), nil, &out)
	return out.Unroutable, err
}

// SetUnroutableHandled marks one of a campaign's unroutable texts handled,
// or open again (admins only), and answers the text as it is now.
func (c *Client) SetUnroutableHandled(ctx context.Context, campaignID, textID string, handled bool) (UnroutableText, error) {
	var out UnroutableText
	err := c.do(ctx, http.MethodPut, pathOf(PathUnroutableTextHandled, campaignID, textID), UnroutableHandled{Handled: &handled}, &out)
	return out, err
}

// ReviewedAbuseReports lists a campaign's abuse reports marked reviewed,
// newest first (admins only; the overview lists the open ones).
func (c *Client) ReviewedAbuseReports(ctx context.Context, campaignID string) ([]AbuseReport, error) {
	var out AbuseReportsResponse
	err := c.do(ctx, http.MethodGet, pathOf(PathAbuseReportsReviewed, campaignID), nil, &out)
	return out.AbuseReports, err
}

// SetAbuseReportReviewed marks one of a campaign's abuse reports reviewed,
// or open again (admins only), and answers the report as it is now.
func (c *Client) SetAbuseReportReviewed(ctx context.Context, campaignID, reportID string, reviewed bool) (AbuseReport, error) {
	var out AbuseReport
	err := c.do(ctx, http.MethodPut, pathOf(PathAbuseReportReviewed, campaignID, reportID), Reviewed{Reviewed: &reviewed}, &out)
	return out, err
}

// ReviewedOptIns lists a campaign's opt-ins marked reviewed, newest first
// (admins only; the overview lists the open ones).
func (c *Client) ReviewedOptIns(ctx context.Context, campaignID string) ([]OptIn, error) {
	var out OptInsResponse
	err := c.do(ctx, http.MethodGet, pathOf(PathOptInsReviewed, campaignID), nil, &out)
	return out.OptIns, err
}

// SetOptInReviewed marks one of a campaign's opt-ins reviewed, or open
// again (admins only), and answers the opt-in as it is now.
func (c *Client) SetOptInReviewed(ctx context.Context, campaignID, optInID string, reviewed bool) (OptIn, error) {
	var out OptIn
	err := c.do(ctx, http.MethodPut, pathOf(PathOptInReviewed, campaignID, optInID), Reviewed{Reviewed: &reviewed}, &out)
	return out, err
}

// OptBackIn lifts the organization's opt-out of the number an opt-in came
// from (admins only), marks the opt-in reviewed, and answers it as it is now.
func (c *Client) OptBackIn(ctx context.Context, campaignID, optInID string) (OptIn, error) {
	var out OptIn
	err := c.do(ctx, http.MethodPost, pathOf(PathOptBackIn, campaignID, optInID), struct{}{}, &out)
	return out, err
}
