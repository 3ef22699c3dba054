// Package store is the campaign server's persistence. Store is the one
// interface the server uses; SQLite (Open) is the implementation today and a
// PostgreSQL one can be added behind the same interface. All work happens
// inside a transaction (Update or View) so that an entity and the feed rows
// announcing it are committed together.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/textbank/textbank/backend/schema"
)

// Errors callers branch on. Implementations wrap them with detail, so test
// with errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrEmailTaken    = errors.New("email already registered")
	ErrJoinCodeTaken = errors.New("join code already used by an active campaign")
	ErrDuplicate     = errors.New("already exists")
)

// FileName is the SQLite database's name in a data directory (textbankd
// serve --data, the demo's directory).
const FileName = "textbank.db"

// Store opens transactions. Update runs fn in a read-write transaction that
// commits when fn returns nil; View runs fn read-only. Neither retries.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	// UpdateEach runs fns in one write transaction, each in a savepoint of
	// its own: errs[i] is fn i's error (its writes undone), err the commit's.
	// The server batches concurrent writes through it (group commit).
	UpdateEach(ctx context.Context, fns []func(Tx) error) (errs []error, err error)
	View(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
	// SchemaVersion is the database's newest applied migration and the
	// newest this program knows (textbankd migrate prints them).
	SchemaVersion(ctx context.Context) (schema.Version, error)
	Close() error
}

// Tx is everything the server reads or writes, one interface per role. A
// function that needs one role takes that interface, so what it touches is
// plain from its signature and a second engine can be checked role by role.
// Methods returning one entity answer ErrNotFound when there is none.
type Tx interface {
	Accounts
	Campaigns
	Contacts
	SendingNumbers
	Threads
	Inbox
	OptOuts
	Mutations
	Feed
	Outbox
	OrganizerTx
	ScriptVersions
	// The hot write paths' combined statements (sendpath.go).
	SendPathTx
	AheadTx
	// Likely opt-outs, opt-ins, blocks, reassignment (conversations.go).
	ConversationTx
	// The SMS providers servers served the database with (served.go).
	ProvidersServed
	// How far the inbound catch-up listed (inbound_listed.go).
	InboundListed
}

// Accounts: users and their tokens.
type Accounts interface {
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	CreateToken(ctx context.Context, hash, userID string, at time.Time) error
	// CreateLoginToken creates a sign-in's token only while the user's
	// password hash is still passwordHash, the one the sign-in checked:
	// ErrNotFound when it changed meanwhile (or the user is gone), so a
	// sign-in with the old password cannot outlive a change that ended
	// every sign-in. On PostgreSQL it waits for a change in flight.
	CreateLoginToken(ctx context.Context, hash, userID, passwordHash string, at time.Time) error
	UserByToken(ctx context.Context, hash string) (User, error)
	CountUsers(ctx context.Context) (int, error)
}

