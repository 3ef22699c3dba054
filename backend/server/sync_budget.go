package server

import (
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// fitBudget ends page at the last version whose changes keep it within
// budget bytes (api.SyncPageBytes, which says why the app needs it). rows
// are the feed rows page was built from, first texts expanded, in order;
// page holds their entities once each, in order of first appearance.
//
// It keeps at least the first version whatever its size, so a change
// larger than budget goes through alone rather than never, and it never
// splits a version (a first text's three changes share one). The page it
// leaves is the one a smaller limit would have given: Cursor is the last
// version kept, each change carries its newest version up to there, and
// the rows after come in the next page (an entity named there too comes
// again then, as across any two pages).
//
// page may hold only the first of those entities, once they pass budget
// and number versionChanges or more (buildSync stops encoding there): the
// first version is then whole, and no later version that names the rest
// could fit.
func fitBudget(page api.SyncResponse, rows []store.FeedRow, budget int) api.SyncResponse {
	type key struct{ kind, id string }
	at := make(map[key]int, len(page.Changes)) // each entity's change
	size := 0                                  // of the changes seen so far
	keep, kept := 0, 0                         // changes and rows within budget
	for i, r := range rows {
		k := key{r.Kind, r.EntityID}
		if _, ok := at[k]; !ok {
			if len(at) == len(page.Changes) {
				break // not encoded, as past budget
			}
			at[k] = len(at)
			size += page.Changes[at[k]].JSONSize()
		}
		if i+1 < len(rows) && rows[i+1].Seq == r.Seq {
			continue // not a version's end
		}
		if size > budget && kept > 0 {
			break
		}
		keep, kept = len(at), i+1
	}
	if kept == len(rows) {
		return page
	}
	out := api.SyncResponse{Changes: page.Changes[:keep:keep], Cursor: rows[kept-1].Seq, More: true}
	for _, r := range rows[:kept] { // in order: the last is the newest
		out.Changes[at[key{r.Kind, r.EntityID}]].Version = r.Seq
	}
	return out
}

// versionChanges is the most changes one version of a feed brings: a first
// text's assignment, thread and message (expandFeed).
const versionChanges = 3
