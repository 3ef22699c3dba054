package store

import "time"

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
	// Contact is whom volunteers ask about the campaign, as the campaign
	// file says ("" for nobody named).
	Contact string
	// SearchJoinsPerHour is how many new volunteers may join the campaign
	// through search (by its id, without the code) in an hour; 0 none, nil
	// the default (campaignfile.DefaultSearchJoinsPerHour).
	SearchJoinsPerHour *int
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
	ResponseScripts []ResponseScript
	ReportFields    []ReportField
	TextingHours    TextingHours
	BatchSize       int
	AllowFreeText   bool
	// ShownFields are the contact list's extra columns volunteers see
	// besides those the scripts use (texting.SeenFields).
	ShownFields []string
	CreatorID   string
	CreatedAt   time.Time
	// ScriptsRetiredAt is when RetireResponseScripts last kept a version of
	// one of its response scripts, nil if it never did: no version of them
	// was current after it. Neither CreateAction nor UpdateAction writes it.
	ScriptsRetiredAt *time.Time
}

// ResponseScript, ReportField and TextingHours are parts of an Action.
// Response scripts and report fields are stored as JSON: their json names
// are the stored format, so renaming one needs a migration.
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
	Kind    string   `json:"kind"` // tag, text, choice or number
	Choices []string `json:"choices,omitempty"`
	// AddedAt is when a campaign update added the field to the action; nil
	// when it has been there since the action was created (or was added
	// before this was kept, which reads as from the start). A report filed
	// before it was never asked it: export reports leaves its tag empty
	// there, where an untouched tag of a report that showed it is "false".
	AddedAt *time.Time `json:"addedAt,omitempty"`
}

