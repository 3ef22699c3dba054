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

	"github.com/textbank/textbank/backend/api"
)

// Errors callers branch on. Implementations wrap them with detail, so test
// with errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrEmailTaken    = errors.New("email already registered")
	ErrJoinCodeTaken = errors.New("join code already used by an active campaign")
	ErrDuplicate     = errors.New("already exists")
)

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
	Close() error
}

// Tx is everything the server reads or writes. Methods returning one entity
// answer ErrNotFound when there is none.
type Tx interface {
	// Users and tokens.
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	CreateToken(ctx context.Context, hash, userID string, at time.Time) error
	UserByToken(ctx context.Context, hash string) (User, error)
	CountUsers(ctx context.Context) (int, error)

	// Organizations, campaigns, memberships.
	CreateOrganization(ctx context.Context, o Organization) error
	CreateCampaign(ctx context.Context, c Campaign) error
	CampaignByID(ctx context.Context, id string) (Campaign, error)
	// CampaignByJoinCode finds the active campaign with this code.
	CampaignByJoinCode(ctx context.Context, code string) (Campaign, error)
	// SearchCampaigns returns public campaigns whose name or issue contains q
	// (case-insensitive), the active campaign whose code is exactly q, and,
	// when q is empty, the user's campaigns and every public one. Role is set
	// where userID is a member.
	SearchCampaigns(ctx context.Context, userID, q string, limit int) ([]Campaign, error)
	// AddMembership makes userID a member; it reports false (and changes
	// nothing) when they already are.
	AddMembership(ctx context.Context, m Membership) (bool, error)
	Membership(ctx context.Context, campaignID, userID string) (Membership, error)

	// Actions.
	CreateAction(ctx context.Context, a Action) error
	ActionByID(ctx context.Context, id string) (Action, error)
	ActionsByCampaign(ctx context.Context, campaignID string) ([]Action, error)

	// Contacts and assignment.
	CreateContact(ctx context.Context, c Contact) error
	ContactByID(ctx context.Context, id string) (Contact, error)
	// AssignedUnsent lists the contacts of an action assigned to userID and
	// not yet texted.
	AssignedUnsent(ctx context.Context, actionID, userID string) ([]Contact, error)
	// AssignContacts assigns to userID up to limit pool contacts of the
	// action, in list order, skipping numbers opted out in orgID and those
	// keep refuses (nil keeps all); it reads at most maxScan pool rows and
	// returns the contacts assigned and how many keep refused.
	AssignContacts(ctx context.Context, actionID, orgID, userID string, limit, maxScan int, at time.Time,
		keep func(Contact) bool) ([]Contact, int, error)
	// CountAssignable counts the action's contacts still in the pool.
	CountAssignable(ctx context.Context, actionID string) (int, error)
	// ReleaseContacts returns userID's unsent contacts of the action to the
	// pool and returns their ids.
	ReleaseContacts(ctx context.Context, actionID, userID string) ([]string, error)
	SetContactState(ctx context.Context, id, state string) error

	// Sending numbers.
	AddSendingNumber(ctx context.Context, campaignID, phone string, at time.Time) error
	// SendingNumber is userID's number in the campaign.
	SendingNumber(ctx context.Context, campaignID, userID string) (string, error)
	// AssignSendingNumber gives userID the number of the campaign's pool
	// that the fewest volunteers use; ErrNotFound when the pool is empty.
	AssignSendingNumber(ctx context.Context, campaignID, userID string, at time.Time) (string, error)
	// ListSendingNumbers lists a campaign's numbers (every campaign's when
	// campaignID is "") with how many volunteers use each.
	ListSendingNumbers(ctx context.Context, campaignID string) ([]SendingNumberInfo, error)
	// SendingNumberCampaign is the campaign a number of ours belongs to.
	SendingNumberCampaign(ctx context.Context, phone string) (string, error)

	// Threads.
	CreateThread(ctx context.Context, t Thread) error
	ThreadByID(ctx context.Context, id string) (Thread, error)
	// UpdateThread writes the mutable columns of t (owner, times, flags).
	UpdateThread(ctx context.Context, t Thread) error
	// RouteThread is the thread of the last text sent to contactPhone from
	// sendingNumber.
	RouteThread(ctx context.Context, contactPhone, sendingNumber string) (Thread, error)
	// ThreadsByPhone lists the threads of an organization with this contact.
	ThreadsByPhone(ctx context.Context, orgID, phone string) ([]Thread, error)
	// InactiveThreads lists threads whose last message is before cutoff and
	// that their owner has not archived.
	InactiveThreads(ctx context.Context, cutoff time.Time, limit int) ([]Thread, error)

	// Messages.
	CreateMessage(ctx context.Context, m Message) error
	MessageByID(ctx context.Context, id string) (Message, error)
	MessageByProviderID(ctx context.Context, providerID string) (Message, error)
	// SetMessageStatus records the outcome of a provider call.
	SetMessageStatus(ctx context.Context, id, status, providerID, errText string, sentAt *time.Time) error
	// PendingMessages lists outbound texts in status (queued or sending),
	// oldest first, with their numbers and owner: the dispatcher's queue.
	PendingMessages(ctx context.Context, status string, limit int) ([]Outgoing, error)
	// CountPending counts texts queued or sending.
	CountPending(ctx context.Context) (int, error)
	// AddMessageMedia stores the picture URLs of an inbound message.
	AddMessageMedia(ctx context.Context, messageID string, urls []string) error
	MessageMedia(ctx context.Context, messageID string) ([]string, error)
	// InitialSentSince reports whether an initial text went to phone from any
	// campaign of orgID at or after since.
	InitialSentSince(ctx context.Context, orgID, phone string, since time.Time) (bool, error)

	// Reports.
	CreateReport(ctx context.Context, r Report) error
	ReportByID(ctx context.Context, id string) (Report, error)

	// Inbox state and settings; missing rows read as zero values.
	InboxState(ctx context.Context, userID, threadID string) (InboxState, error)
	PutInboxState(ctx context.Context, s InboxState) error
	Settings(ctx context.Context, userID string) (Settings, error)
	PutSettings(ctx context.Context, s Settings) error

	// Opt-outs, blocks, unroutable messages.
	AddOptOut(ctx context.Context, o OptOut) error
	IsOptedOut(ctx context.Context, orgID, phone string) (bool, error)
	AddBlock(ctx context.Context, b Block) error
	IsBlocked(ctx context.Context, userID, phone string) (bool, error)
	// AddUnroutable stores an inbound message no thread claims; a repeated
	// provider id is ErrDuplicate.
	AddUnroutable(ctx context.Context, u Unroutable) error
	ListUnroutable(ctx context.Context, limit int) ([]Unroutable, error)

	// Mutations applied at most once.
	MutationByID(ctx context.Context, id string) (Mutation, error)
	PutMutation(ctx context.Context, m Mutation) error

	// Batch reads for sync pages: the entities with these ids, by id; an id
	// with none is absent from the map. InboxStates lists only stored rows.
	ThreadsByIDs(ctx context.Context, ids []string) (map[string]Thread, error)
	MessagesByIDs(ctx context.Context, ids []string) (map[string]Message, error)
	ReportsByIDs(ctx context.Context, ids []string) (map[string]Report, error)
	ContactsByIDs(ctx context.Context, ids []string) (map[string]Contact, error)
	InboxStates(ctx context.Context, userID string, threadIDs []string) (map[string]InboxState, error)

	// Feed: the per-user change log sync reads.
	AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error)
	FeedAfter(ctx context.Context, userID string, cursor int64, limit int) ([]FeedRow, error)
	LatestSeq(ctx context.Context, userID string) (int64, error)

	// Organizers' operations and token lifetimes (organize.go).
	OrganizerTx

	// Likely opt-outs, opt-ins, blocks, reassignment (conversations.go).
	ConversationTx
}

