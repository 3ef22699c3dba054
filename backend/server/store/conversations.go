package store

import (
	"context"
	"time"
)

// ConversationTx is what the end of a conversation needs (issue 7): likely
// opt-outs, opt-ins, abuse reports, reassignment and the admin's overview.
type ConversationTx interface {
	// MarkLikelyOptOut flags an inbound message as a likely opt-out.
	MarkLikelyOptOut(ctx context.Context, messageID, threadID string, at time.Time) error
	// LikelyOptOuts says which of these messages are flagged.
	LikelyOptOuts(ctx context.Context, messageIDs []string) (map[string]bool, error)

	AddOptIn(ctx context.Context, o OptIn) error
	// OptIns lists the opt-ins received in a campaign's conversations,
	// newest first: the open ones, the reviewed ones or all (which).
	OptIns(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]OptIn, error)
	// OptInByID is one opt-in, or ErrNotFound.
	OptInByID(ctx context.Context, id string) (OptIn, error)
	// StartsOf is, for each of these numbers with an opt-in in the
	// campaign's conversations, its newest open one and newest reviewed
	// one: in one statement for a page of opt-outs.
	StartsOf(ctx context.Context, campaignID string, phones []string) (map[string]Starts, error)

	AddAbuseReport(ctx context.Context, r AbuseReport) error
	// AbuseReports lists a campaign's abuse reports, newest first: the
	// open ones, the reviewed ones or all (which).
	AbuseReports(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]AbuseReport, error)
	// AbuseReportByID is one abuse report, or ErrNotFound.
	AbuseReportByID(ctx context.Context, id string) (AbuseReport, error)
	MarkTx

	AddReassignment(ctx context.Context, r Reassignment) error
	// Reassignments is the latest reassignment of each of these threads
	// that has one.
	Reassignments(ctx context.Context, threadIDs []string) (map[string]Reassignment, error)
	// ReassignedTo lists the threads of a campaign that userID holds
	// because they were reassigned to them, latest hand-over first.
	ReassignedTo(ctx context.Context, userID, campaignID string, limit int) ([]Thread, error)
	// CountReassignedTo counts what ReassignedTo lists, past its limit.
	CountReassignedTo(ctx context.Context, userID, campaignID string) (int, error)
	// ThreadReadAt is when the thread was last read by anyone who held it
	// (ThreadReadAtSQL), nil if no one ever did.
	ThreadReadAt(ctx context.Context, threadID, ownerID string) (*time.Time, error)
	// SupersedeHeldFeed readies userID's feed for a hand-over of these
	// threads: of those userID held before (HandBackSQL), it drops their
	// rows from the feed and answers them (by id).
	SupersedeHeldFeed(ctx context.Context, userID string, threadIDs []string) (map[string]bool, error)

	// CampaignAdmins lists a campaign's admins in the order they joined.
	CampaignAdmins(ctx context.Context, campaignID string) ([]User, error)
	// ThreadsOwnedInAction lists the threads of an action ownerID holds.
	ThreadsOwnedInAction(ctx context.Context, ownerID, actionID string) ([]Thread, error)
	// ThreadChildren lists the ids of a thread's messages and reports, oldest
	// first; of two reports filed in one instant, the smaller id first (the
	// export's order, so both engines agree on a thread's newest values).
	ThreadChildren(ctx context.Context, threadID string) (messageIDs, reportIDs []string, err error)
	// UsersByIDs are the users with these ids, by id.
	UsersByIDs(ctx context.Context, ids []string) (map[string]User, error)
	// UnroutableForCampaign lists the unroutable texts that reached the
	// campaign's numbers while they were in its pool, newest first: the
	// open ones, the handled ones or all (which).
	UnroutableForCampaign(ctx context.Context, campaignID string, which MarkFilter, limit int) ([]Unroutable, error)
	// UnroutableByID is one unroutable text, or ErrNotFound.
	UnroutableByID(ctx context.Context, id string) (Unroutable, error)
	// LastInboundByThreads is the body of the contact's latest text in each
	// of these threads that has one, by thread id: one statement for all.
	LastInboundByThreads(ctx context.Context, threadIDs []string) (map[string]string, error)
}

