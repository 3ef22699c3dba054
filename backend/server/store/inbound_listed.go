package store

import (
	"context"
	"errors"
	"time"
)

// InboundListed is what the inbound catch-up (server/catchup.go) keeps
// between its rounds, and between a server's runs: how far the provider's
// received texts have been listed, and which of the texts a list names are
// stored already. Read and written once a round, never on a request's
// path.
type InboundListed interface {
	// InboundListedTo is the time before which every text the provider
	// received is stored; zero when no round has listed them all yet.
	InboundListedTo(ctx context.Context) (time.Time, error)
	// NoteInboundListed moves InboundListedTo to at; never back, so a
	// slow round finishing after a later one does not undo it.
	NoteInboundListed(ctx context.Context, at time.Time) error
	// StoredProviderIDs is which of ids a stored text has, as a message
	// or as an unroutable text: the catch-up skips them with a read
	// instead of offering each to the write path again.
	StoredProviderIDs(ctx context.Context, ids []string) (map[string]bool, error)
}

// InboundListedToSQL reads inbound_listed's one row (TimeText).
const InboundListedToSQL = `SELECT listed_to FROM inbound_listed WHERE id = 1`

// NoteInboundListedSQL moves the row to a later time (TimeText, whose text
// order is time order) or makes it.
const NoteInboundListedSQL = `INSERT INTO inbound_listed (id, listed_to) VALUES (1, ?)
	ON CONFLICT (id) DO UPDATE SET listed_to = excluded.listed_to WHERE excluded.listed_to > inbound_listed.listed_to`

// StoredProviderIDsSQL finds which provider ids of a list are stored; in
// is the engine's "is in the list" for a column (its one parameter, the
// list, given twice).
func StoredProviderIDsSQL(in func(col string) string) string {
	return `SELECT provider_id FROM messages WHERE ` + in("provider_id") +
		` UNION SELECT provider_id FROM unroutable_messages WHERE ` + in("provider_id")
}

// ScanInboundListedTo reads InboundListedToSQL's row: zero when there is
// none (the engine's noRows).
func ScanInboundListedTo(row interface{ Scan(...any) error }, noRows error) (time.Time, error) {
	var at string
	if err := row.Scan(&at); errors.Is(err, noRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, err
	}
	return ParseTimeText(at)
}
