// Package api is the wire protocol between the desktop app and textbankd:
// request and response types shared by the server handlers and the client.
// Every JSON field name here is part of the protocol documented in docs/API.md.
package api

import "time"

// Error is the body of every non-2xx response: {"error": {...}}.
type Error struct {
	Code    string `json:"code"`            // machine-readable, e.g. "invalid_join_code"
	Message string `json:"message"`         // human-readable, names what was wrong
	Field   string `json:"field,omitempty"` // the request field at fault, if any
}

// ErrorBody wraps Error on the wire.
type ErrorBody struct {
	Error Error `json:"error"`
}

// Error codes shared by server and client.
const (
	CodeBadRequest      = "bad_request"
	CodeInvalidField    = "invalid_field"
	CodeEmailTaken      = "email_taken"
	CodeBadCredentials  = "bad_credentials"
	CodeUnauthorized    = "unauthorized"
	CodeForbidden       = "forbidden"
	CodeNotFound        = "not_found"
	CodeInvalidJoinCode = "invalid_join_code"  // malformed: not 6 digits
	CodeCampaignUnknown = "campaign_not_found" // well-formed code, no campaign
	CodePoolEmpty       = "no_contacts_left"   // Text Again with nothing to assign
	// CodeUnfillable: Text Again found contacts left, but none the
	// action's script can be filled in for.
	CodeUnfillable = "script_unfillable"
	// CodeCampaignArchived: Text Again in a campaign its organizers
	// archived.
	CodeCampaignArchived = "campaign_archived"
	// CodeRemovedFromCampaign: an organizer took the caller off the
	// campaign they ask to join again.
	CodeRemovedFromCampaign = "removed_from_campaign"
	// CodeJoinCodeNeeded: a public campaign found by search took as many
	// new volunteers through search as its organizers allow in an hour, or
	// takes none that way (403): its join code still lets anyone in.
	CodeJoinCodeNeeded = "join_code_needed"
	CodeInternal       = "internal"
	// CodeSessionExpired: the token was not used for 30 days, or was
	// signed in 90 days ago (every sign-in ends then); sign in again.
	CodeSessionExpired = "session_expired"
	// CodeTooManyAttempts: login, a join code (join or search by code), or
	// sign-ups naming emails that already have accounts, refused for a
	// while after repeated failures; also sign-ups from an address that
	// created its hour's allowance of accounts. The Retry-After header says
	// how many seconds.
	CodeTooManyAttempts = "too_many_attempts"
	// CodeTooManyRequests: pushes of mutations from one user faster than
	// the server takes them (429, Retry-After); nothing of the push is
	// applied, and sending it again later is safe.
	CodeTooManyRequests = "too_many_requests"
	// CodeServerBusy: the server is too busy to take the request now (503,
	// Retry-After; ErrServerBusy): a sign-in or sign-up waited too long for
	// its turn to check or hash a password, or the connection came past
	// the server's cap on connections open (from its address or in all),
	// answered before a byte of it was read. Try again.
	CodeServerBusy = "server_busy"
	// CodeNotOptedOut: Opt Back In on a number that is not opted out any
	// more (another admin lifted it meanwhile); nothing changed (409).
	CodeNotOptedOut = "not_opted_out"
	// CodeOptedOutAgain: Opt Back In on a START the contact took back since
	// (STOP again, or an opt-out filed after it); nothing changed (409).
	CodeOptedOutAgain = "opted_out_again"
	// CodeOptedOutByContact: Undo Opt Out on an opt-out the contact asked
	// for (an opt-out keyword, or their carrier): only their START lifts
	// it, with Opt Back In; nothing changed (409). Undo Opt Out after the
	// admin saw the opt-out, on one renewed since, is CodeOptedOutAgain.
	CodeOptedOutByContact = "opted_out_by_contact"
	// CodeOptOutNotReported: Undo Opt Out on an opt-out no report filed
	// alone (a volunteer's block, an organizer's opt-out list, or one from
	// before Textbank recorded where opt-outs come from); nothing changed
	// (409).
	CodeOptOutNotReported = "opt_out_not_reported"
	// CodeOptOutReportedElsewhere: Undo Opt Out from a conversation of one
	// campaign on an opt-out a report in a conversation of another campaign
	// holds, which this campaign's admins cannot read: that campaign's
	// admins undo it; nothing changed (409).
	CodeOptOutReportedElsewhere = "opt_out_reported_elsewhere"
)

type SignupRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Health is GET /healthz's answer once the database answers.
type Health struct {
	OK      bool   `json:"ok"`
	Version string `json:"version"` // textbankd's build version; "dev" for an unversioned build
	// Simulated: the server texts through the simulated network
	// (--provider sim), no real phone. The load driver refuses a --target
	// without it: a campaign's server is one typo away on 127.0.0.1.
	Simulated bool `json:"simulated,omitempty"`
}

type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// RenameRequest is PATCH /api/v1/me: the account's new name, which goes
// into every text it sends from then on ({volunteer_name}).
type RenameRequest struct {
	Name string `json:"name"`
}

