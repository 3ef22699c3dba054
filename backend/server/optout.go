package server

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
)

// The organization's opt-outs: how one comes (optOut, whatever asked) and
// how an admin lifts one on the contact's START (liftOptOut) or undoes a
// report's filed by mistake (undoOptOut). The words
// and the rule of when a START may lift one are backend/optout's.

// optedOutBeforeSent is a text's error when the opt-out came while it was
// still queued.
const optedOutBeforeSent = "not sent: the contact opted out before this text went out"

// optOut records an opt-out for the organization (o, made now: its
// CreatedAt) and marks every thread it has with that number, telling each
// owner. Texts to the number still queued (a backlog, the provider busy)
// are not sent: the rule holds when the text goes out, not only when it
// was accepted. (A text whose call has begun is the provider's already.)
func optOut(ctx context.Context, tx store.Tx, o store.OptOut) error {
	if err := tx.AddOptOut(ctx, o); err != nil {
		return err
	}
	threads, err := tx.ThreadsByPhone(ctx, o.OrganizationID, o.Phone)
	if err != nil {
		return err
	}
	return markOptedOut(ctx, tx, threads, o.CreatedAt)
}

// optOutMany is optOut for a list of numbers with one reason (an import,
// from file),
// each opted out at its own time, and their threads marked now: a constant
// number of statements for the whole list (AddOptOuts, one read of the
// threads, markOptedOut's), where optOut per number would be a few round
// trips for each.
func optOutMany(ctx context.Context, tx store.Tx, orgID string, outs []store.PhoneAt, reason, file string, now time.Time) error {
	if err := tx.AddOptOuts(ctx, orgID, outs, reason, file); err != nil {
		return err
	}
	phones := make([]string, len(outs))
	for i, o := range outs {
		phones[i] = o.Phone
	}
	byPhone, err := tx.ThreadsByPhones(ctx, orgID, phones)
	if err != nil {
		return err
	}
	var threads []store.Thread
	for _, p := range phones {
		threads = append(threads, byPhone[p]...)
	}
	return markOptedOut(ctx, tx, threads, now)
}

// markOptedOut is what an opt-out does to threads, one number's (optOut)
// or an import's thousands (optOutMany) alike, in three store calls however
// many: texts still queued fail; each thread not opted out yet is marked,
// forgetting an earlier opt-back-in; and each owner is fed the failed
// texts (oldest first) then the thread, thread by thread in the order
// given. A thread listed twice counts once. Each campaign with a thread
// is announced to its admins (Tx.AdminChanged).
func markOptedOut(ctx context.Context, tx store.Tx, threads []store.Thread, now time.Time) error {
	ids := make([]string, len(threads))
	for i, th := range threads {
		ids[i] = th.ID
	}
	cancelled, err := tx.CancelQueued(ctx, ids, optedOutBeforeSent)
	if err != nil {
		return err
	}
	var mark []string
	var rows []store.FeedRow
	done := make(map[string]bool, len(threads))
	for _, th := range threads {
		if done[th.ID] {
			continue
		}
		done[th.ID] = true
		// Its campaign's list of opt-outs changed: a thread newly listed,
		// or a renewal's time (and a report's opt-out turned the
		// contact's, no longer undoable). Open Admin screens read it again
		// at once, as endOptOut's lift tells them the other way. Only when
		// a number is opted out: nothing on a send or a plain reply, and
		// an in-memory set, one notification with the commit.
		tx.AdminChanged(th.CampaignID)
		for _, id := range cancelled[th.ID] {
			rows = append(rows, store.FeedRow{UserID: th.OwnerID, Kind: api.KindMessage, EntityID: id})
		}
		if th.OptedOut {
			continue
		}
		mark = append(mark, th.ID)
		rows = append(rows, store.FeedRow{UserID: th.OwnerID, Kind: api.KindThread, EntityID: th.ID})
	}
	if err := tx.SetOptedOut(ctx, mark); err != nil {
		return err
	}
	return feedRows(ctx, tx, now, rows...)
}

// Why an opt-out was not lifted: nothing changed.
var (
	errNotOptedOut   = errors.New("the number is not opted out")
	errOptedOutAgain = errors.New("the number opted out again after its START, or since the admin saw its opt-out")
)

// notReportedError: an admin undoing an opt-out that no report filed
// alone (the contact asked, a block, an import, or from before sources
// were recorded); nothing changed.
type notReportedError struct{ o store.OptOut }

