package sync

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/textbank/textbank/backend/api"
)

// maxContactsARound bounds the contacts one pull asks for: a new cache of a
// volunteer with a long history catches up over a few rounds rather than
// holding one pull for all of it.
const maxContactsARound = 4 * api.MaxContactsLookup

// contactFill is what the engine keeps of the contacts of conversations
// the feed brought without one: whether the whole cache was looked through
// this session, the conversations asked for already, and whether the
// server has no such endpoint (an older one).
type contactFill struct {
	scanned bool
	asked   map[string]bool
	none    bool
}

// fillContacts asks the server for the contacts of conversations the cache
// has without one, and keeps them; it answers the conversations filled.
// The feed carries a contact only with its assignment, so a conversation
// handed over by Reassign, or synced into a new cache (a sign-in on another
// computer, or again after signing out), came with the contact's name
// alone, and response scripts using its columns ({zip}, a custom column)
// read their fallback or were left out of Follow Up. threads are the
// conversations this pull brought; the whole cache is looked through once
// a session (and again after a failed ask). A failure leaves the rest for
// a later round: the conversations still read, with what the cache has.
// Call it under pullMu.
func (e *Engine) fillContacts(ctx context.Context, threads []string) []string {
	if e.contacts.none || (e.contacts.scanned && len(threads) == 0) {
		return nil
	}
	var look []string // nil: all
	if e.contacts.scanned {
		look = threads
	}
	ids, err := e.cfg.Cache.ThreadsWithoutContact(ctx, look)
	if err != nil {
		e.log.Warn().Err(err).Msg("look for conversations without their contact")
		return nil
	}
	if e.contacts.asked == nil {
		e.contacts.asked = map[string]bool{}
	}
	var ask []string
	for _, id := range ids {
		if !e.contacts.asked[id] {
			ask = append(ask, id)
		}
	}
	all := len(ask) <= maxContactsARound
	if !all {
		ask = ask[:maxContactsARound]
	}
	var filled []string
	for len(ask) > 0 {
		chunk := ask[:min(len(ask), api.MaxContactsLookup)]
		ask = ask[len(chunk):]
		resp, err := e.cfg.API.Contacts(ctx, chunk)
		var ae *api.APIError
		if errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed) {
			// A server from before the endpoint: the scripts read as
			// they did, from the contact's name.
			e.log.Info().Msg("the server does not answer contacts of conversations; response scripts use the contact's name alone")
			e.contacts.none = true
			return filled
		}
		if err != nil {
			e.log.Info().Err(err).Int("conversations", len(chunk)).Msg("ask for the contacts of conversations; asking again later")
			e.contacts.scanned = false
			return filled
		}
		if err := e.cfg.Cache.RememberContacts(ctx, resp.Contacts); err != nil {
			e.log.Warn().Err(err).Msg("keep the contacts of conversations")
			e.contacts.scanned = false
			return filled
		}
		if n := resp.Answered; n > 0 && n < len(chunk) {
			// The answer stopped at its byte budget: the rest next.
			ask = append(slices.Clone(chunk[n:]), ask...)
			chunk = chunk[:n]
		}
		for _, id := range chunk {
			e.contacts.asked[id] = true // answered or not: not asked again this session
		}
		for _, c := range resp.Contacts {
			filled = append(filled, c.ContactID)
		}
	}
	if look == nil {
		e.contacts.scanned = all
		if !all {
			e.Kick() // the next ones in the next round, not at the next poll
		}
	}
	return filled
}
