package store

import (
	"context"
	"time"
)

// OrganizerTx is what the organizer's command line and account hardening
// need beyond the volunteer protocol: campaign administration, bulk contact
// import, exports and token lifetimes. Tx embeds it.
type OrganizerTx interface {
	// Tokens.
	// TokenUser is the user of a token, when it was made and when it was
	// last used.
	TokenUser(ctx context.Context, hash string) (User, TokenTimes, error)
	TouchToken(ctx context.Context, hash string, at time.Time) error
	// DeleteToken forgets a token; ErrNotFound if there was none.
	DeleteToken(ctx context.Context, hash string) error
	// DeleteUserTokens forgets every token of a user but the one hashed
	// keep ("": none; signed out everywhere) and says how many went.
	DeleteUserTokens(ctx context.Context, userID, keep string) (int, error)
	// CountSignIns says how many accounts have a token and how many tokens
	// there are: what deleting every user's tokens would end.
	CountSignIns(ctx context.Context) (accounts, signIns int, err error)
	// TrimUserTokens forgets a user's tokens but the keep most recently
	// used (one never used counts from its sign-in), newest (the sign-in
	// just made) always among them, and returns the hashes it deleted.
	TrimUserTokens(ctx context.Context, userID string, keep int, newest string) ([]string, error)
	// DeleteEndedTokens deletes up to limit tokens last used (one never
	// used: made) before idleBefore or made before madeBefore, and returns
	// the hashes it deleted: the tokens nobody presented again after they
	// ended. A token another transaction deleted first is not named.
	DeleteEndedTokens(ctx context.Context, idleBefore, madeBefore time.Time, limit int) ([]string, error)
	// SetPasswordHash replaces a user's password hash; ErrNotFound if
	// there is no such user.
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// ReplacePasswordHash sets a new hash only while the user's is still
	// old, the one the caller checked a password against: ErrNotFound when
	// it changed meanwhile (an organizer's reset), so a change checked
	// against the old password cannot undo the reset.
	ReplacePasswordHash(ctx context.Context, userID, old, hash string) error
	// RenameUser gives a user a new name; ErrNotFound if there is no such
	// user. Where servers share the database, each of the user's tokens is
	// announced changed (servers cache a token's user, name included).
	RenameUser(ctx context.Context, userID, name string) error

	// Organizations and campaigns.
	OrganizationByName(ctx context.Context, name string) (Organization, error)
	OrganizationByID(ctx context.Context, id string) (Organization, error)
	// UpdateCampaign writes name, issue, public and active.
	UpdateCampaign(ctx context.Context, c Campaign) error
	ListCampaigns(ctx context.Context, includeArchived bool) ([]CampaignListing, error)
	// JoinCodeEverUsed says whether any campaign, archived ones included,
	// has or had this join code (CampaignByJoinCode finds active ones
	// only): a code drawn for a new campaign must be none its archived
	// campaigns' volunteers, or anyone who saw a public one, already know.
	// (campaign new-code's retired codes included).
	JoinCodeEverUsed(ctx context.Context, code string) (bool, error)
	// SetJoinCode gives the active campaign a new join code, keeping old
	// as one it had (JoinCodeEverUsed): ErrNotFound when no active
	// campaign has this id and old, ErrJoinCodeTaken when an active
	// campaign has code. Memberships stay: a code is how one joins, not
	// what a member holds.
	SetJoinCode(ctx context.Context, campaignID, old, code string, at time.Time) error
	// CampaignByRetiredJoinCode is the campaign that last had code before
	// SetJoinCode replaced it; ErrNotFound if none did. Only organizer
	// commands ask, to say where an old code went: never a volunteer's
	// join, which must not tell a stranger a code existed.
	CampaignByRetiredJoinCode(ctx context.Context, code string) (Campaign, error)
	// Members lists a campaign's memberships, oldest first.
	Members(ctx context.Context, campaignID string) ([]Member, error)
	SetMembershipRole(ctx context.Context, campaignID, userID, role string) error
	// RemoveMembership takes userID off the campaign, remembering when
	// (RemovedAt); ErrNotFound if they are not a member.
	RemoveMembership(ctx context.Context, campaignID, userID string, at time.Time) error
	ListUsers(ctx context.Context) ([]UserListing, error)

	// Actions.
	// UpdateAction writes everything but id, campaign and creation time,
	// and brings back into the pick the action's contacts waiting for a
	// time (its texting hours may have changed).
	UpdateAction(ctx context.Context, a Action) error
	ActionContactFields(ctx context.Context, actionID string) ([]string, error)
	SetActionContactFields(ctx context.Context, actionID string, fields []string) error
	// RefeedContacts appends to each holder's feed an assignment row of
	// each of the action's contacts assigned and not yet texted, and a
	// contact row of each of its conversations, so that their apps receive
	// those contacts again as they are now (a column the action no longer
	// shows gone), and returns the holders. One statement a kind writes
	// the rows, whatever their number.
	RefeedContacts(ctx context.Context, actionID string, at time.Time) ([]string, error)
	// CountContacts counts an action's contacts.
	CountContacts(ctx context.Context, actionID string) (int, error)
	// ContactsHaveField says whether any of an action's contacts has a
	// value (not empty) for field: a standard column (first_name,
	// last_name, zip: StandardColumns) or a custom column, a merge field
	// name (contactcsv: letters, digits and _).
	ContactsHaveField(ctx context.Context, actionID, field string) (bool, error)

	// Bulk import: the phones an action has and an organization opted out,
	// then the new contacts through one prepared statement.
	ActionPhones(ctx context.Context, actionID string) (map[string]struct{}, error)
	OptedOutPhones(ctx context.Context, orgID string) (map[string]struct{}, error)
	InsertContacts(ctx context.Context, cs []Contact, progress func(done int)) error

	// Exports, streamed row by row.
	EachReportRow(ctx context.Context, actionID string, fn func(ReportRow) error) error
	// EachScriptReport gives every report of the action's conversations
	// with the contact's initial script, in no order: what counting them
	// needs (Results, stats), without the contact, volunteer and sort an
	// export reads.
	EachScriptReport(ctx context.Context, actionID string, fn func(ScriptReport) error) error
	EachMessageRow(ctx context.Context, actionID string, fn func(MessageRow) error) error
	EachOptOut(ctx context.Context, orgID string, fn func(OptOut) error) error
	// EachLiftedOptOut lists the opt-outs admins lifted on a START.
	EachLiftedOptOut(ctx context.Context, orgID string, fn func(LiftedOptOut) error) error
	ScriptStats(ctx context.Context, actionID, orgID string) ([]ScriptStat, error)

	// Feed watching across processes: the newest seq of the whole feed and
	// the users with rows after a seq.
	MaxFeedSeq(ctx context.Context) (int64, error)
	FeedUsersAfter(ctx context.Context, seq int64) ([]string, error)
}

