package store

// The organization's opt-outs, their lifts and volunteers' blocks, as the
// store keeps them (types.go has the rest).

import (
	"time"

	"github.com/textbank/textbank/backend/api"
)

// PhoneAt is a number and when it opted out: an opt-out import's row.
type PhoneAt struct {
	Phone string
	At    time.Time
}

type OptOut struct {
	OrganizationID  string
	Phone           string
	Reason          string
	SourceMessageID string
	// Source is where it came from (OptOutReported...); "" for opt-outs
	// recorded before sources were, which count as the contact's.
	Source string
	// ImportedFrom is the file an organizer's opt-out list came from (an
	// import's, OptOutImported; "" for any other): the reason says it in
	// the export's words, this names it alone.
	ImportedFrom string
	CreatedAt    time.Time
	// RenewedAt is when the number last opted out again while opted out
	// (zero if never): a START before it no longer lifts the opt-out.
	RenewedAt time.Time
}

// Where an opt-out came from (OptOut.Source, the API's words: the Admin
// section shows it). Only a report's may be
// undone by an admin on their own word; the others stand until the
// contact's START.
const (
	OptOutReported = api.OptOutFromReport  // a report with Opt Out on, a volunteer's or an admin's
	OptOutContact  = api.OptOutFromContact // the contact asked: a keyword reply, or their carrier unsubscribed them
	OptOutBlocked  = api.OptOutFromBlock   // a volunteer blocked the contact for abuse
	OptOutImported = api.OptOutFromImport  // an organizer's opt-out list
)

// OptOutLift is an admin lifting an organization's opt-out of a number on
// the contact's START (an opt-in), or undoing a report's opt-out (OptInID
// ""): the opt-out is kept with it.
type OptOutLift struct {
	ID             string
	OrganizationID string
	Phone          string
	OptInID        string
	LiftedBy       string
	LiftedAt       time.Time
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