// TextingHours are "HH:MM" in the contact's local time; End "24:00" is the
// end of the day.
type TextingHours struct {
	Start string
	End   string
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

// PoolContact is a pool contact as a hand-out's pick reads it, with
// LastInitial: when the organization last sent its number an initial text
// within the 6-hour lock (TimeText), "" when it did not.
type PoolContact struct {
	Contact
	LastInitial string
}

// ThenText scans a row's columns into the destinations its Scan is given,
// then one more, a text column that may be NULL, into Text (""): a
// contact's columns and the pick's last initial text, with the engine's
// own contact scanner.
type ThenText struct {
	Row  interface{ Scan(...any) error }
	Text *string
}

func (w ThenText) Scan(dest ...any) error {
	var s *string
	if err := w.Row.Scan(append(dest, &s)...); err != nil {
		return err
	}
	*w.Text = ""
	if s != nil {
		*w.Text = *s
	}
	return nil
}

// PassedOver counts the pool contacts AssignContacts read and did not
// assign: they stay in the pool for later.
type PassedOver struct {
	Refused int // refused by its keep (outside texting hours, a script that cannot be filled in...)
	Recent  int // the organization sent the number an initial text within the 6-hour lock
	// Waiting counts those of them set to wait out of the pick until a
	// time (Keep's until, or the 6-hour lock's end): later hand-outs read
	// past them.
	Waiting int
	// Bounded: the walk stopped at its bound of rows read with pool rows
	// left unread, so contacts to hand out may lie further on.
	Bounded bool
	// First, when the walk read no pool row (every contact left waits):
	// the first of them to come back, numbers opted out left aside; zero
	// when none waits.
	First Wait
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
	// ReportedThrough is the newest reply a report on the thread was
	// filled with (the report's at, applyReport): the likely opt-outs up
	// to it are decided. LastReportAt is when a report was last filed.
	ReportedThrough *time.Time
	// AnsweredThrough is the newest reply the owner's answers reach (the
	// latest reply's at, applyReply): a reply after it has no answer,
	// though the answer was taken after it. Nil until a reply says.
	AnsweredThrough *time.Time
	OptedOut        bool
	Blocked         bool
	CreatedAt       time.Time
	// OptedBackInAt and OptedBackInBy (a user id): an admin lifted the
	// number's opt-out on its START (liftOptOut); nil and "" otherwise,
	// and again once the number opts out anew.
	OptedBackInAt *time.Time
	OptedBackInBy string
	// OptOutUndone: that admin undid an opt-out a report filed by mistake
	// (undoOptOut), with no START; reset with them.
	OptOutUndone bool
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
	// RoutedTo is the user an inbound message was routed to: its thread's
	// owner when it arrived, kept whatever Reassign does later ("" for
	// outbound messages). The export reads it; the message reads do not.
	RoutedTo  string
	Error     string
	CreatedAt time.Time
	SentAt    *time.Time
	// AnswersThrough is how far into the contact's replies a reply
	// reaches (inbox.AnswerCovers, held to the thread), written with it
	// and read only by RecountAnswers, when an answer fails: nil for a
	// first text, and for a reply stored before migration 0035 (it then
	// reaches the replies before it was made).
	AnswersThrough *time.Time
}

type Report struct {
	ID          string
	ThreadID    string
	UserID      string
	Values      map[string]string
	SubmittedAt time.Time
	// FilledAt is when the app filled the report (the mutation's
	// createdAt, at most SubmittedAt): one filled offline is submitted
	// later. nil where it is not known (a report from before it was
	// kept). Stored by CreateReport, read by EachReportRow (the exports).
	FilledAt *time.Time
}

type InboxState struct {
	UserID         string
	ThreadID       string
	LastReadAt     *time.Time
	Archived       bool
	ArchivedReason string
	// UnarchivedAt: when the owner last took the thread out of the archive
	// by hand; the inactivity archiver counts it as activity.
	UnarchivedAt *time.Time
}

type Settings struct {
	UserID      string
	AutoArchive bool
}

type Unroutable struct {
	ID         string
	ProviderID string
	From       string
	To         string
	Body       string
	ReceivedAt time.Time
	// CampaignID is the campaign whose pool held the number To when the
	// text arrived ("" if none is known): its admins see the text, not
	// those of a campaign that takes the number over later.
	CampaignID string
	// Handled is who marked the text handled and when (UnroutableMarks).
	Handled Marked
}

type Mutation struct {
	ID     string
	UserID string
	Type   string
	// Fingerprint is a hash of the mutation's content as received (the
	// server's mutationFingerprint): a later push of the id with other
	// content is not a retry. Nil for a mutation recorded before it was
	// kept (stored NULL): such a row matches any content.
	Fingerprint []byte
	Result      MutationResult
	CreatedAt   time.Time
}

// MutationResult is the stored answer to a mutation, returned again when
// its id comes back. Stored as JSON: the json names are the stored format.
type MutationResult struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Code   string `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
	Body   string `json:"body,omitempty"`
	// Version: an applied settings change's sync version.
	Version int64 `json:"version,omitempty"`
}

type FeedRow struct {
	Seq      int64
	UserID   string
	Kind     string
	EntityID string
}

// Outgoing is an outbound text with what the dispatcher needs to send it.
type Outgoing struct {
	Message
	From, To       string // our number, the contact's
	OwnerID        string // whose feed hears of its status
	OrganizationID string
	// Lease is the epoch of the lease under which the transaction that
	// listed it holds it (a store several servers share, as PostgreSQL's
	// Lease; 0: none): the provider is called for it only while that
	// epoch's lease holds.
	Lease uint64
	// GivenUp: taken over from a server that stopped cleanly and gave it
	// up (a store several servers share). Its calls had ended, but one
	// that went unanswered may still become a text at the provider.
	GivenUp bool
}

// RecountedThread is a thread RecountAnswers worked out again, with whose
// feed hears of it.
type RecountedThread struct {
	ThreadID, OwnerID string
}

// SendingNumberInfo is one number of a campaign's pool.
type SendingNumberInfo struct {
	Phone      string
	CampaignID string
	Volunteers int // how many volunteers text from it
	CreatedAt  time.Time
	// RemovedAt: taken out of the pool (numbers remove); it starts no
	// conversation, those under way keep it. nil while in use.
	RemovedAt *time.Time
}