// UnroutableForCampaignSQL lists a campaign's unroutable texts (campaign id,
// limit), newest first, in both engines. By the campaign recorded when each
// text arrived, not by the pool the number is in now: a number taken over
// from an archived campaign brings none of the texts it received before to
// the new admins. The open and the handled ones each read an index of their
// own (unroutable_open, unroutable_handled).
func UnroutableForCampaignSQL(which MarkFilter) string {
	return `SELECT ` + UnroutableCols + ` FROM unroutable_messages WHERE campaign_id = ?` + UnroutableMarks.Cond(which, "") +
		` ORDER BY received_at DESC LIMIT ?`
}

// ThreadReadAtSQL (thread id, owner id, thread id, thread id) is the latest
// last_read_at of anyone who held the thread: ownerID (its owner, or the one
// handing it over), and everyone it was ever handed from or to. A hand-over
// tells the new owner only of replies none of them read (reassign). Each
// holder is one primary-key read of inbox_states, found through the
// reassignments of the thread (reassignments_thread).
const ThreadReadAtSQL = `SELECT MAX(last_read_at) FROM inbox_states WHERE thread_id = ? AND user_id IN (
	SELECT CAST(? AS TEXT) UNION SELECT from_user_id FROM reassignments WHERE thread_id = ?
	UNION SELECT to_user_id FROM reassignments WHERE thread_id = ?)`

// OptIn is a START/UNSTOP received from an opted-out number.
type OptIn struct {
	ID             string
	OrganizationID string
	CampaignID     string // of the conversation it was routed to
	Phone          string
	MessageID      string
	Body           string
	CreatedAt      time.Time
	Reviewed       Marked // OptInMarks
	// OptedOut: the number is opted out of the organization now (read
	// with the opt-in).
	OptedOut bool
	// Lifted is who lifted the opt-out on this START, and when
	// (opt_out_lifts): the zero time if nobody did.
	Lifted Marked
}

// AbuseReport is a block as the campaign's admins see it.
type AbuseReport struct {
	ID         string
	CampaignID string
	ThreadID   string
	UserID     string
	Reason     string
	Note       string
	CreatedAt  time.Time
	Reviewed   Marked // AbuseReportMarks
}

// Reassignment is one hand-over of a thread.
type Reassignment struct {
	ID         string
	ThreadID   string
	FromUserID string
	ToUserID   string
	Note       string
	CreatedAt  time.Time
}

// optInCols are the columns ScanOptIn reads (opt_ins o, opt_out_lifts l),
// in both engines.
const optInCols = `o.id, o.organization_id, COALESCE(o.campaign_id, ''), o.phone, o.message_id, o.body, o.created_at,
	COALESCE(o.reviewed_by, ''), COALESCE(o.reviewed_at, ''),
	EXISTS (SELECT 1 FROM opt_outs x WHERE x.organization_id = o.organization_id AND x.phone = o.phone),
	COALESCE(l.lifted_by, ''), COALESCE(l.lifted_at, '')
	FROM opt_ins o LEFT JOIN opt_out_lifts l ON l.opt_in_id = o.id`

// OptInsSQL lists a campaign's opt-ins (campaign id, limit), newest first,
// in both engines: the open and the reviewed ones each by a partial index
// of their own (opt_ins_open, opt_ins_reviewed).
func OptInsSQL(which MarkFilter) string {
	return `SELECT ` + optInCols + ` WHERE o.campaign_id = ?` + OptInMarks.Cond(which, "o") + ` ORDER BY o.created_at DESC, o.id LIMIT ?`
}

// OptInByIDSQL is one opt-in (id).
const OptInByIDSQL = `SELECT ` + optInCols + ` WHERE o.id = ?`

