package server

import (
	"context"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// unroutableTexts are the Admin section's texts no thread claimed, each with
// the campaign's conversation with its sender when they are a contact here
// (most often texting a number of the campaign other than their
// conversation's), so the admin can read what it answers.
func unroutableTexts(ctx context.Context, tx store.Tx, c store.Campaign) ([]api.UnroutableText, error) {
	texts, err := tx.UnroutableForCampaign(ctx, c.ID, maxOverview)
	if err != nil {
		return nil, err
	}
	out := []api.UnroutableText{}
	known := map[string]*store.Thread{} // by sender: one lookup per number
	for _, x := range texts {
		th, seen := known[x.From]
		if !seen {
			if th, err = latestThreadHere(ctx, tx, c, x.From); err != nil {
				return nil, err
			}
			known[x.From] = th
		}
		u := api.UnroutableText{ID: x.ID, From: x.From, To: x.To, Body: x.Body, At: x.ReceivedAt}
		if th != nil {
			u.ContactName, u.ThreadID = th.ContactName, th.ID
		}
		out = append(out, u)
	}
	return out, nil
}

// latestThreadHere is the campaign's most recently active conversation with
// a number, or nil when the number is no contact of the campaign.
func latestThreadHere(ctx context.Context, tx store.Tx, c store.Campaign, phone string) (*store.Thread, error) {
	threads, err := tx.ThreadsByPhone(ctx, c.OrganizationID, phone)
	if err != nil {
		return nil, err
	}
	var latest *store.Thread
	for i, th := range threads {
		if th.CampaignID == c.ID && (latest == nil || th.LastMessageAt.After(latest.LastMessageAt)) {
			latest = &threads[i]
		}
	}
	return latest, nil
}

// optIns are the START/UNSTOP texts that came to this campaign's
// conversations (the opt-out they lift is the organization's, but another
// campaign that has the same contact, or took the number over since, was
// not written to), each with the conversation to open: the one the START
// came in, else the contact's latest here.
func optIns(ctx context.Context, tx store.Tx, u store.User, c store.Campaign) ([]api.OptIn, error) {
	list, err := tx.OptIns(ctx, c.ID, maxOverview)
	if err != nil {
		return nil, err
	}
	messageIDs := make([]string, 0, len(list))
	for _, o := range list {
		if o.MessageID != "" {
			messageIDs = append(messageIDs, o.MessageID)
		}
	}
	msgs, err := tx.MessagesByIDs(ctx, messageIDs)
	if err != nil {
		return nil, err
	}
	var rows []api.OptIn
	var owners []string
	for _, o := range list {
		threads, err := tx.ThreadsByPhone(ctx, c.OrganizationID, o.Phone)
		if err != nil {
			return nil, err
		}
		var own, latest *store.Thread
		for i := range threads {
			th := &threads[i]
			if th.CampaignID != c.ID {
				continue
			}
			if m, ok := msgs[o.MessageID]; ok && m.ThreadID == th.ID {
				own = th
			}
			if latest == nil || th.LastMessageAt.After(latest.LastMessageAt) {
				latest = th
			}
		}
		pick := own
		if pick == nil {
			pick = latest
		}
		if pick == nil {
			continue
		}
		in := api.OptIn{ContactPhone: o.Phone, ContactName: pick.ContactName, Body: o.Body, At: o.CreatedAt, ThreadID: pick.ID}
		switch {
		case pick.Blocked:
			// Hidden from whoever blocked the contact: read, not opened.
		case pick.OwnerID == u.ID:
			in.Yours = true
		default:
			owners = append(owners, pick.OwnerID)
			in.HeldBy = pick.OwnerID // named below, with one read for every row
		}
		rows = append(rows, in)
	}
	users, err := tx.UsersByIDs(ctx, owners)
	if err != nil {
		return nil, err
	}
	out := []api.OptIn{}
	for _, in := range rows {
		if in.HeldBy != "" {
			in.HeldBy = users[in.HeldBy].Name
		}
		out = append(out, in)
	}
	return out, nil
}