func (e notReportedError) Error() string {
	return "the opt-out of " + e.o.Phone + " is not a report's (" + e.o.Reason + ")"
}

// liftOptOut ends the organization's opt-out of the number an opt-in (a
// START) came from, on an admin's decision: only while the START is the
// contact's latest word on it (optout.Lifts), else errOptedOutAgain;
// errNotOptedOut when there is none to lift. The rest is endOptOut's.
func liftOptOut(ctx context.Context, tx store.Tx, in store.OptIn, adminID string, now time.Time) error {
	o, err := currentOptOut(ctx, tx, in.OrganizationID, in.Phone)
	if err != nil {
		return err
	}
	if !optout.Lifts(in.CreatedAt, o.CreatedAt, o.RenewedAt) {
		return errOptedOutAgain
	}
	return endOptOut(ctx, tx, store.OptOutLift{ID: newID(), OrganizationID: in.OrganizationID, Phone: in.Phone,
		OptInID: in.ID, LiftedBy: adminID, LiftedAt: now})
}

// undoOptOut ends the organization's opt-out of phone that a report filed
// by mistake, on an admin's decision, with no START: only an opt-out only
// reports asked for (store.OptOutReported), else a notReportedError (a
// contact's STOP binds until their START); only as the admin saw it, at
// seenAt (optout.Undoes), else errOptedOutAgain; errNotOptedOut when
// there is none. From a conversation of campaignID (the Admin section's),
// only when no conversation of another campaign holds a report with Opt
// Out on (reportedElsewhere), else a reportedElsewhereError; "" (the
// operator's command) reads no conversation. The rest is endOptOut's, as
// for a START.
func undoOptOut(ctx context.Context, tx store.Tx, orgID, phone, campaignID string, seenAt time.Time, adminID string, now time.Time) error {
	o, err := currentOptOut(ctx, tx, orgID, phone)
	if err != nil {
		return err
	}
	if !undoable(o) {
		return notReportedError{o}
	}
	if !optout.Undoes(seenAt, o.CreatedAt, o.RenewedAt) {
		return errOptedOutAgain
	}
	if campaignID != "" {
		elsewhere, err := reportedElsewhere(ctx, tx, orgID, phone, campaignID)
		if err != nil {
			return err
		}
		if elsewhere != "" {
			return reportedElsewhereError{elsewhere}
		}
	}
	return endOptOut(ctx, tx, store.OptOutLift{ID: newID(), OrganizationID: orgID, Phone: phone, LiftedBy: adminID, LiftedAt: now})
}

// reportedElsewhereError: an admin undoing, from their campaign's
// conversation, an opt-out that a report in a conversation of another
// campaign (campaign, its name) holds; nothing changed.
type reportedElsewhereError struct{ campaign string }

func (e reportedElsewhereError) Error() string {
	return "a report in a conversation of " + e.campaign + " opted the number out"
}

// reportedElsewhere is the name of a campaign, not campaignID, with a
// conversation of phone whose reports last said Opt Out, "" if none. Its
// report is one the number stands opted out for (a lift turns every such
// report off: withdrawReportedOptOut), and the admin of campaignID cannot
// read that conversation to judge it a mistake: the contact may have
// asked there in their own words ("please stop texting me").
func reportedElsewhere(ctx context.Context, tx store.Tx, orgID, phone, campaignID string) (string, error) {
	threads, err := tx.ThreadsByPhone(ctx, orgID, phone)
	if err != nil {
		return "", err
	}
	for _, th := range threads {
		if th.CampaignID == campaignID {
			continue
		}
		on, err := reportsSayOptOut(ctx, tx, th.ID)
		if err != nil {
			return "", err
		}
		if !on {
			continue
		}
		c, err := tx.CampaignByID(ctx, th.CampaignID)
		if err != nil {
			return "", err
		}
		return c.Name, nil
	}
	return "", nil
}

// undoable: an admin may undo o, which only reports asked for. One the
// contact asked for binds (the law's STOP); a block, an import, and one
// from before sources were recorded stand as well.
func undoable(o store.OptOut) bool { return o.Source == store.OptOutReported }

// currentOptOut is the organization's opt-out of phone; errNotOptedOut
// when there is none.
func currentOptOut(ctx context.Context, tx store.Tx, orgID, phone string) (store.OptOut, error) {
	o, err := tx.OptOutOf(ctx, orgID, phone)
	if errors.Is(err, store.ErrNotFound) {
		return store.OptOut{}, errNotOptedOut
	}
	return o, err
}

