package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/quiethours"
	"github.com/textbank/textbank/backend/server/store"
)

// What a campaign update changed, one line each ("name: "A" → "B"",
// "texting hours: 9 AM–9 PM → 10 AM–8 PM"), so the organizer sees what the
// file did: each action read "updated" whether the file changed it or not.
// Long texts (scripts, instructions) are named, not quoted.

type ActionOutcome struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status"` // "created", "updated", or "kept": not in the file, left as it was
	// AllowFreeText and ResponseScripts say how volunteers may reply, so
	// the organizer sees it for each action: typing is off unless the
	// file says allow_free_text: true (SPEC, Volunteer 6).
	AllowFreeText   bool `json:"allowFreeText"`
	ResponseScripts int  `json:"responseScripts"`
	// FreeTextChanged: this update turned typing on or off. A file written
	// when allow_free_text defaulted to true turns it off by leaving it out.
	FreeTextChanged bool `json:"freeTextChanged,omitempty"`
	// ReassignsTo: this update changed the action's creator, who receives
	// its reassigned conversations, to this account's email.
	ReassignsTo string `json:"reassignsTo,omitempty"`
	// Changes: for an "updated" action, what the update changed besides
	// typing and the creator (above), one line each ("texting hours:
	// 9 AM–9 PM → 10 AM–8 PM"); none when the file left it as it was.
	Changes []string `json:"changes,omitempty"`
}

func actionOutcome(a store.Action, status string) ActionOutcome {
	return ActionOutcome{ID: a.ID, Title: a.Title, Status: status, AllowFreeText: a.AllowFreeText, ResponseScripts: len(a.ResponseScripts)}
}

// campaignChanges compares the campaign before and after an update.
func campaignChanges(old, updated store.Campaign) []string {
	var out []string
	out = appendQuoted(out, "name", old.Name, updated.Name)
	out = appendQuoted(out, "issue", old.Issue, updated.Issue)
	out = appendQuoted(out, "contact", old.Contact, updated.Contact)
	if old.Public != updated.Public {
		out = append(out, "visibility: "+visibility(old.Public)+" → "+visibility(updated.Public))
	}
	if was, is := campaignfile.SearchJoins(old.SearchJoinsPerHour), campaignfile.SearchJoins(updated.SearchJoinsPerHour); was != is {
		out = append(out, fmt.Sprintf("search joins per hour: %d → %d", was, is))
	}
	return out
}

// actionChanges compares an action before and after an update. Typing
// (allow_free_text) and the creator have lines of their own in the
// outcome (FreeTextChanged, ReassignsTo), so they are not repeated here.
func actionChanges(old, updated store.Action) []string {
	var out []string
	out = appendQuoted(out, "title", old.Title, updated.Title)
	if old.Type != updated.Type {
		out = append(out, fmt.Sprintf("type: %s → %s", old.Type, updated.Type))
	}
	if quiethours.Hours(old.TextingHours) != quiethours.Hours(updated.TextingHours) {
		out = append(out, "texting hours: "+quiethours.Words(quiethours.Hours(old.TextingHours))+" → "+
			quiethours.Words(quiethours.Hours(updated.TextingHours)))
	}
	if old.BatchSize != updated.BatchSize {
		out = append(out, fmt.Sprintf("batch size: %d → %d", old.BatchSize, updated.BatchSize))
	}
	if old.Description != updated.Description {
		out = append(out, "description: changed")
	}
	if old.Instructions != updated.Instructions {
		out = append(out, "instructions: changed")
	}
	if !slices.Equal(old.Scripts, updated.Scripts) {
		out = append(out, "initial scripts: changed")
	}
	out = appendSetChanges(out, "response scripts", responseScripts(old.ResponseScripts), responseScripts(updated.ResponseScripts))
	out = appendSetChanges(out, "report fields", reportFields(old.ReportFields), reportFields(updated.ReportFields))
	return appendSetChanges(out, "fields shown to volunteers", fieldNames(old.ShownFields), fieldNames(updated.ShownFields))
}

// contactFieldChanges adds which contact fields an update added to the
// action's. The action keeps every field it had (its contacts were loaded
// with them, its scripts may use them), so a file leaving one out removes
// none; and a field is a name alone, so none is "changed".
func contactFieldChanges(out, old, updated []string) []string {
	return appendSetChanges(out, "contact fields", fieldNames(old), fieldNames(updated))
}

// fieldNames keys a list of field names for appendSetChanges.
func fieldNames(fields []string) map[string]string {
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		m[f] = ""
	}
	return m
}

func appendQuoted(out []string, what, old, updated string) []string {
	if old == updated {
		return out
	}
	return append(out, fmt.Sprintf("%s: %q → %q", what, old, updated))
}

func visibility(public bool) string {
	if public {
		return "public"
	}
	return "private"
}

// responseScripts and reportFields key each by its id or key, with what a
// volunteer sees of it, for appendSetChanges.
func responseScripts(rs []store.ResponseScript) map[string]string {
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		tags := slices.Clone(r.Tags)
		slices.Sort(tags)
		out[r.ID] = r.Label + "\x00" + r.Body + "\x00" + strings.Join(tags, ",")
	}
	return out
}

func reportFields(fs []store.ReportField) map[string]string {
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		out[f.Key] = f.Label + "\x00" + f.Kind + "\x00" + strings.Join(f.Choices, "\x00")
	}
	return out
}

// appendSetChanges says which of a list's items (by id) were added,
// removed or changed: "response scripts: added yes; changed no".
func appendSetChanges(out []string, what string, old, updated map[string]string) []string {
	var added, removed, changed []string
	for id, v := range updated {
		if was, ok := old[id]; !ok {
			added = append(added, id)
		} else if was != v {
			changed = append(changed, id)
		}
	}
	for id := range old {
		if _, ok := updated[id]; !ok {
			removed = append(removed, id)
		}
	}
	var parts []string
	for _, p := range []struct {
		verb string
		ids  []string
	}{{"added", added}, {"removed", removed}, {"changed", changed}} {
		if len(p.ids) > 0 {
			slices.Sort(p.ids)
			parts = append(parts, p.verb+" "+strings.Join(p.ids, ", "))
		}
	}
	if len(parts) == 0 {
		return out
	}
	return append(out, what+": "+strings.Join(parts, "; "))
}
