package server_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// versionsFile's action allows only its response scripts; "vote" fills in
// the contact's first name and switches will_vote on.
const versionsFile = `
organization: Test Org
campaign: {name: Versions, join_code: "737373", admins: [admin@example.org]}
actions:
  - title: GOTV
    allow_free_text: false
    scripts: ["Hi {first_name}, will you vote?"]
    response_scripts:
      - {id: vote, label: Will vote, body: "Great, {first_name}! Vote at Town Hall.", tags: [will_vote]}
      - {id: bye, label: Bye, body: "Bye!"}
    report_fields:
      - {key: will_vote, label: Will vote, kind: tag}
      - {key: moved, label: Moved, kind: tag}
`

const (
	townHall = "Great, Mary! Vote at Town Hall." // "vote" as the file has it, for Mary
	voteLine = `{id: vote, label: Will vote, body: "Great, {first_name}! Vote at Town Hall.", tags: [will_vote]}`
)

// versionsFix is versionsFile's campaign, made and edited through the
// organizer's commands, with Mary texted by vera.
type versionsFix struct {
	t      *testing.T
	f      *fixture
	o      *server.Organizer
	vera   *api.Client
	thread string
	reads  *versionReads
}

// versionReads counts the server's reads of response script versions.
type versionReads struct {
	store.Store
	n atomic.Int64
}

func (r *versionReads) Update(ctx context.Context, fn func(store.Tx) error) error {
	return r.Store.Update(ctx, func(tx store.Tx) error { return fn(versionReadsTx{Tx: tx, r: r}) })
}

func (r *versionReads) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	wrapped := make([]func(store.Tx) error, len(fns))
	for i, fn := range fns {
		wrapped[i] = func(tx store.Tx) error { return fn(versionReadsTx{Tx: tx, r: r}) }
	}
	return r.Store.UpdateEach(ctx, wrapped)
}

type versionReadsTx struct {
	store.Tx
	r *versionReads
}

func (x versionReadsTx) ResponseScriptVersions(ctx context.Context, actionID, scriptID string, since time.Time) ([]store.ScriptVersion, error) {
	x.r.n.Add(1)
	return x.Tx.ResponseScriptVersions(ctx, actionID, scriptID, since)
}

func newVersionsFix(t *testing.T) versionsFix {
	t.Helper()
	ctx := context.Background()
	// Months pass in these tests: the volunteer's token must outlast them.
	reads := &versionReads{}
	f := newFixtureWith(t, fixtureOpts{tokenIdle: 400 * 24 * time.Hour, tokenLifetime: 400 * 24 * time.Hour,
		wrap: func(st store.Store) store.Store { reads.Store = st; return reads }})
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, versionsFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	f.update(func(tx store.Tx) error {
		if err := tx.AddSendingNumber(ctx, res.CampaignID, "+12025550188", baseTime); err != nil {
			return err
		}
		return tx.CreateContact(ctx, store.Contact{ID: uuid.NewString(), ActionID: actionID, FirstName: "Mary", LastName: "Smith",
			Phone: "+12125550142", Fields: map[string]string{}, CreatedAt: baseTime})
	})
	vera, _ := f.user("vera")
	if _, err := vera.Join(ctx, "737373"); err != nil {
		t.Fatal(err)
	}
	b, err := vera.Batch(ctx, actionID)
	if err != nil || len(b.Assigned) != 1 {
		t.Fatalf("batch %+v %v", b, err)
	}
	r, _ := sendInitial(t, vera, b.Assigned[0].ContactID)
	wantApplied(t, r)
	return versionsFix{t: t, f: f, o: o, vera: vera, thread: b.Assigned[0].ContactID, reads: reads}
}

// edit runs campaign update on versionsFile with old replaced by new.
func (v versionsFix) edit(old, new string) {
	v.t.Helper()
	if !strings.Contains(versionsFile, old) {
		v.t.Fatalf("versionsFile has no %q", old)
	}
	if _, err := v.o.UpdateCampaign(context.Background(), parseFile(v.t, strings.Replace(versionsFile, old, new, 1))); err != nil {
		v.t.Fatal(err)
	}
}

// reply pushes vera's reply naming the "vote" script, made (by her app's
// clock) at made; it returns the result and the tags the reply filed.
func (v versionsFix) reply(body string, made time.Time) (api.MutationResult, map[string]string) {
	v.t.Helper()
	msgID := uuid.NewString()
	r := push(v.t, v.vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: made, ThreadID: v.thread,
		MessageID: msgID, Body: body, ResponseScriptID: "vote"})
	var tags map[string]string
	v.f.view(func(tx store.Tx) error {
		if rep, err := tx.ReportByID(context.Background(), "script-"+msgID); err == nil {
			tags = rep.Values
		}
		return nil
	})
	return r, tags
}