// ScanOptIn reads one row of OptInsSQL or OptInByIDSQL.
func ScanOptIn(row interface{ Scan(...any) error }) (OptIn, error) {
	var o OptIn
	var at, reviewedBy, reviewedAt, liftedBy, liftedAt string
	if err := row.Scan(&o.ID, &o.OrganizationID, &o.CampaignID, &o.Phone, &o.MessageID, &o.Body, &at,
		&reviewedBy, &reviewedAt, &o.OptedOut, &liftedBy, &liftedAt); err != nil {
		return OptIn{}, err
	}
	var err error
	if o.CreatedAt, err = ParseTimeText(at); err != nil {
		return o, err
	}
	if o.Reviewed, err = scanMarked(reviewedBy, reviewedAt); err != nil {
		return o, err
	}
	o.Lifted, err = scanMarked(liftedBy, liftedAt)
	return o, err
}

const abuseReportCols = `id, campaign_id, thread_id, user_id, reason, note, created_at, COALESCE(reviewed_by, ''), COALESCE(reviewed_at, '')`

// AbuseReportsSQL lists a campaign's abuse reports (campaign id, limit),
// newest first, in both engines: the open and the reviewed ones each by a
// partial index of their own (abuse_reports_open, abuse_reports_reviewed).
func AbuseReportsSQL(which MarkFilter) string {
	return `SELECT ` + abuseReportCols + ` FROM abuse_reports WHERE campaign_id = ?` + AbuseReportMarks.Cond(which, "") +
		` ORDER BY created_at DESC, id LIMIT ?`
}

// AbuseReportByIDSQL is one abuse report (id).
const AbuseReportByIDSQL = `SELECT ` + abuseReportCols + ` FROM abuse_reports WHERE id = ?`

// ScanAbuseReport reads one row of AbuseReportsSQL or AbuseReportByIDSQL.
func ScanAbuseReport(row interface{ Scan(...any) error }) (AbuseReport, error) {
	var r AbuseReport
	var at, reviewedBy, reviewedAt string
	if err := row.Scan(&r.ID, &r.CampaignID, &r.ThreadID, &r.UserID, &r.Reason, &r.Note, &at, &reviewedBy, &reviewedAt); err != nil {
		return AbuseReport{}, err
	}
	var err error
	if r.CreatedAt, err = ParseTimeText(at); err != nil {
		return r, err
	}
	r.Reviewed, err = scanMarked(reviewedBy, reviewedAt)
	return r, err
}

// UnroutableCols are the columns ScanUnroutable reads, in both engines.
const UnroutableCols = `id, COALESCE(provider_id, ''), from_phone, to_phone, body, received_at, COALESCE(campaign_id, ''),
	COALESCE(handled_by, ''), COALESCE(handled_at, '')`

// ScanUnroutable reads one row of UnroutableCols.
func ScanUnroutable(row interface{ Scan(...any) error }) (Unroutable, error) {
	var u Unroutable
	var at, handledBy, handledAt string
	if err := row.Scan(&u.ID, &u.ProviderID, &u.From, &u.To, &u.Body, &at, &u.CampaignID, &handledBy, &handledAt); err != nil {
		return Unroutable{}, err
	}
	var err error
	if u.ReceivedAt, err = ParseTimeText(at); err != nil {
		return u, err
	}
	u.Handled, err = scanMarked(handledBy, handledAt)
	return u, err
}

// MessageVolunteerSQL is the user an exported message is attributed to
// (messages m, threads th): the sender of an outbound text, and for a reply
// the user it was routed to when it came, not whoever holds the thread now
// (a Reassign moves the thread, not its history). th.owner_id stays the
// fallback for an outbound text stored without its sender.
const MessageVolunteerSQL = `CASE WHEN m.direction = 'in' THEN m.routed_to ELSE COALESCE(m.sender_id, th.owner_id) END`

// CountReassignedToSQL counts the threads ReassignedTo lists (user id,
// campaign id), in both engines.
const CountReassignedToSQL = `SELECT COUNT(*) FROM threads th
	WHERE th.owner_id = ? AND th.campaign_id = ? AND th.blocked = 0
	AND EXISTS (SELECT 1 FROM reassignments r WHERE r.thread_id = th.id AND r.to_user_id = th.owner_id)`