// Membership roles.
const (
	RoleVolunteer = "volunteer"
	RoleAdmin     = "admin"
)

// Contact states.
const (
	ContactUnassigned = "unassigned"
	ContactAssigned   = "assigned"
	ContactTexted     = "texted"
	ContactReleased   = "released"
)

type User struct {
	ID           string
	Name         string
	Email        string
	PasswordHash string
	CreatedAt    time.Time
}

type Organization struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

type Campaign struct {
	ID             string
	OrganizationID string
	Name           string
	Issue          string
	JoinCode       string
	Public         bool
	Active         bool
	CreatedAt      time.Time
	Role           string // filled by SearchCampaigns for the caller
}

type Membership struct {
	CampaignID string
	UserID     string
	Role       string
	CreatedAt  time.Time
}

type Action struct {
	ID              string
	CampaignID      string
	Type            string
	Title           string
	Description     string
	Instructions    string
	Scripts         []string
	ResponseScripts []api.ResponseScript
	ReportFields    []api.ReportField
	TextingHours    api.TextingHours
	BatchSize       int
	AllowFreeText   bool
	CreatorID       string
	CreatedAt       time.Time
}

type Contact struct {
	ID          string
	ActionID    string
	FirstName   string
	LastName    string
	Phone       string
	Zip         string
	ExternalID  string
	Fields      map[string]string
	ScriptIndex int
	State       string
	AssignedTo  string
	AssignedAt  *time.Time
	CreatedAt   time.Time
}

type Thread struct {
	ID             string // = contact id
	ActionID       string
	CampaignID     string
	OrganizationID string
	OwnerID        string
	ContactName    string
	ContactPhone   string
	SendingNumber  string
	LastMessageAt  time.Time
	LastInboundAt  *time.Time
	LastOutboundAt *time.Time
	LastReportAt   *time.Time
	OptedOut       bool
	Blocked        bool
	CreatedAt      time.Time
}

type Message struct {
	ID         string
	ThreadID   string
	Direction  string
	Body       string
	Status     string
	ProviderID string // "" until the provider named it
	Initial    bool
	SenderID   string // the user who sent an outbound message
	Error      string
	CreatedAt  time.Time
	SentAt     *time.Time
}

type Report struct {
	ID          string
	ThreadID    string
	UserID      string
	Values      map[string]string
	SubmittedAt time.Time
}

type InboxState struct {
	UserID         string
	ThreadID       string
	LastReadAt     *time.Time
	Archived       bool
	ArchivedReason string
}

type Settings struct {
	UserID      string
	AutoArchive bool
}

type OptOut struct {
	OrganizationID  string
	Phone           string
	Reason          string
	SourceMessageID string
	CreatedAt       time.Time
}

type Block struct {
	UserID          string
	Phone           string
	OrganizationID  string
	ContactID       string
	Reason          string
	SourceMessageID string
	CreatedAt       time.Time
}

type Unroutable struct {
	ID         string
	ProviderID string
	From       string
	To         string
	Body       string
	ReceivedAt time.Time
}

type Mutation struct {
	ID        string
	UserID    string
	Type      string
	Result    api.MutationResult
	CreatedAt time.Time
}

type FeedRow struct {
	Seq      int64
	UserID   string
	Kind     string
	EntityID string
}
