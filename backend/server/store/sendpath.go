package store

import (
	"context"
	"time"
)

// SendPathTx is what the hot write paths (a send, a reply, an inbound text)
// need beyond the single-entity methods: the checks of a text read in one
// statement, several feed rows written in one, and a thread's activity
// written without touching its other indexed columns. The writer is one
// connection, so every statement saved here is throughput. Tx embeds it.
type SendPathTx interface {
	// SendChecks reads, in one statement, what decides whether userID may
	// text phone in campaignID now. ErrNotFound if the campaign does not
	// exist.
	SendChecks(ctx context.Context, q SendCheck) (SendChecks, error)
	// AppendFeeds appends rows (their Seq ignored) to the feed, in order.
	AppendFeeds(ctx context.Context, at time.Time, rows ...FeedRow) error
	// RolesChanged says the transaction may change the user's memberships
	// or admin rights (it appends them a campaign's feed row): a store
	// several servers share announces it with the commit to every server
	// listening (Listeners.Roles), this one too; SQLite announces nothing
	// (the server marks its own streams, and its feed watcher notices other
	// processes' writes). An open event stream reads the user's admin
	// campaigns again only then, not at every change to their feed.
	RolesChanged(userID string)
	// ClaimQueued moves up to limit queued texts, oldest first, to sending
	// (the dispatcher's claim, recorded before the provider is called),
	// appends a row of feedKind for each to its owner's feed, in order, and
	// gives them to got, as sending. Servers sharing a PostgreSQL database claim
	// each text once: a text another transaction's claim holds is skipped.
	//
	// got is called before ClaimQueued returns, or, in a group of writes
	// (Store.UpdateEach) that sends the claim with what follows it, when its
	// answer comes back, before UpdateEach returns; a group that runs again
	// calls it again. What got was given last is claimed once the
	// transaction has committed with the fn that claimed (a fn that fails
	// after its claim has it undone).
	ClaimQueued(ctx context.Context, limit int, feedKind string, at time.Time, got func([]Outgoing)) error
	// SetMessageStatuses records many provider answers at once, each as
	// SetMessageStatus would (the dispatcher's batch of outcomes).
	// ErrDuplicate when a provider id is another message's, ErrNotFound
	// when a message is missing; after an error the caller records the
	// answers one by one (some may be written already).
	SetMessageStatuses(ctx context.Context, rows []MessageStatus) error
	// ThreadActivity records a new message in a thread: last_message_at
	// becomes lastMessageAt, and last_inbound_at or last_outbound_at the
	// one of inboundAt and outboundAt that is not nil; with outboundAt (a
	// reply), answered_through becomes answeredThrough (Thread's
	// AnsweredThrough; required), which must be nil with inboundAt.
	// Nothing else is written.
	ThreadActivity(ctx context.Context, threadID string, lastMessageAt time.Time, inboundAt, outboundAt, answeredThrough *time.Time) error
	// ClaimInitial is the writer's half of a first text checked on a read
	// snapshot: it moves q.ContactID from assigned to texted, in one
	// statement, only if everything the checks read still holds (see
	// InitialClaim). False, with nothing written, when anything changed;
	// the caller then checks the text again in full.
	ClaimInitial(ctx context.Context, q InitialClaim) (bool, error)
}

// MessageStatus is one provider answer for SetMessageStatuses: the
// message's new status, its provider id and sent time if not empty (else
// unchanged), and its error text.
type MessageStatus struct {
	ID         string
	Status     string
	ProviderID string
	Error      string
	SentAt     *time.Time
	// Lease, if not 0, is the lease epoch the text was held under
	// (Outgoing.Lease): on a store several servers share, the answer is
	// written only while the text is still sending under that epoch's
	// key, and skipped without error once another server has taken it
	// over. A store of one server (SQLite) has no leases.
	Lease uint64
}

// InitialClaim is a first text whose checks passed on a read snapshot.
// ClaimInitial commits to it only if, now: the contact is still assigned
// to UserID in ActionID; the action's scripts and texting hours are still
// Scripts and Hours (they made the text and decided the hours check);
// Phone has not opted out of OrganizationID, UserID has not blocked it, and
// the organization sent it no initial text since InitialSince; and neither
// MessageID nor MutationID is taken. What the checks read besides
// (the contact's name, number and fields, the campaign's organization, the
// volunteer's sending number) never changes once stored.
type InitialClaim struct {
	ContactID      string
	UserID         string
	ActionID       string
	Scripts        []string
	Hours          TextingHours
	OrganizationID string
	Phone          string
	InitialSince   time.Time
	MessageID      string
	MutationID     string
	// CampaignID and Number: the volunteer still has Number in the
	// campaign (a number removed from the pool is taken from its
	// volunteers).
	CampaignID string
	Number     string
}

// SendCheck names one text about to be committed.
type SendCheck struct {
	CampaignID string
	UserID     string // the volunteer sending
	Phone      string // the contact's number, E.164
	MessageID  string // the client's id for the new message
	// InitialSince, when set, asks whether the organization sent phone an
	// initial text at or after it (the 6-hour lock).
	InitialSince *time.Time
}

// SendChecks is what SendChecks found.
type SendChecks struct {
	OrganizationID string
	CampaignName   string
	OptedOut       bool   // phone opted out of the organization
	Blocked        bool   // the volunteer blocked phone
	RecentInitial  bool   // an initial text went to phone since InitialSince
	Number         string // the volunteer's sending number in the campaign; "" if none
	MessageIDTaken bool   // a message already has MessageID
}

// AheadTx is what the checks a text gets before the writer is taken read,
// each in one statement: the fewer statements a request runs, the less
// CPU it costs (on a read snapshot, every page a statement touches after
// a commit is read again from the OS). Tx embeds it.
type AheadTx interface {
	// InitialChecks reads what decides a first text to contactID by
	// userID: the contact, what of its action makes and times the text,
	// and SendChecks for the contact's number in the action's campaign
	// (the 6-hour lock from since). ErrNotFound if no contact has the id.
	InitialChecks(ctx context.Context, contactID, userID, messageID string, since time.Time) (InitialCheck, error)
	// RouteInbound is RouteThread with what storing a text from the
	// contact into that thread decides on besides. ErrNotFound if no
	// thread routes it.
	// providerID is the text's id at the provider: the route says whether a
	// message has it already (a provider repeating a webhook).
	RouteInbound(ctx context.Context, contactPhone, sendingNumber, providerID string) (InboundRoute, error)
}

// InitialCheck is what InitialChecks read.
type InitialCheck struct {
	Contact    Contact
	CampaignID string       // the contact's action's
	Scripts    []string     // the action's initial scripts
	Hours      TextingHours // the action's texting hours
	SendChecks
}

// RouteKey is what routes an inbound text: the contact's number, ours,
// and the provider's id (RouteInbound's arguments).
type RouteKey struct{ Phone, Number, ProviderID string }

// InboundRoute is the thread an inbound text joins and what decides how.
type InboundRoute struct {
	Thread   Thread
	OptedOut bool // the contact's number opted out of the thread's organization
	Blocked  bool // the thread's owner blocked the number
	Archived bool // the thread's owner has it archived
	Seen     bool // a message has the provider id already
}