// Campaigns: organizations, campaigns, memberships and actions.
type Campaigns interface {
	CreateOrganization(ctx context.Context, o Organization) error
	CreateCampaign(ctx context.Context, c Campaign) error
	CampaignByID(ctx context.Context, id string) (Campaign, error)
	// CampaignByJoinCode finds the active campaign with this code.
	CampaignByJoinCode(ctx context.Context, code string) (Campaign, error)
	// SearchCampaigns returns public campaigns whose name or issue contains q
	// (without case or accents, fold.Name), the active campaign whose code
	// is exactly q, and, when q is empty, the user's campaigns and every
	// public one. Role is set where userID is a member.
	SearchCampaigns(ctx context.Context, userID, q string, limit int) ([]Campaign, error)
	// FoldUnfoldedCampaigns stores the folded name and issue of the
	// campaigns written before migration 0039 (FoldCampaigns, at Open).
	FoldUnfoldedCampaigns(ctx context.Context) error
	// AnyUnfoldedCampaigns says whether FoldUnfoldedCampaigns has work: a
	// read, so that an Open with nothing to fold writes nothing.
	AnyUnfoldedCampaigns(ctx context.Context) (bool, error)
	// AddMembership makes userID a member; it reports false (and changes
	// nothing) when they already are.
	AddMembership(ctx context.Context, m Membership) (bool, error)
	Membership(ctx context.Context, campaignID, userID string) (Membership, error)
	// RemovedAt is when an organizer last took userID off the campaign
	// (RemoveMembership); ErrNotFound if never.
	RemovedAt(ctx context.Context, campaignID, userID string) (time.Time, error)
	// ForgetRemoval lets userID join the campaign again with its code
	// (members readmit); ErrNotFound if they were never removed.
	ForgetRemoval(ctx context.Context, campaignID, userID string) error
	// AddSearchJoin records that userID joined the campaign through search
	// (by its id, without the code) at at.
	AddSearchJoin(ctx context.Context, campaignID, userID string, at time.Time) error
	// SearchJoinsSince counts the campaign's joins through search after
	// since, and says when the first of them was (zero if none).
	SearchJoinsSince(ctx context.Context, campaignID string, since time.Time) (int, time.Time, error)
	// AddSearchJoinRefusal counts one more join through search of userID
	// refused by the campaign's SearchJoinsPerHour, on the account's one row;
	// Log says to log it: none of theirs here was logged after logAfter.
	AddSearchJoinRefusal(ctx context.Context, campaignID, userID string, at, logAfter time.Time) (SearchJoinRefusal, error)
	// AdminCampaigns lists the ids of the campaigns userID is an admin of
	// (an open event stream's, for whom its admin events are).
	AdminCampaigns(ctx context.Context, userID string) ([]string, error)

	CreateAction(ctx context.Context, a Action) error
	ActionByID(ctx context.Context, id string) (Action, error)
	// MemberAction is the action with its campaign, and whether userID is
	// a member of that campaign, in one read where three would each cost
	// a round trip (a hand-out asks on the shared writer). ErrNotFound if
	// the action does not exist.
	MemberAction(ctx context.Context, actionID, userID string) (Action, Campaign, bool, error)
	ActionsByCampaign(ctx context.Context, campaignID string) ([]Action, error)
}

// Contacts: an action's contacts and their assignment to volunteers.
type Contacts interface {
	CreateContact(ctx context.Context, c Contact) error
	ContactByID(ctx context.Context, id string) (Contact, error)
	// AssignedUnsent lists the contacts of an action assigned to userID and
	// not yet texted.
	AssignedUnsent(ctx context.Context, actionID, userID string) ([]Contact, error)
	// AssignContacts assigns to userID up to limit pool contacts of the
	// action, in list order, skipping numbers opted out in orgID, numbers
	// orgID sent an initial text at or after initialSince (the 6-hour
	// lock; nil skips none) and those keep refuses (nil keeps
	// all); it reads at most maxScan pool rows and returns the contacts
	// assigned and how many it passed over. Contacts passed over until a
	// time (keep's until; the lock's end) wait out of the pick until
	// then, and come back at `at` past it. Two transactions running it at
	// once never assign one contact twice.
	AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int, at time.Time,
		initialSince *time.Time, keep Keep) ([]Contact, PassedOver, error)
	// CountAssignable counts the action's contacts still in the pool.
	CountAssignable(ctx context.Context, actionID string) (int, error)
	// ReleaseContacts returns userID's unsent contacts of the action to the
	// pool, only those whose ids are in only when it is not nil, and
	// returns their ids.
	ReleaseContacts(ctx context.Context, actionID, userID string, only []string) ([]string, error)
	SetContactState(ctx context.Context, id, state string) error
}