// PasswordChangeRequest is POST /api/v1/me/password. The account's other
// sign-ins end; the one asking stays signed in.
type PasswordChangeRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// PasswordChangeResponse says how many other sign-ins ended.
type PasswordChangeResponse struct {
	SignedOut int `json:"signedOut"`
}

type User struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// AuthResponse answers signup and login. Token is shown once; the server
// keeps only its hash.
type AuthResponse struct {
	Token string `json:"token"`
	User  User   `json:"user"`
}

type Campaign struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Issue  string `json:"issue"`
	Public bool   `json:"public"`
	// JoinCode is present in search results only for public campaigns or when
	// the query was the code itself, and always for members.
	JoinCode string `json:"joinCode,omitempty"`
	Role     string `json:"role,omitempty"` // "volunteer" or "admin" when the caller is a member
	// OrganizationID is the organization the campaign belongs to, for
	// members: an opt-out covers the whole organization (SPEC 8), and the
	// app shows one filed offline on the number's threads of each of its
	// campaigns before the server's change comes. Absent from older servers.
	OrganizationID string `json:"organizationId,omitempty"`
	// Contact is whom volunteers ask about the campaign (a name and how to
	// reach them, as the campaign file says), for members; "" for nobody.
	Contact string `json:"contact,omitempty"`
	// Archived: an organizer archived the campaign (campaign archive):
	// nobody joins it and no first text goes out; its conversations can
	// still be answered. For members; a search finds active ones only.
	Archived bool `json:"archived,omitempty"`
}

type CampaignSearchResponse struct {
	Campaigns []Campaign `json:"campaigns"`
}

// JoinRequest joins by code; CampaignID may be given instead for a public
// campaign found by search.
type JoinRequest struct {
	Code       string `json:"code,omitempty"`
	CampaignID string `json:"campaignId,omitempty"`
}

type JoinResponse struct {
	Campaign Campaign `json:"campaign"`
}

// Action types.
const (
	ActionP2P        = "p2p"
	ActionBroadcast  = "broadcast"
	ActionFriends    = "friends"
	ActionTeam       = "team"
	ActionCanvassing = "canvassing"
)

type ResponseScript struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Body  string `json:"body"`
	// Tags are report tag keys switched on when this script is sent.
	Tags []string `json:"tags,omitempty"`
}

type ReportField struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Kind    string   `json:"kind"` // "tag", "text", "choice", "number"
	Choices []string `json:"choices,omitempty"`
}

type TextingHours struct {
	Start string `json:"start"` // "09:00", contact's local time
	End   string `json:"end"`   // "21:00"; "24:00" means end of day
}

type Action struct {
	ID              string           `json:"id"`
	CampaignID      string           `json:"campaignId"`
	Type            string           `json:"type"`
	Title           string           `json:"title"`
	Description     string           `json:"description"`
	Instructions    string           `json:"instructions"`
	Scripts         []string         `json:"scripts"` // initial scripts; a contact gets one at random
	ResponseScripts []ResponseScript `json:"responseScripts"`
	ReportFields    []ReportField    `json:"reportFields"`
	TextingHours    TextingHours     `json:"textingHours"`
	BatchSize       int              `json:"batchSize"`
	AllowFreeText   bool             `json:"allowFreeText"`
	CreatorID       string           `json:"creatorId"`
	// SendingNumber is the caller's assigned number in the campaign, if any.
	SendingNumber string `json:"sendingNumber,omitempty"`
	// SendingNumberDisplay is SendingNumber as people write it, for the
	// app's screens: filled by the app (backend/client), which has the
	// phone package's rule; the server leaves it out.
	SendingNumberDisplay string `json:"sendingNumberDisplay,omitempty"`
	// TextingAnyTime: TextingHours are the whole day (quiethours.WholeDay),
	// so the app says "any time" rather than "midnight to midnight";
	// filled by the app like SendingNumberDisplay.
	TextingAnyTime bool `json:"textingAnyTime,omitempty"`
}

// Assignment is a contact queued for the caller's initial text.
type Assignment struct {
	ContactID   string            `json:"contactId"`
	ActionID    string            `json:"actionId"`
	FirstName   string            `json:"firstName"`
	LastName    string            `json:"lastName"`
	Phone       string            `json:"phone"` // E.164
	Fields      map[string]string `json:"fields,omitempty"`
	ScriptIndex int               `json:"scriptIndex"`
	AssignedAt  time.Time         `json:"assignedAt"`
}

