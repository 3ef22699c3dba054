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
	// newest first.
	OptIns(ctx context.Context, campaignID string, limit int) ([]OptIn, error)

	AddAbuseReport(ctx context.Context, r AbuseReport) error
	// AbuseReports lists a campaign's abuse reports, newest first.
	AbuseReports(ctx context.Context, campaignID string, limit int) ([]AbuseReport, error)

	AddReassignment(ctx context.Context, r Reassignment) error
	// Reassignments is the latest reassignment of each of these threads
	// that has one.
	Reassignments(ctx context.Context, threadIDs []string) (map[string]Reassignment, error)
	// ReassignedTo lists the threads of a campaign that userID holds
	// because they were reassigned to them, latest hand-over first.
	ReassignedTo(ctx context.Context, userID, campaignID string, limit int) ([]Thread, error)

	// CampaignAdmins lists a campaign's admins in the order they joined.
	CampaignAdmins(ctx context.Context, campaignID string) ([]User, error)
	// ThreadsOwnedInAction lists the threads of an action ownerID holds.
	ThreadsOwnedInAction(ctx context.Context, ownerID, actionID string) ([]Thread, error)
	// ThreadChildren lists the ids of a thread's messages and reports, oldest
	// first.
	ThreadChildren(ctx context.Context, threadID string) (messageIDs, reportIDs []string, err error)
	// UsersByIDs are the users with these ids, by id.
	UsersByIDs(ctx context.Context, ids []string) (map[string]User, error)
	// UnroutableForCampaign lists the unroutable texts that reached the
	// campaign's numbers while they were in its pool, newest first: the
	// open ones, the handled ones or all (which).
	UnroutableForCampaign(ctx context.Context, campaignID string, which UnroutableFilter, limit int) ([]Unroutable, error)
	// CountHandledUnroutable counts the campaign's handled unroutable texts
	// (the Admin section hides them and says how many there are).
	CountHandledUnroutable(ctx context.Context, campaignID string) (int, error)
	// UnroutableByID is one unroutable text, or ErrNotFound.
	UnroutableByID(ctx context.Context, id string) (Unroutable, error)
	// SetUnroutableHandled marks the text handled by userID at at, keeping
	// who and when of an earlier mark (marking twice is no change), or
	// open again (handled false). An empty userID marks it handled from
	// textbankd's command line, which is no account (handled_by NULL).
	// ErrNotFound for no such text.
	SetUnroutableHandled(ctx context.Context, id string, handled bool, userID string, at time.Time) error
	// LastInboundByThreads is the body of the contact's latest text in each
	// of these threads that has one, by thread id: one statement for all.
	LastInboundByThreads(ctx context.Context, threadIDs []string) (map[string]string, error)
}

// UnroutableFilter picks unroutable texts by whether an admin marked them
// handled.
type UnroutableFilter int

const (
	UnroutableAll UnroutableFilter = iota
	UnroutableOpen
	UnroutableHandled
)

// UnroutableForCampaignSQL lists a campaign's unroutable texts (campaign id,
// limit), newest first, in both engines. By the campaign recorded when each
// text arrived, not by the pool the number is in now: a number taken over
// from an archived campaign brings none of the texts it received before to
// the new admins. The open and the handled ones each read an index of their
// own (unroutable_open, unroutable_handled).
func UnroutableForCampaignSQL(which UnroutableFilter) string {
	return `SELECT ` + UnroutableCols + ` FROM unroutable_messages WHERE campaign_id = ?` + which.cond() +
		` ORDER BY received_at DESC LIMIT ?`
}

// CountHandledUnroutableSQL counts a campaign's handled texts (campaign id).
const CountHandledUnroutableSQL = `SELECT COUNT(*) FROM unroutable_messages WHERE campaign_id = ? AND handled_at IS NOT NULL`

// SetUnroutableHandledSQL marks a text handled (by, at, id): an earlier
// mark stands. ClearUnroutableHandledSQL (id) marks it open again.
const (
	SetUnroutableHandledSQL = `UPDATE unroutable_messages SET handled_by = ?, handled_at = ?
		WHERE id = ? AND handled_at IS NULL`
	ClearUnroutableHandledSQL = `UPDATE unroutable_messages SET handled_by = NULL, handled_at = NULL WHERE id = ?`
)

func (f UnroutableFilter) cond() string {
	switch f {
	case UnroutableOpen:
		return ` AND handled_at IS NULL`
	case UnroutableHandled:
		return ` AND handled_at IS NOT NULL`
	}
	return ``
}

// OptIn is a START/UNSTOP received from an opted-out number.
type OptIn struct {
	ID             string
	OrganizationID string
	CampaignID     string // of the conversation it was routed to
	Phone          string
	MessageID      string
	Body           string
	CreatedAt      time.Time
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

// UnroutableCols are the columns ScanUnroutable reads, in both engines.
const UnroutableCols = `id, COALESCE(provider_id, ''), from_phone, to_phone, body, received_at, COALESCE(campaign_id, ''),
	COALESCE(handled_by, ''), COALESCE(handled_at, '')`

// ScanUnroutable reads one row of UnroutableCols.
func ScanUnroutable(row interface{ Scan(...any) error }) (Unroutable, error) {
	var u Unroutable
	var at, handledAt string
	if err := row.Scan(&u.ID, &u.ProviderID, &u.From, &u.To, &u.Body, &at, &u.CampaignID, &u.HandledBy, &handledAt); err != nil {
		return Unroutable{}, err
	}
	var err error
	if u.ReceivedAt, err = ParseTimeText(at); err != nil || handledAt == "" {
		return u, err
	}
	u.HandledAt, err = ParseTimeText(handledAt)
	return u, err
}

// MessageVolunteerSQL is the user an exported message is attributed to
// (messages m, threads th): the sender of an outbound text, and for a reply
// the user it was routed to when it came, not whoever holds the thread now
// (a Reassign moves the thread, not its history). th.owner_id stays the
// fallback for an outbound text stored without its sender.
const MessageVolunteerSQL = `CASE WHEN m.direction = 'in' THEN m.routed_to ELSE COALESCE(m.sender_id, th.owner_id) END`