// SendingNumbers: each campaign's pool of our numbers.
type SendingNumbers interface {
	AddSendingNumber(ctx context.Context, campaignID, phone string, at time.Time) error
	// SendingNumber is userID's number in the campaign.
	SendingNumber(ctx context.Context, campaignID, userID string) (string, error)
	// AssignSendingNumber gives userID the number of the campaign's pool
	// that the fewest of its volunteers use (a number moved from an archived
	// campaign keeps that campaign's volunteers, who count there only);
	// ErrNotFound when the pool has no number in use.
	AssignSendingNumber(ctx context.Context, campaignID, userID string, at time.Time) (string, error)
	// ListSendingNumbers lists a campaign's numbers (every campaign's when
	// campaignID is "") with how many of the campaign's volunteers use each.
	ListSendingNumbers(ctx context.Context, campaignID string) ([]SendingNumberInfo, error)
	// SendingNumberLastTexts is, for each of a campaign's numbers (every
	// campaign's when campaignID is ""), the last text of any conversation
	// on it, whichever campaign's; numbers with none are left out. It
	// reads every conversation: for the organizer's listing, not a request.
	SendingNumberLastTexts(ctx context.Context, campaignID string) (map[string]time.Time, error)
	// SendingNumberCampaign is the campaign a number of ours belongs to.
	SendingNumberCampaign(ctx context.Context, phone string) (string, error)
	// SendingNumberByPhone is a number of ours, with its campaign and
	// whether it was removed; ErrNotFound if it is not ours.
	SendingNumberByPhone(ctx context.Context, phone string) (SendingNumberInfo, error)
	// RemoveSendingNumber takes a number in use out of its campaign's pool
	// at at: it is given to no volunteer from then on, and the campaign's
	// volunteers who had it have none (returned: the caller gives them
	// another). Threads keep it. ErrNotFound if it is not ours or removed
	// already.
	RemoveSendingNumber(ctx context.Context, phone string, at time.Time) ([]string, error)
	// MoveSendingNumber puts a number of ours in campaignID's pool (out of
	// an archived campaign's, or back in use if it was removed: numbers
	// add). Threads keep their number and
	// the old campaign's volunteers their assignment, for the replies of
	// conversations under way; inbound routing goes by thread, not pool.
	MoveSendingNumber(ctx context.Context, phone, campaignID string) error
}

// Threads: conversations and their messages.
type Threads interface {
	CreateThread(ctx context.Context, t Thread) error
	ThreadByID(ctx context.Context, id string) (Thread, error)
	// UpdateThread writes the mutable columns of t (owner, times, flags).
	UpdateThread(ctx context.Context, t Thread) error
	// SetOptedOut marks each of these threads opted out and clears who
	// opted it back in and when, in one statement (an opt-out of many
	// numbers at once); ErrNotFound if any is not stored (on PostgreSQL
	// the write is held, and the error comes with the next statement).
	SetOptedOut(ctx context.Context, threadIDs []string) error
	// RouteThread is the thread of the last text sent to contactPhone from
	// sendingNumber.
	RouteThread(ctx context.Context, contactPhone, sendingNumber string) (Thread, error)
	// ThreadsByPhone lists the threads of an organization with this contact.
	ThreadsByPhone(ctx context.Context, orgID, phone string) ([]Thread, error)
	// CampaignThreadsByPhones are a campaign's threads with each of these
	// contacts, by phone, each phone's in creation order (as ThreadsByPhone):
	// one statement for a whole list (the Admin section's opt-ins and
	// unroutable senders), not one per number. orgID is the campaign's
	// organization, whose index finds the threads.
	CampaignThreadsByPhones(ctx context.Context, orgID, campaignID string, phones []string) (map[string][]Thread, error)
	// ThreadsByPhones is ThreadsByPhone for many numbers in one read: the
	// organization's threads with each, by phone, each phone's in creation
	// order; a number with none is absent.
	ThreadsByPhones(ctx context.Context, orgID string, phones []string) (map[string][]Thread, error)
	// InactiveThreads lists threads whose last message and last report are
	// before cutoff, that their owner has not archived, nor taken out of the
	// archive since cutoff.
	InactiveThreads(ctx context.Context, cutoff time.Time, limit int) ([]Thread, error)

	CreateMessage(ctx context.Context, m Message) error
	MessageByID(ctx context.Context, id string) (Message, error)
	// MessageByProviderID finds a message by the provider's id: how a
	// repeated inbound webhook is recognised.
	MessageByProviderID(ctx context.Context, providerID string) (Message, error)
	// AddMessageMedia stores the picture URLs of an inbound message.
	AddMessageMedia(ctx context.Context, messageID string, urls []string) error
	MessageMedia(ctx context.Context, messageID string) ([]string, error)
	// InitialSentSince reports whether an initial text went to phone from any
	// campaign of orgID at or after since.
	InitialSentSince(ctx context.Context, orgID, phone string, since time.Time) (bool, error)
}

