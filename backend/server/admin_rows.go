package server

import (
	"context"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// unroutableTexts are the Admin section's texts no thread claimed (the
// open ones, or the handled ones: which), newest first.
func unroutableTexts(ctx context.Context, tx store.Tx, c store.Campaign, which store.UnroutableFilter) ([]api.UnroutableText, error) {
	texts, err := tx.UnroutableForCampaign(ctx, c.ID, which, maxOverview)
	if err != nil {
		return nil, err
	}
	return unroutableRows(ctx, tx, c, texts)
}

// unroutableRows are texts as the Admin section shows them: each with the
// campaign's conversation with its sender when they are a contact here
// (most often texting a number of the campaign other than their
// conversation's), so the admin can read what it answers, and with who
// marked it handled (an admin, or textbankd's command line).
func unroutableRows(ctx context.Context, tx store.Tx, c store.Campaign, texts []store.Unroutable) ([]api.UnroutableText, error) {
	senders := make([]string, len(texts))
	var handlers []string
	for i, x := range texts {
		senders[i] = x.From
		if x.HandledBy != "" {
			handlers = append(handlers, x.HandledBy)
		}
	}
	// One read for every sender, not one per text: the overview refreshes
	// every 30 s in each admin's app.
	byPhone, err := tx.CampaignThreadsByPhones(ctx, c.OrganizationID, c.ID, senders)
	if err != nil {
		return nil, err
	}
	users, err := tx.UsersByIDs(ctx, handlers)
	if err != nil {
		return nil, err
	}
	out := []api.UnroutableText{}
	for _, x := range texts {
		u := api.UnroutableText{ID: x.ID, From: x.From, To: x.To, Body: x.Body, At: x.ReceivedAt}
		if th := latestThread(byPhone[x.From]); th != nil {
			u.ContactName, u.ThreadID = th.ContactName, th.ID
		}
		if !x.HandledAt.IsZero() {
			at := x.HandledAt
			u.HandledAt = &at
			by, console := x.Handler()
			u.HandledFromCommandLine = console
			if !console {
				u.HandledBy = users[by].Name
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// latestThread is the most recently active of a number's conversations
// (the first created on a tie), or nil for none.
func latestThread(threads []store.Thread) *store.Thread {
	var latest *store.Thread
	for i, th := range threads {
		if latest == nil || th.LastMessageAt.After(latest.LastMessageAt) {
			latest = &threads[i]
		}
	}
	return latest
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
	phones := make([]string, len(list))
	for i, o := range list {
		phones[i] = o.Phone
	}
	byPhone, err := tx.CampaignThreadsByPhones(ctx, c.OrganizationID, c.ID, phones)
	if err != nil {
		return nil, err
	}
	var rows []api.OptIn
	var owners []string
	for _, o := range list {
		// The conversation the START came in, else the contact's latest here.
		threads := byPhone[o.Phone]
		pick := latestThread(threads)
		for i := range threads {
			if m, ok := msgs[o.MessageID]; ok && m.ThreadID == threads[i].ID {
				pick = &threads[i]
			}
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