// endOptOut is what lifting an opt-out does, on a START or undone: the
// opt-out is kept, with who lifted it, when and on which opt-in if any
// (store.LiftOptOut). Every thread of the number in the organization is
// marked opted in again and its owner told through the sync feed, as
// optOut tells them the other way, so they can reply. Texts optOut failed
// stay failed; texting hours and the 6-hour rule for initial texts apply
// as to anyone.
func endOptOut(ctx context.Context, tx store.Tx, l store.OptOutLift) error {
	if err := tx.LiftOptOut(ctx, l); err != nil {
		return err
	}
	threads, err := tx.ThreadsByPhone(ctx, l.OrganizationID, l.Phone)
	if err != nil {
		return err
	}
	now, adminID := l.LiftedAt, l.LiftedBy
	for _, th := range threads {
		if !th.OptedOut {
			continue
		}
		// Each campaign with a conversation of the number shows it no
		// longer opted out (its conversation read, its list of opt-outs):
		// its open Admin screens read it again at once, whoever lifted it
		// (an admin here, textbankd opt-outs undo from its own process).
		tx.AdminChanged(th.CampaignID)
		th.OptedOut, th.OptedBackInAt, th.OptedBackInBy, th.OptOutUndone = false, &now, adminID, l.OptInID == ""
		if err := tx.UpdateThread(ctx, th); err != nil {
			return err
		}
		kindIDs := []string{api.KindThread, th.ID}
		reportID, err := withdrawReportedOptOut(ctx, tx, th.ID, adminID, now)
		if err != nil {
			return err
		}
		if reportID != "" {
			kindIDs = append(kindIDs, api.KindReport, reportID)
		}
		if err := feed(ctx, tx, now, th.OwnerID, kindIDs...); err != nil {
			return err
		}
	}
	return nil
}

// withdrawReportedOptOut files, in the lifting admin's name, a report
// turning Opt Out off on a thread whose reports last said it was on. A
// thread's report shows each field's newest value (backend/report.Latest):
// left as it was, the volunteer's form would still show Opt Out on after
// the lift, and filing it again unchanged would opt the contact out again
// without anyone meaning to; the latest-reports export would say opted
// out. The entry also tells the thread's history who ended the opt-out,
// and when. It returns the new report's id, "" when none was needed.
func withdrawReportedOptOut(ctx context.Context, tx store.Tx, threadID, adminID string, now time.Time) (string, error) {
	if on, err := reportsSayOptOut(ctx, tx, threadID); err != nil || !on {
		return "", err
	}
	r := store.Report{ID: newID(), ThreadID: threadID, UserID: adminID, Values: map[string]string{report.OptOut: "false"}, SubmittedAt: now}
	if err := tx.CreateReport(ctx, r); err != nil {
		return "", err
	}
	return r.ID, nil
}

// reportedReason is the reason of the opt-out a report with Opt Out on
// files (applyReport).
const reportedReason = "reported by volunteer"

// asked is the opt-out a contact's keyword reply (body, the message
// messageID when one is stored) asks for: theirs, which only their START
// lifts.
func asked(orgID, phone, body, messageID string, now time.Time) store.OptOut {
	return store.OptOut{OrganizationID: orgID, Phone: phone, Reason: optout.KeywordReason(body), SourceMessageID: messageID,
		Source: store.OptOutContact, CreatedAt: now}
}

// unsubscribed is the opt-out of a number whose carrier answered a text
// (messageID) that the recipient unsubscribed: the contact's, as a STOP.
func unsubscribed(orgID, phone, messageID string, now time.Time) store.OptOut {
	return store.OptOut{OrganizationID: orgID, Phone: phone, Reason: "provider: recipient unsubscribed", SourceMessageID: messageID,
		Source: store.OptOutContact, CreatedAt: now}
}

// reportsSayOptOut: a thread's reports last said Opt Out (each field's
// newest value: report.Latest).
func reportsSayOptOut(ctx context.Context, tx store.Tx, threadID string) (bool, error) {
	_, ids, err := tx.ThreadChildren(ctx, threadID)
	if err != nil || len(ids) == 0 {
		return false, err
	}
	byID, err := tx.ReportsByIDs(ctx, ids)
	if err != nil {
		return false, err
	}
	values := make([]map[string]string, 0, len(ids))
	for _, id := range ids { // oldest first, as ThreadChildren lists them
		values = append(values, byID[id].Values)
	}
	return report.Latest(values)[report.OptOut] == "true", nil
}
