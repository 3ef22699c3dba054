package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// handleContacts answers POST /api/v1/contacts: the contacts of the
// caller's conversations it names. The sync feed carries a contact only
// while it waits to be texted, so the app that texted it has it; a
// conversation handed over by Reassign, or synced into a new cache (a
// sign-in on another computer), comes without it, and the app asks here
// for the columns its response scripts are filled from. Conversations the
// caller does not own (or blocked) are left out, as if they were not
// there: the answer tells nothing about other people's contacts.
func (s *Server) handleContacts(w http.ResponseWriter, r *http.Request, u store.User) error {
	var req api.ContactsRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 {
		return badField("ids", "ids is empty: name the conversations whose contacts you want")
	}
	if len(req.IDs) > api.MaxContactsLookup {
		return badField("ids", "ids names %d conversations; at most %d in one request", len(req.IDs), api.MaxContactsLookup)
	}
	for i, id := range req.IDs {
		if id == "" || len(id) > api.MaxID {
			return badField("ids", "ids[%d] is not a conversation id", i)
		}
	}
	// A read as a pull is, bounded with the pulls per user: each holds a
	// read connection.
	if !s.syncs.enter(u.ID, maxSyncsPerUser) {
		return s.tooManySyncs(w, u)
	}
	defer s.syncs.leave(u.ID)
	out := api.ContactsResponse{Contacts: []api.Assignment{}}
	err := s.store.View(r.Context(), func(tx store.Tx) error {
		threads, err := tx.ThreadsByIDs(r.Context(), req.IDs)
		if err != nil {
			return err
		}
		var mine []string
		for id, th := range threads {
			if visible(th, u.ID) {
				mine = append(mine, id)
			}
		}
		contacts, err := tx.ContactsByIDs(r.Context(), mine)
		if err != nil {
			return err
		}
		byID := make(map[string]store.Contact, len(contacts))
		for _, c := range contacts {
			byID[c.ID] = c
		}
		// In the request's order, up to the answer budget: 500 contacts
		// of 200 long columns would pass what the app reads of an answer,
		// and it asks again for the ids past Answered.
		seen := map[string]map[string]bool{}
		size, budget := 0, s.answerBudget()
		for i, id := range req.IDs {
			c, ok := byID[id]
			if !ok {
				continue
			}
			if seen[c.ActionID] == nil {
				a, err := tx.ActionByID(r.Context(), c.ActionID)
				if err != nil {
					return err
				}
				seen[c.ActionID] = seenFields(a)
			}
			as := apiAssignment(c, seen[c.ActionID])
			raw, err := json.Marshal(as)
			if err != nil {
				return err
			}
			if size += len(raw) + 1; size > budget && i > 0 {
				out.Answered = i
				break
			}
			out.Contacts = append(out.Contacts, as)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(out.Contacts, func(a, b api.Assignment) int { return strings.Compare(a.ContactID, b.ContactID) })
	writeJSON(w, http.StatusOK, out)
	return nil
}
