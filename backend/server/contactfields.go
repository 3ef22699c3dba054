package server

import (
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// apiAssignment is a contact as the volunteer's app receives it, with the
// columns seen says its volunteers see.
func apiAssignment(c store.Contact, seen map[string]bool) api.Assignment {
	a := api.Assignment{
		ContactID:   c.ID,
		ActionID:    c.ActionID,
		FirstName:   c.FirstName,
		LastName:    c.LastName,
		Phone:       c.Phone,
		Fields:      contactFields(c, seen),
		ScriptIndex: c.ScriptIndex,
	}
	if c.AssignedAt != nil {
		a.AssignedAt = *c.AssignedAt
	}
	return a
}

// contactFields are the contact's merge fields as the app renders them:
// the custom columns its volunteers see (seenFields) plus zip (names and
// phone have their own fields).
func contactFields(c store.Contact, seen map[string]bool) map[string]string {
	out := make(map[string]string, len(c.Fields)+1)
	for k, v := range c.Fields {
		if seen[k] {
			out[k] = v
		}
	}
	if c.Zip != "" {
		out[script.Zip] = c.Zip
	}
	return out
}

// seenFields are the contact columns the app receives for the action's
// contacts: texting.SeenFields, the one home of that rule.
func seenFields(a store.Action) map[string]bool {
	responses := make([]string, len(a.ResponseScripts))
	for i, r := range a.ResponseScripts {
		responses[i] = r.Body
	}
	return texting.SeenFields(a.Scripts, responses, a.ShownFields)
}

// hidesColumns says whether updated shows volunteers fewer of the
// contacts' columns than old did (seenFields): the apps holding its
// contacts, queued or in a conversation, are to receive them again without
// those (store.Tx.RefeedContacts).
func hidesColumns(old, updated store.Action) bool {
	seen := seenFields(updated)
	for f := range seenFields(old) {
		if !seen[f] {
			return true
		}
	}
	return false
}

// notShown are the fields among columns that the action's volunteers do
// not see (seenFields); [] rather than null in --json.
func notShown(a store.Action, columns []string) []string {
	seen, out := seenFields(a), []string{}
	for _, f := range columns {
		if !seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// adminDetails are every column of the contact, for its campaign's admins
// alone (requireAdmin: the Admin section), who export them anyway; a
// volunteer's batch, sync and contacts read keep to seenFields.
func adminDetails(c store.Contact) []texting.Detail {
	return texting.Details(texting.Contact{FirstName: c.FirstName, LastName: c.LastName, Zip: c.Zip, Fields: c.Fields})
}
