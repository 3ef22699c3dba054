package client

import (
	"context"

	"github.com/textbank/textbank/backend/api"
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
// carry their numbers' display forms.
type AdminOverview struct {
	Reassigned        []api.Thread      `json:"reassigned"`
	AbuseReports      []api.AbuseReport `json:"abuseReports"`
	Unroutable        []UnroutableText  `json:"unroutable"`
	UnroutableHandled int               `json:"unroutableHandled"`
	OptIns            []api.OptIn       `json:"optIns"`
}

// UnroutableText is an unroutable text with its numbers as people read
// them; ContactName stays "" when the sender is no contact of the campaign.
type UnroutableText struct {
	api.UnroutableText
	FromDisplay string `json:"fromDisplay"`
	ToDisplay   string `json:"toDisplay"`
}

func unroutableText(u api.UnroutableText) UnroutableText {
	return UnroutableText{UnroutableText: u, FromDisplay: phone.Display(u.From), ToDisplay: phone.Display(u.To)}
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
	if _, _, _, err := c.signedIn(); err != nil {
		return AdminOverview{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	ov, err := c.api.AdminOverview(cctx, campaignID)
	if err != nil {
		return AdminOverview{}, err
	}
	for i, t := range ov.Reassigned {
		ov.Reassigned[i].ContactName = texting.DisplayName(t.ContactName, t.ContactPhone)
	}
	for i, r := range ov.AbuseReports {
		ov.AbuseReports[i].ContactName = texting.DisplayName(r.ContactName, r.ContactPhone)
	}
	for i, o := range ov.OptIns {
		ov.OptIns[i].ContactName = texting.DisplayName(o.ContactName, o.ContactPhone)
	}
	return AdminOverview{Reassigned: ov.Reassigned, AbuseReports: ov.AbuseReports, Unroutable: unroutableTexts(ov.Unroutable),
		UnroutableHandled: ov.UnroutableHandled, OptIns: ov.OptIns}, nil
}

// HandledUnroutable lists the campaign's unroutable texts an admin marked
// handled, newest first, from the server (admins only).
func (c *Client) HandledUnroutable(ctx context.Context, campaignID string) ([]UnroutableText, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return nil, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	list, err := c.api.HandledUnroutable(cctx, campaignID)
	if err != nil {
		return nil, err
	}
	return unroutableTexts(list), nil
}

// SetUnroutableHandled marks one of the campaign's unroutable texts handled
// or open again. It goes to the server at once, not through the outbox, as
// the Admin section's other reads do: it is an organizer's bookkeeping of
// server-held texts, and offline it fails with the usual "cannot reach".
func (c *Client) SetUnroutableHandled(ctx context.Context, campaignID, textID string, handled bool) (UnroutableText, error) {
	if _, _, _, err := c.signedIn(); err != nil {
		return UnroutableText{}, err
	}
	cctx, cancel := callCtx(ctx)
	defer cancel()
	u, err := c.api.SetUnroutableHandled(cctx, campaignID, textID, handled)
	if err != nil {
		return UnroutableText{}, err
	}
	return unroutableText(u), nil
}
