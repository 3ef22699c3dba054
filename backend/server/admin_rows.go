package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// markers are the admins who marked these rows (none for textbankd's
// command line or an open row): their names come in the rows' one read of
// users.
func markers(ms ...store.Marked) []string {
	var ids []string
	for _, m := range ms {
		if by, _ := m.Marker(); by != "" {
			ids = append(ids, by)
		}
	}
	return ids
}

// markedWire is a mark as the API says it: when (nil while open), the
// admin's name, and whether textbankd's command line marked it.
func markedWire(m store.Marked, users map[string]store.User) (at *time.Time, by string, fromCommandLine bool) {
	if m.At.IsZero() {
		return nil, "", false
	}
	t := m.At
	id, console := m.Marker()
	if !console {
		by = users[id].Name
	}
	return &t, by, console
}

// unroutableTexts are the Admin section's texts no thread claimed (the
// open ones, or the handled ones: which), newest first.
func unroutableTexts(ctx context.Context, tx store.Tx, c store.Campaign, which store.MarkFilter) ([]api.UnroutableText, error) {
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
		handlers = append(handlers, markers(x.Handled)...)
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
		u.HandledAt, u.HandledBy, u.HandledFromCommandLine = markedWire(x.Handled, users)
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

// abuseReports are the campaign's reports of abuse (the open ones, or the
// reviewed ones: which), newest first.
func abuseReports(ctx context.Context, tx store.Tx, ld *loader, c store.Campaign, which store.MarkFilter) ([]api.AbuseReport, error) {
	reports, err := tx.AbuseReports(ctx, c.ID, which, maxOverview)
	if err != nil {
		return nil, err
	}
	return abuseReportRows(ctx, tx, ld, reports)
}

// abuseReportRows are reports as the Admin section shows them: the
// contact, who reported them and why, their last text, and who marked the
// report reviewed.
func abuseReportRows(ctx context.Context, tx store.Tx, ld *loader, reports []store.AbuseReport) ([]api.AbuseReport, error) {
	var threadIDs, userIDs []string
	for _, r := range reports {
		threadIDs, userIDs = append(threadIDs, r.ThreadID), append(userIDs, r.UserID)
		userIDs = append(userIDs, markers(r.Reviewed)...)
	}
	threads, err := tx.ThreadsByIDs(ctx, threadIDs)
	if err != nil {
		return nil, err
	}
	users, err := tx.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	// One read of the last replies for every report, not one per report
	// (the overview refreshes every 30 s in each admin's app).
	last, err := tx.LastInboundByThreads(ctx, threadIDs)
	if err != nil {
		return nil, err
	}
	out := []api.AbuseReport{}
	for _, r := range reports {
		th := threads[r.ThreadID]
		a, err := ld.action(ctx, th.ActionID)
		if err != nil {
			return nil, err
		}
		row := api.AbuseReport{ID: r.ID, ThreadID: th.ID, ActionTitle: a.Title, ContactName: th.ContactName,
			ContactPhone: th.ContactPhone, ReportedBy: users[r.UserID].Name, Reason: r.Reason, Note: r.Note, At: r.CreatedAt,
			LastMessage: last[th.ID]}
		row.ReviewedAt, row.ReviewedBy, _ = markedWire(r.Reviewed, users)
		out = append(out, row)
	}
	return out, nil
}

// optIns are the START/UNSTOP texts that came to this campaign's
// conversations (the open ones, or the reviewed ones: which), newest
// first. The opt-out they may lift is the organization's, but another
// campaign that has the same contact, or took the number over since, was
// not written to.
func optIns(ctx context.Context, tx store.Tx, u store.User, c store.Campaign, which store.MarkFilter) ([]api.OptIn, error) {
	list, err := tx.OptIns(ctx, c.ID, which, maxOverview)
	if err != nil {
		return nil, err
	}
	return optInRows(ctx, tx, u, c, list)
}

// optInRows are opt-ins as the Admin section shows them: each with the
// conversation to open (the one the START came in, else the contact's
// latest here), whether the number is still opted out, who lifted the
// opt-out on it and who marked it reviewed.
func optInRows(ctx context.Context, tx store.Tx, u store.User, c store.Campaign, list []store.OptIn) ([]api.OptIn, error) {
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
	var userIDs []string
	owners := map[string]string{} // opt-in id: who holds its conversation
	for _, o := range list {
		userIDs = append(userIDs, markers(o.Reviewed, o.Lifted)...)
		if pick := optInThread(o, byPhone[o.Phone], msgs); pick != nil && !pick.Blocked && pick.OwnerID != u.ID {
			owners[o.ID] = pick.OwnerID
			userIDs = append(userIDs, pick.OwnerID)
		}
	}
	// One read for every name on the rows.
	users, err := tx.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := []api.OptIn{}
	actions := newLoader(tx, u.ID) // each action's title read once
	for _, o := range list {
		in := api.OptIn{ID: o.ID, ContactPhone: o.Phone, Body: o.Body, At: o.CreatedAt, OptedOut: o.OptedOut}
		if pick := optInThread(o, byPhone[o.Phone], msgs); pick != nil {
			in.ContactName, in.ThreadID = pick.ContactName, pick.ID
			a, err := actions.action(ctx, pick.ActionID)
			if err != nil {
				return nil, err
			}
			in.ActionTitle = a.Title
			switch {
			case pick.Blocked:
				// Hidden from whoever blocked the contact: read, not opened.
				in.Blocked = true
			case pick.OwnerID == u.ID:
				in.Yours = true
			default:
				in.HeldBy = users[owners[o.ID]].Name
			}
		}
		in.OptedBackInAt, in.OptedBackInBy, _ = markedWire(o.Lifted, users)
		in.ReviewedAt, in.ReviewedBy, _ = markedWire(o.Reviewed, users)
		out = append(out, in)
	}
	return out, nil
}

// optInThread is the conversation an opt-in leads to: the one the START
// came in, else the contact's latest in the campaign; nil for none.
func optInThread(o store.OptIn, threads []store.Thread, msgs map[string]store.Message) *store.Thread {
	pick := latestThread(threads)
	for i := range threads {
		if m, ok := msgs[o.MessageID]; ok && m.ThreadID == threads[i].ID {
			pick = &threads[i]
		}
	}
	return pick
}