// Thread is one contact's conversation in one action, as the caller sees it
// (inbox state included). A thread's id is its contact's id.
type Thread struct {
	ID             string     `json:"id"`
	ActionID       string     `json:"actionId"`
	CampaignID     string     `json:"campaignId"`
	ActionType     string     `json:"actionType"`
	OwnerID        string     `json:"ownerId"`
	ContactName    string     `json:"contactName"`
	ContactPhone   string     `json:"contactPhone"`
	SendingNumber  string     `json:"sendingNumber"`
	LastMessageAt  time.Time  `json:"lastMessageAt"`
	LastInboundAt  *time.Time `json:"lastInboundAt,omitempty"`
	LastOutboundAt *time.Time `json:"lastOutboundAt,omitempty"`
	LastReadAt     *time.Time `json:"lastReadAt,omitempty"`
	LastReportAt   *time.Time `json:"lastReportAt,omitempty"`
	// ReportedThrough is the newest reply a report on the thread was
	// filled with in the app (the report's at; the zero time if it held
	// none): a likely opt-out it reaches is decided (inbox.OptOutUndecided).
	// LastReportAt stays when a report was last filed.
	ReportedThrough *time.Time `json:"reportedThrough,omitempty"`
	// AnsweredThrough is the newest reply the volunteer's answers reach
	// (the latest reply's at: the newest reply the app held when it was
	// written), whatever the server's clock said when it took them: a
	// reply after it has no answer (inbox.Answered). Absent from a server
	// before answers said so.
	AnsweredThrough *time.Time `json:"answeredThrough,omitempty"`
	Archived        bool       `json:"archived"`
	ArchivedReason  string     `json:"archivedReason,omitempty"` // "manual", "report", "inactive"
	OptedOut        bool       `json:"optedOut"`
	Blocked         bool       `json:"blocked"`
	// Reassigned is set on a thread handed to its owner by Reassign.
	Reassigned *Reassignment `json:"reassigned,omitempty"`
	// OptedBackIn is set while the contact is texted again because an
	// admin lifted their opt-out: on their START (Opt Back In), or undoing
	// a report's filed by mistake (Undo Opt Out: Undone).
	OptedBackIn *OptedBackIn `json:"optedBackIn,omitempty"`
}

// OptedBackIn says who opted a thread's contact back in, and when; Undone
// when it was an admin undoing an opt-out a report filed by mistake, not
// the contact's START.
type OptedBackIn struct {
	ByName string    `json:"byName"`
	At     time.Time `json:"at"`
	Undone bool      `json:"undone,omitempty"`
}

// Message directions and statuses.
const (
	DirOutbound = "out"
	DirInbound  = "in"

	StatusQueued    = "queued"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
	StatusReceived  = "received"
	// StatusSending: handed to the provider, answer not yet recorded.
	StatusSending = "sending"
	// StatusUndelivered: the provider sent it but the carrier did not deliver.
	StatusUndelivered = "undelivered"
	// StatusUnknown: a crash left the text with the provider and the provider
	// cannot say whether it went out; it is not sent again (admins decide).
	StatusUnknown = "unknown"
)

type Message struct {
	ID        string    `json:"id"`
	ThreadID  string    `json:"threadId"`
	Direction string    `json:"direction"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	Initial   bool      `json:"initial,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	// Error is why a failed or undelivered text did not arrive, in the
	// provider's words with its code ("error 21211: Invalid 'To' Phone Number").
	Error string `json:"error,omitempty"`
	// LikelyOptOut marks an inbound text whose wording asks to stop without
	// being an exact opt-out keyword (optout.Suggest); the volunteer decides.
	LikelyOptOut bool `json:"likelyOptOut,omitempty"`
	// SentBy and SentByName: the user who sent an outbound text (id and
	// name; "" for inbound texts). A conversation reassigned to an admin
	// keeps the texts its volunteer sent under their name.
	SentBy     string `json:"sentBy,omitempty"`
	SentByName string `json:"sentByName,omitempty"`
}

type Report struct {
	ID          string            `json:"id"`
	ThreadID    string            `json:"threadId"`
	Values      map[string]string `json:"values"`
	SubmittedAt time.Time         `json:"submittedAt"`
	// Who filed it, for the thread's report history.
	SubmittedBy     string `json:"submittedBy,omitempty"`     // user id
	SubmittedByName string `json:"submittedByName,omitempty"` // user name
}

// Block reasons (Mutation.Reason of a "block").
const (
	BlockHarassment = "harassment"
	BlockThreats    = "threats"
	BlockSpam       = "spam"
	BlockOther      = "other"
)

// BlockReasons are the block reasons in the order the app offers them.
var BlockReasons = []string{BlockHarassment, BlockThreats, BlockSpam, BlockOther}

// Reassignment says how a thread came to its current owner (on Thread).
type Reassignment struct {
	FromUserID   string    `json:"fromUserId"`
	FromUserName string    `json:"fromUserName"`
	Note         string    `json:"note,omitempty"` // the volunteer's optional why
	At           time.Time `json:"at"`
}

// UsersResponse answers GET /api/v1/actions/{id}/reassign-targets: the
// campaign's admins (id and name), the action's creator first.
type UsersResponse struct {
	Users []User `json:"users"`
}

type Settings struct {
	// A field added here must be omitempty: a settings mutation's content
	// is fingerprinted (server/mutation_fingerprint.go), and a field every
	// encoding carries would make a retry across the upgrade a different
	// content, refused. AutoArchive predates that and stays as it is.
	AutoArchive bool `json:"autoArchive"`
}