// Inbox: reports, each user's inbox state per thread, and settings.
// Missing inbox state and settings read as zero values.
type Inbox interface {
	CreateReport(ctx context.Context, r Report) error
	ReportByID(ctx context.Context, id string) (Report, error)
	InboxState(ctx context.Context, userID, threadID string) (InboxState, error)
	PutInboxState(ctx context.Context, s InboxState) error
	Settings(ctx context.Context, userID string) (Settings, error)
	PutSettings(ctx context.Context, s Settings) error
}

// OptOuts: opt-outs (per organization), blocks (per volunteer) and inbound
// texts no thread claims.
type OptOuts interface {
	// AddOptOut opts a number out of the organization; for one opted out
	// already it keeps the first opt-out and records when it was renewed.
	AddOptOut(ctx context.Context, o OptOut) error
	// AddOptOuts is AddOptOut for many numbers of one organization at
	// once, each with its time, with one reason and no source message (an
	// import: OptOutImported, from the list's file, OptOut.ImportedFrom).
	// A number listed twice counts once, at its first time.
	AddOptOuts(ctx context.Context, orgID string, outs []PhoneAt, reason, file string) error
	// ClaimReportedOptOuts makes the import's (OptOutImported, reason, file) the
	// opt-outs of these numbers that only reports filed, as a renewal by
	// the import would, without renewing them: an organizer's list names
	// them, so no admin may undo them as a report's mistake. Any other
	// opt-out, or none, is left as it is.
	ClaimReportedOptOuts(ctx context.Context, orgID string, phones []string, reason, file string) error
	IsOptedOut(ctx context.Context, orgID, phone string) (bool, error)
	// OptOutOf is the organization's opt-out of phone, or ErrNotFound.
	OptOutOf(ctx context.Context, orgID, phone string) (OptOut, error)
	// LiftOptOut ends the organization's opt-out of l.Phone, keeping it in
	// opt_out_lifts with who lifted it, when, and on which opt-in (none:
	// an admin undid a report's). ErrNotFound when the number is not
	// opted out.
	LiftOptOut(ctx context.Context, l OptOutLift) error
	AddBlock(ctx context.Context, b Block) error
	IsBlocked(ctx context.Context, userID, phone string) (bool, error)
	// AddUnroutable stores an inbound message no thread claims; a repeated
	// provider id is ErrDuplicate.
	AddUnroutable(ctx context.Context, u Unroutable) error
	ListUnroutable(ctx context.Context, limit int) ([]Unroutable, error)
	// OptedOutThreads lists up to limit of the campaign's opted-out
	// threads, each with its number's opt-out, newest marked first, after
	// the cursor (zero: from the newest); CountOptedOutThreads counts them
	// all. Both read threads_opted_out alone, however many conversations
	// the campaign has.
	OptedOutThreads(ctx context.Context, campaignID string, after OptedOutCursor, limit int) ([]OptedOutThread, error)
	CountOptedOutThreads(ctx context.Context, campaignID string) (int, error)
}

// Mutations: each client mutation id applied at most once.
type Mutations interface {
	MutationByID(ctx context.Context, id string) (Mutation, error)
	PutMutation(ctx context.Context, m Mutation) error
}