// TestReplyReadsScriptVersionsOnlyIfEdited: a reply naming a script reads
// the script's earlier versions only when one may be what vera's app
// showed. Not while the action was never edited (the script or free text
// refused alike), nor for the current text made after the last edit; a
// reply made before that edit reads them, whether it is the old text or
// the new, and so does the old text made after it.
func TestReplyReadsScriptVersionsOnlyIfEdited(t *testing.T) {
	v := newVersionsFix(t)
	const cityHall = "Great, Mary! Vote at City Hall."
	check := func(what string, body string, made time.Time, wantReads int64, wantTag bool) {
		t.Helper()
		v.reads.n.Store(0)
		r, tags := v.reply(body, made)
		if wantTag {
			wantApplied(t, r)
		} else {
			wantRejected(t, r, api.RejectFreeText)
		}
		if (tags["will_vote"] == "true") != wantTag {
			t.Errorf("%s filed %v", what, tags)
		}
		if got := v.reads.n.Load(); got != wantReads {
			t.Errorf("%s read the script's versions %d times, want %d", what, got, wantReads)
		}
	}
	check("the script of an action never edited", townHall, v.f.clock.Now(), 0, true)
	check("free text in an action never edited", "Great, Mary! Vote wherever you like.", v.f.clock.Now(), 0, false)
	made := v.f.clock.Now()
	v.f.clock.Advance(time.Hour)
	v.edit("Vote at Town Hall.", "Vote at City Hall.")
	v.f.clock.Advance(time.Hour)
	check("the current text made after the edit", cityHall, v.f.clock.Now(), 0, true)
	check("the old text made before the edit", townHall, made, 1, true)
	check("the current text made before the edit", cityHall, made, 1, true)
	check("the old text made after the edit (an app not synced since)", townHall, v.f.clock.Now(), 1, true)
}

// TestReplyWithScriptEditedSince: a reply vera picked from the "vote"
// script before an organizer edited its text, pushed a day later (her app
// was offline), is taken as the script: sent, with the tags that version
// sets, though the action allows no free text. The new text is taken
// too; words that were never the script still are refused.
func TestReplyWithScriptEditedSince(t *testing.T) {
	v := newVersionsFix(t)
	made := v.f.clock.Now()
	v.f.clock.Advance(time.Hour)
	v.edit("Vote at Town Hall.", "Vote at City Hall.")
	v.f.clock.Advance(24 * time.Hour)
	r, tags := v.reply(townHall, made)
	wantApplied(t, r)
	if tags["will_vote"] != "true" {
		t.Errorf("the edited script's old text filed %v, want will_vote", tags)
	}
	r, tags = v.reply("Great, Mary! Vote at City Hall.", v.f.clock.Now())
	wantApplied(t, r)
	if tags["will_vote"] != "true" {
		t.Errorf("the script's new text filed %v, want will_vote", tags)
	}
	r, tags = v.reply("Great, Mary! Vote wherever you like.", made)
	wantRejected(t, r, api.RejectFreeText)
	if tags != nil {
		t.Errorf("a refused reply filed %v", tags)
	}
}

// TestReplyWithScriptTagsEditedSince: the organizer changed which tag
// "vote" sets, not its text. A reply made before the edit files the tag
// the script set then; one made after, the new one.
func TestReplyWithScriptTagsEditedSince(t *testing.T) {
	v := newVersionsFix(t)
	made := v.f.clock.Now()
	v.f.clock.Advance(time.Hour)
	v.edit("tags: [will_vote]}", "tags: [moved]}")
	v.f.clock.Advance(time.Hour)
	r, tags := v.reply(townHall, made)
	wantApplied(t, r)
	if len(tags) != 1 || tags["will_vote"] != "true" {
		t.Errorf("a reply made before the tags changed filed %v, want will_vote alone", tags)
	}
	r, tags = v.reply(townHall, v.f.clock.Now())
	wantApplied(t, r)
	if len(tags) != 1 || tags["moved"] != "true" {
		t.Errorf("a reply made after the tags changed filed %v, want moved alone", tags)
	}
}

// TestReplyWithScriptDeletedSince: the organizer removed "vote"; a reply
// vera picked from it before is still the script, with its tags.
func TestReplyWithScriptDeletedSince(t *testing.T) {
	v := newVersionsFix(t)
	made := v.f.clock.Now()
	v.f.clock.Advance(time.Hour)
	v.edit("      - "+voteLine+"\n", "")
	v.f.clock.Advance(time.Hour)
	r, tags := v.reply(townHall, made)
	wantApplied(t, r)
	if tags["will_vote"] != "true" {
		t.Errorf("the removed script filed %v, want will_vote", tags)
	}
}

// TestReplyWithScriptVersionPastBound: a version is taken only if it was
// current within two months (the inactivity archive's period) before the
// reply was made. A reply made longer after the edit than that is free
// text; so is one whose app dates it far back (a clock behind, or a reply
// queued for months): it counts as made no earlier than two months before
// it reaches the server.
func TestReplyWithScriptVersionPastBound(t *testing.T) {
	const day = 24 * time.Hour
	v := newVersionsFix(t)
	edited := v.f.clock.Now()
	v.edit("Vote at Town Hall.", "Vote at City Hall.")
	v.f.clock.Advance(59 * day)
	r, _ := v.reply(townHall, v.f.clock.Now())
	wantApplied(t, r)
	v.f.clock.Advance(2 * day)
	r, _ = v.reply(townHall, v.f.clock.Now())
	wantRejected(t, r, api.RejectFreeText)
	v.f.clock.Advance(60 * day)
	r, _ = v.reply(townHall, edited.Add(-time.Hour))
	wantRejected(t, r, api.RejectFreeText)
}