// CampaignListing is a campaign with its organization and sizes.
type CampaignListing struct {
	Campaign
	OrganizationName string
	Actions          int
	Volunteers       int
	Admins           int
	Contacts         int
	// SearchJoins counts the accounts that joined through search;
	// SearchJoinsRefused the joins through search refused by the
	// campaign's SearchJoinsPerHour.
	SearchJoins        int
	SearchJoinsRefused int
}

// SearchJoinRefusal is one account's refusals of joins through search of
// one campaign, as counted by the latest (AddSearchJoinRefusal).
type SearchJoinRefusal struct {
	// Refusals counts them all, the logged and the unlogged.
	Refusals int
	// Log: this one is to be logged (the first in its window), the others
	// only counted, so an account retrying adds no log line a try.
	Log bool
}

// Member is a membership with its user.
type Member struct {
	Membership
	Name  string
	Email string
}

// UserListing is a user with the campaigns they belong to.
type UserListing struct {
	User
	Memberships []UserMembership
}

type UserMembership struct {
	CampaignID string
	Campaign   string
	JoinCode   string
	Role       string
}

// ReportRow is one report submission with what an export needs around it.
type ReportRow struct {
	Report
	Contact        Contact
	VolunteerName  string
	VolunteerEmail string
	OptedOut       bool // the number is opted out of the organization now
}

// ScriptReport is one report submission and the initial script its
// contact was given. UserID is not read.
type ScriptReport struct {
	Report
	ScriptIndex int
}

// MessageRow is one message with its contact and volunteer.
type MessageRow struct {
	Message
	Contact        Contact
	SendingNumber  string
	VolunteerName  string // the sender of an outbound text; for an inbound one, whom it was routed to (RoutedTo)
	VolunteerEmail string
	OptedOut       bool
}

// ScriptStat counts one initial script's results.
type ScriptStat struct {
	ScriptIndex int
	Contacts    int
	Sent        int // initial texts that left (sent, delivered, or later failed at the carrier)
	Delivered   int
	Failed      int
	Replied     int // threads with at least one reply
	OptedOut    int // numbers whose initial text was sent, now opted out of the organization
}

// TokenTimes are the two times a token's lifetime is measured from: its
// sign-in (CreatedAt, which ends it after the absolute lifetime however
// much it is used) and its last recorded use (LastUsed, its creation if
// never, which ends it after the idle lifetime).
type TokenTimes struct {
	CreatedAt, LastUsed time.Time
}