// Feed: the per-user change log sync reads, and the batch reads that load
// a sync page's entities.
type Feed interface {
	AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error)
	FeedAfter(ctx context.Context, userID string, cursor int64, limit int) ([]FeedRow, error)
	LatestSeq(ctx context.Context, userID string) (int64, error)
	// SupersededFeed lists up to limit of the user's feed rows whose
	// deletion changes nothing any client ends up with (SupersededFeedSQL),
	// by seq, oldest first; DeleteFeed deletes rows by seq, answering how
	// many were there (another server may have deleted some).
	SupersededFeed(ctx context.Context, userID string, limit int) ([]int64, error)
	DeleteFeed(ctx context.Context, seqs []int64) (int64, error)
	// AdminChanged says the transaction changes what the campaign's Admin
	// section shows (an unroutable text, an abuse report, an opt-in, a
	// conversation reassigned): a store several servers share announces it
	// with the commit to every server listening (Listeners.Admin), this one
	// too; SQLite announces nothing (the server pokes its own streams, and
	// its feed watcher notices other processes' writes).
	AdminChanged(campaignID string)

	// The entities with these ids, by id; an id with none is absent from
	// the map. InboxStates lists only stored rows.
	ThreadsByIDs(ctx context.Context, ids []string) (map[string]Thread, error)
	MessagesByIDs(ctx context.Context, ids []string) (map[string]Message, error)
	ReportsByIDs(ctx context.Context, ids []string) (map[string]Report, error)
	ContactsByIDs(ctx context.Context, ids []string) (map[string]Contact, error)
	InboxStates(ctx context.Context, userID string, threadIDs []string) (map[string]InboxState, error)
	// LastAnswered is, for each thread given, when its latest outbound
	// text that reached (or is on its way to) the contact was made: not
	// refused, failed or undelivered. A thread with none is absent. The
	// thread's LastOutboundAt moves when a text is accepted, not back when
	// it fails, so "has the contact's latest text an answer" asks this.
	LastAnswered(ctx context.Context, threadIDs []string) (map[string]time.Time, error)
}

// Outbox: the dispatcher's queue of outbound texts.
type Outbox interface {
	// PendingMessages lists outbound texts in status (queued or sending),
	// oldest first, with their numbers and owner; in a write transaction
	// on PostgreSQL, "sending" adopts the texts of servers that are gone
	// (their key free for the grace) or gave them up, and this server's
	// own (a restart's recovery). Queued texts are listed, not claimed
	// (SendPathTx.ClaimQueued claims them).
	PendingMessages(ctx context.Context, status string, limit int) ([]Outgoing, error)
	// SetMessageStatus records the outcome of a provider call.
	SetMessageStatus(ctx context.Context, id, status, providerID, errText string, sentAt *time.Time) error
	// RecountAnswers works out again how far the answers of the threads
	// of these texts reach (Thread's AnsweredThrough) once they failed
	// (inbox.Reached): the furthest reach of the thread's outbound texts
	// that still count (inbox.AnsweredSQL; one stored without a reach
	// reaching when it was made), NULL if none does. Only the threads of
	// texts that were replies (stored with a reach) are written; it lists
	// them. The failure path alone calls it: a send costs nothing more.
	RecountAnswers(ctx context.Context, messageIDs []string) ([]RecountedThread, error)
	// CountPending counts texts queued or sending.
	CountPending(ctx context.Context) (int, error)
	// CancelQueued marks the texts still queued (no provider call begun:
	// none is in a worker's hands) of each of these threads failed with
	// errText, in one statement, and returns their ids by thread, each
	// thread's oldest first; a thread with none is absent.
	CancelQueued(ctx context.Context, threadIDs []string, errText string) (map[string][]string, error)
	// OwnSending lists up to limit texts this server has sending (on
	// PostgreSQL those claimed under its key; on SQLite, one server to a
	// database, every text sending), oldest first, after the text at
	// after (zero: from the first). A running server pages through them
	// for texts a commit that failed on its way back left with no worker.
	OwnSending(ctx context.Context, after SendingCursor, limit int) ([]Outgoing, error)
	// SameWordsElsewhere says whether a text other than o, with o's
	// numbers and words, is sending under another server's claim: that
	// server may have a provider call for it under way, or answered and
	// not yet recorded, and a lookup of o must not take its provider text
	// (server/dispatch_words.go). On PostgreSQL, claimed under a key none
	// of this Store's epochs held (texts given up, with no key, are no
	// server's); on SQLite, one server to a database, never. Only lookups
	// ask, never the send path.
	SameWordsElsewhere(ctx context.Context, o Outgoing) (bool, error)
	// HandedSince calls each with the provider id of every outbound text
	// handed to a provider and created after since, oldest first, until
	// each answers false (HandedSinceSQL).
	HandedSince(ctx context.Context, since time.Time, each func(providerID string) bool) error
}

// SendingCursor is where a page of OwnSending ends: the last text's
// created time and id.
type SendingCursor struct {
	CreatedAt time.Time
	ID        string
}
