package server

import (
	"sync"

	"github.com/textbank/textbank/backend/server/store"
)

// knownFacts remembers, across requests, what a first text's checks read
// that either never changes once stored (a campaign's organization) or
// that the writer's claim checks again anyway (an action's scripts and
// texting hours, a volunteer's sending number in a campaign, which
// numbers remove changes: the claim compares them with the stored ones,
// and a mismatch forgets them here). With them known, checking a first text ahead reads only its
// contact: on a read snapshot every page a statement touches after a
// commit is read again from the OS, and the action, campaign and number
// lookups were two thirds of those pages.
type knownFacts struct {
	mu      sync.Mutex
	actions map[string]knownAction
	orgs    map[string]string    // campaign id -> organization id
	numbers map[[2]string]string // (campaign id, user id) -> sending number
	// contacts this server handed out and not yet texted, by id, with
	// whom they were handed to.
	contacts map[string]knownContact
}

// knownContact is a contact as a batch handed it to assignee. A contact's
// fields never change once imported; its state and assignee do, and the
// writer's claim checks those (a failed claim forgets the contact here).
type knownContact struct {
	contact  store.Contact
	assignee string
}

// maxKnownContacts bounds the handed-out contacts remembered; past it the
// map starts over (a miss only costs a read).
const maxKnownContacts = 1 << 16

// knownAction is what of an action makes and times its first texts.
type knownAction struct {
	campaignID string
	scripts    []string
	hours      store.TextingHours
}

// maxKnown bounds each map; past it the map starts over (a campaign has
// a few actions and at most some thousands of volunteers).
const maxKnown = 8192

// lookup answers the action, its campaign's organization and userID's
// number in that campaign, if all three are known.
func (k *knownFacts) lookup(actionID, userID string) (a knownAction, orgID, number string, ok bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if a, ok = k.actions[actionID]; !ok {
		return knownAction{}, "", "", false
	}
	if orgID, ok = k.orgs[a.campaignID]; !ok {
		return knownAction{}, "", "", false
	}
	if number, ok = k.numbers[[2]string{a.campaignID, userID}]; !ok {
		return knownAction{}, "", "", false
	}
	return a, orgID, number, true
}

// remember keeps what InitialChecks read for userID (a number only once
// the volunteer has one: until then the full path assigns it).
func (k *knownFacts) remember(ic store.InitialCheck, userID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.actions == nil || len(k.actions) >= maxKnown {
		k.actions = map[string]knownAction{}
	}
	if k.orgs == nil || len(k.orgs) >= maxKnown {
		k.orgs = map[string]string{}
	}
	if k.numbers == nil || len(k.numbers) >= maxKnown {
		k.numbers = map[[2]string]string{}
	}
	k.actions[ic.Contact.ActionID] = knownAction{campaignID: ic.CampaignID, scripts: ic.Scripts, hours: ic.Hours}
	k.orgs[ic.CampaignID] = ic.OrganizationID
	if ic.Number != "" {
		k.numbers[[2]string{ic.CampaignID, userID}] = ic.Number
	}
}

// forgetAction drops an action whose scripts or hours may have changed.
func (k *knownFacts) forgetAction(actionID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.actions, actionID)
}

// forgetNumber drops userID's number in a campaign, which may have been
// taken out of the pool.
func (k *knownFacts) forgetNumber(campaignID, userID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.numbers, [2]string{campaignID, userID})
}

// handedOut remembers the contacts a batch hand-out gave userID (after
// its commit).
func (k *knownFacts) handedOut(userID string, cs []store.Contact) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.contacts == nil || len(k.contacts)+len(cs) > maxKnownContacts {
		k.contacts = make(map[string]knownContact, len(cs))
	}
	for _, c := range cs {
		c.State, c.AssignedTo = store.ContactAssigned, userID
		k.contacts[c.ID] = knownContact{contact: c, assignee: userID}
	}
}

// contact is the contact with this id as handed to userID, if this server
// handed it out to them.
func (k *knownFacts) contact(id, userID string) (store.Contact, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	kc, ok := k.contacts[id]
	if !ok || kc.assignee != userID {
		return store.Contact{}, false
	}
	return kc.contact, true
}

// forgetContact drops a contact texted, or whose claim failed.
func (k *knownFacts) forgetContact(id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.contacts, id)
}
