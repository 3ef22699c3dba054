package server

import (
	"context"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
)

// scriptVersionWindow is how long before a reply was made a version of the
// response script it names may have stopped being current and still be
// taken as that script. A volunteer's app shows the version it last
// synced, and a reply picked from it may wait in the outbox: the version
// was current when the app last heard from the server, before the reply
// was made. The bound is the inactivity after which a conversation is
// archived (inbox.InactiveAfter): an app that had not synced for longer
// answers a conversation quiet for as long, and a version that old is
// more likely wrong (a polling place corrected) than picked in good faith.
const scriptVersionWindow = inbox.InactiveAfter

// versionsSince is the earliest time a version of a response script may
// have been retired at for reply m, pushed at now, to be taken as the
// script: scriptVersionWindow before the reply was made. The app's date
// counts no later than now (madeAt: a clock ahead) and no earlier than a
// window before now (a clock far behind, or a reply queued for months), so
// no reply reaches further back than two windows before now, and the
// versions kept (versionsForgottenBefore) are always enough to answer.
func versionsSince(m api.Mutation, now time.Time) time.Time {
	made := madeAt(m, now)
	if oldest := now.Add(-scriptVersionWindow); made.Before(oldest) {
		made = oldest
	}
	return made.Add(-scriptVersionWindow)
}

// versionsForgottenBefore is when the versions no reply pushed from now on
// can be taken for (versionsSince) were retired before.
func versionsForgottenBefore(now time.Time) time.Time {
	return now.Add(-2 * scriptVersionWindow)
}

// retireScripts keeps the versions of the response scripts an update of an
// action replaces, removed or with other text or tags (their order and the
// label say nothing a reply's check reads), as retired now.
func retireScripts(ctx context.Context, tx store.ScriptVersions, old, updated store.Action, now time.Time) error {
	var retired []store.ResponseScript
	for _, rs := range old.ResponseScripts {
		i := slices.IndexFunc(updated.ResponseScripts, func(n store.ResponseScript) bool { return n.ID == rs.ID })
		if i < 0 || updated.ResponseScripts[i].Body != rs.Body || !sameTags(updated.ResponseScripts[i].Tags, rs.Tags) {
			retired = append(retired, rs)
		}
	}
	if len(retired) == 0 {
		return nil
	}
	return tx.RetireResponseScripts(ctx, old.ID, retired, now, versionsForgottenBefore(now))
}

func sameTags(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// sentScript is the version of the response script reply m names that
// its body (trimmed) is, filled in for the contact (preparedScript), nil
// when the reply names none or is none of them. The versions are the
// script as it is now and those an organizer's edits replaced (or its
// removal retired) since versionsSince. Of those the body is, it is the
// one the app most likely showed: the earliest still current when the
// reply was made (madeAt; the script as it is now if it was not edited
// since), else, an app that had not synced the newer ones, the latest
// retired before. Two versions of one text differ in their tags.
//
// The kept versions are read (in the write transaction: on PostgreSQL a
// round trip under its lock) only when one may be the answer, which the
// action's ScriptsRetiredAt tells: not when none was retired since
// versionsSince (the action never edited, the common case), nor when the
// reply is the current script and none was retired after it was made.
func sentScript(ctx context.Context, tx store.ScriptVersions, a store.Action, c store.Contact, th store.Thread, u store.User,
	m api.Mutation, body string, now time.Time) (*store.ResponseScript, error) {
	if m.ResponseScriptID == "" {
		return nil, nil
	}
	made := madeAt(m, now)
	var versions []store.ScriptVersion
	if i := slices.IndexFunc(a.ResponseScripts, func(rs store.ResponseScript) bool { return rs.ID == m.ResponseScriptID }); i >= 0 {
		current := a.ResponseScripts[i]
		if !retiredAfter(a, made) && preparedScript([]store.ResponseScript{current}, c, th, u, body) {
			return &current, nil // what the loop below would find first
		}
		// Current: retired after any time a reply is made.
		versions = append(versions, store.ScriptVersion{ResponseScript: current, RetiredAt: now.Add(time.Hour)})
	}
	if since := versionsSince(m, now); a.ScriptsRetiredAt != nil && !a.ScriptsRetiredAt.Before(since) {
		older, err := tx.ResponseScriptVersions(ctx, a.ID, m.ResponseScriptID, since)
		if err != nil {
			return nil, err
		}
		versions = append(versions, older...)
	}
	var sent *store.ResponseScript
	for i := range versions { // newest first
		v := &versions[i]
		if !preparedScript([]store.ResponseScript{v.ResponseScript}, c, th, u, body) {
			continue
		}
		if v.RetiredAt.After(made) {
			sent = &v.ResponseScript // an earlier one still current then may follow
			continue
		}
		if sent == nil {
			sent = &v.ResponseScript
		}
		break
	}
	return sent, nil
}

// retiredAfter is whether a version of one of the action's response
// scripts was retired after t (a version retired at t was not current at
// t, as sentScript counts).
func retiredAfter(a store.Action, t time.Time) bool {
	return a.ScriptsRetiredAt != nil && a.ScriptsRetiredAt.After(t)
}
