package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

func (f *fixture) organizer(st store.Store) *server.Organizer {
	f.t.Helper()
	o, err := server.NewOrganizer(server.OrganizerConfig{Store: st, Now: f.clock.Now, BcryptCost: bcrypt.MinCost})
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

const orgFile = `
organization: Test Org
campaign: {name: Round Trip, join_code: "777777", admins: [admin@example.org]}
actions:
  - title: GOTV
    contact_fields: [precinct]
    scripts:
      - "Hi {first_name}, precinct {precinct|unknown}. Will you vote?"
      - "Hello {first_name}! Will you vote?"
    report_fields:
      - {key: will_vote, label: Will vote, kind: tag}
      - {key: support, label: Support, kind: choice, choices: [Strong, Weak]}
`

func parseFile(t *testing.T, src string) *campaignfile.File {
	t.Helper()
	file, err := campaignfile.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func readCSV(t *testing.T, raw string) []map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("export is not CSV: %v\n%s", err, raw)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExportRoundTrip: contacts imported from CSV, texted, answered and
// reported through the real HTTP API, come back out in the exports.
func TestExportRoundTrip(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	f.update(func(tx store.Tx) error {
		if err := tx.AddSendingNumber(ctx, res.CampaignID, "+12025550199", baseTime); err != nil {
			return err
		}
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: "+12125550103", Reason: "earlier", CreatedAt: baseTime})
	})
	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(
		"VANID,First Name,Last Name,Cell Phone,Precinct\n" +
			"V1,Ada,Lovelace,(212) 555-0101,12B\n" +
			"V2,Bob,Byte,212.555.0102,\n" +
			"V3,Opted,Out,2125550103,1\n" +
			"V1b,Ada,Again,+1 212 555 0101,12B\n")})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Imported != 2 || imp.OptedOut != 1 || imp.Duplicates != 1 || imp.Rows != 4 {
		t.Fatalf("import %+v", imp)
	}

	c, u := f.user("vera")
	if _, err := c.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	b, err := c.Batch(ctx, actionID)
	if err != nil || len(b.Assigned) != 2 {
		t.Fatalf("batch %+v %v", b, err)
	}
	var ada api.Assignment
	for _, a := range b.Assigned {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		if a.FirstName == "Ada" {
			ada = a
		}
	}
	f.clock.Advance(time.Minute)
	if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: "SM-rt", From: ada.Phone, To: "+12025550199",
		Body: "=HYPERLINK(\"x\") yes I will", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: ada.ContactID, ReportID: uuid.NewString(),
		Values: map[string]string{"will_vote": "true", "support": "Strong", "notes": "friendly, needs a ride"}}))

	var reports, messages, optouts bytes.Buffer
	if n, err := o.ExportReports(ctx, actionID, &reports); err != nil || n != 1 {
		t.Fatalf("export reports: %d %v", n, err)
	}
	rows := readCSV(t, reports.String())
	r := rows[0]
	if r["external_id"] != "V1" || r["first_name"] != "Ada" || r["phone"] != "+12125550101" || r["volunteer_name"] != "vera Volunteer" ||
		r["volunteer_email"] != u.Email || r["will_vote"] != "true" || r["support"] != "Strong" || r["notes"] != "friendly, needs a ride" ||
		r["opted_out_now"] != "false" || r["initial_script"] == "" || (r["script_number"] != "1" && r["script_number"] != "2") ||
		r["precinct"] != "12B" {
		t.Fatalf("report row %v", r)
	}
	// A second report, of what changed (as the app files it): the export
	// of every submission has both, the latest-only one what the thread
	// shows now, each field's newest value.
	f.clock.Advance(time.Minute)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: ada.ContactID, ReportID: uuid.NewString(),
		Values: map[string]string{"support": "Weak", "notes": "has a ride now"}}))
	reports.Reset()
	if n, err := o.ExportReports(ctx, actionID, &reports); err != nil || n != 2 {
		t.Fatalf("export reports after a second: %d %v", n, err)
	}
	reports.Reset()
	if n, err := o.ExportLatestReports(ctx, actionID, &reports); err != nil || n != 1 {
		t.Fatalf("export latest reports: %d %v", n, err)
	}
	if r := readCSV(t, reports.String())[0]; r["support"] != "Weak" || r["notes"] != "has a ride now" || r["will_vote"] != "true" ||
		r["external_id"] != "V1" {
		t.Fatalf("latest report row %v", r)
	}

	if n, err := o.ExportMessages(ctx, actionID, &messages); err != nil || n != 3 {
		t.Fatalf("export messages: %d %v", n, err)
	}
	var in, initial int
	for _, m := range readCSV(t, messages.String()) {
		switch m["direction"] {
		case "in":
			in++
			// A reply that looks like a formula stays text in a spreadsheet.
			if m["body"] != `'=HYPERLINK("x") yes I will` || m["external_id"] != "V1" || m["volunteer_name"] != "vera Volunteer" || m["precinct"] != "12B" {
				t.Fatalf("inbound row %v", m)
			}
		case "out":
			if m["initial"] == "true" && m["sending_number"] == "+12025550199" && strings.Contains(m["body"], "Will you vote?") {
				initial++
			}
		}
	}
	if in != 1 || initial != 2 {
		t.Fatalf("messages: %d in, %d initial\n%s", in, initial, messages.String())
	}

	if n, err := o.ExportOptOuts(ctx, "Test Org", &optouts); err != nil || n != 1 || !strings.Contains(optouts.String(), "+12125550103") {
		t.Fatalf("export opt-outs: %d %v %s", n, err, optouts.String())
	}
	f.drain() // Sent counts texts the provider took
	st, err := o.Stats(ctx, actionID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total.Contacts != 2 || st.Total.Sent != 2 || st.Total.Replies != 1 || st.Total.ReplyRate == nil || *st.Total.ReplyRate != 0.5 || len(st.Scripts) != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// TestImportAllOrNothing: a file with bad rows stores nothing, names each,
// and --skip-invalid loads the rest.
func TestImportAllOrNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	count := func() int {
		var n int
		f.view(func(tx store.Tx) error {
			var err error
			n, err = tx.CountContacts(ctx, actionID)
			return err
		})
		return n
	}
	src := "first,last,cell\nAda,L,2125550101\n,NoFirst,2125550102\nBad,Number,555\nRagged,Row,2125550104,x,y\n"
	_, err = o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(src)})
	var ie *server.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 3 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{
		`line 3, column "first": empty, but initial script 1 and initial script 2 use {first_name} without a fallback`,
		`line 4, column "cell": "555" is not a valid phone number`,
		"line 5: 5 cells, but the header has 3 columns",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("a refused file stored %d contacts", n)
	}
	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(src), SkipInvalid: true})
	if err != nil || imp.Imported != 1 || imp.Invalid != 3 {
		t.Fatalf("skip invalid: %+v %v", imp, err)
	}
	// A column a script needs without a fallback must be in the file.
	f2 := strings.Replace(orgFile, `"777777"`, `"777778"`, 1)
	f2 = strings.Replace(f2, "name: Round Trip", "name: Second Trip", 1)
	f2 = strings.Replace(f2, "{precinct|unknown}", "{precinct}", 1)
	res2, err := o.CreateCampaign(ctx, parseFile(t, f2))
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.ImportContacts(ctx, server.ImportRequest{CampaignCode: "777778", ActionTitle: "gotv", CSV: strings.NewReader("first,last,cell\nA,B,2125550101\n")})
	if err == nil || !strings.Contains(err.Error(), "the action's scripts use {precinct} (initial script 1) without a fallback, but the file has no such column") {
		t.Fatalf("missing column: %v", err)
	}
	_, err = o.ImportContacts(ctx, server.ImportRequest{CampaignCode: "777778", ActionTitle: "nope", CSV: strings.NewReader("")})
	if err == nil || !strings.Contains(err.Error(), `has no action titled "nope"; its actions: "GOTV"`) {
		t.Fatalf("unknown title: %v", err)
	}
	_ = res2
}

// TestCampaignFileAgainstDatabase: a taken join code and unknown admins are
// problems with places, and change nothing; update edits in place.
func TestCampaignFileAgainstDatabase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	if _, err := o.CreateCampaign(ctx, parseFile(t, orgFile)); err != nil {
		t.Fatal(err)
	}
	dup := strings.Replace(orgFile, "admins: [admin@example.org]", "admins: [admin@example.org, ghost@example.org]", 1)
	_, err := o.CreateCampaign(ctx, parseFile(t, dup))
	var ps campaignfile.Problems
	if !errors.As(err, &ps) || len(ps) != 2 ||
		!strings.Contains(err.Error(), `campaign.join_code (line 3): join code 777777 is already used by the active campaign "Round Trip"`) ||
		!strings.Contains(err.Error(), "campaign.admins[1] (line 3): no account has email ghost@example.org") {
		t.Fatalf("err = %v", err)
	}
	list, err := o.ListCampaigns(ctx, true)
	if err != nil || len(list) != 1 {
		t.Fatalf("campaigns after a refused file: %+v %v", list, err)
	}

	// A member's app hears about the update.
	c, _ := f.user("vera")
	if _, err := c.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)
	upd := strings.Replace(orgFile, "title: GOTV", "title: gotv\n    description: New words", 1)
	upd = strings.Replace(upd, "name: Round Trip", `name: Round Trip 2, contact: "Orla Ortiz, orla@example.org"`, 1)
	res, err := o.UpdateCampaign(ctx, parseFile(t, upd))
	if err != nil || len(res.Actions) != 1 || res.Actions[0].Status != "updated" {
		t.Fatalf("update: %+v %v", res, err)
	}
	syncAll(t, c, state, cursor, 0)
	var a api.Action
	mustJSON(t, state[key(api.KindAction, res.Actions[0].ID)].Data, &a)
	if a.Description != "New words" || a.Title != "gotv" {
		t.Fatalf("synced action %+v", a)
	}
	// The campaign's contact reaches its members, not a search's stranger.
	var camp api.Campaign
	mustJSON(t, state[key(api.KindCampaign, res.CampaignID)].Data, &camp)
	if camp.Contact != "Orla Ortiz, orla@example.org" || camp.Name != "Round Trip 2" {
		t.Fatalf("synced campaign %+v", camp)
	}
	stranger, _ := f.user("otto")
	found, err := stranger.SearchCampaigns(ctx, "777777") // not public: found by its code
	if err != nil || len(found) != 1 || found[0].Contact != "" {
		t.Fatalf("a stranger's search: %+v %v", found, err)
	}
}

// TestRunningServerSeesCLIChanges: an organizer command in another
// process (here: another store handle on the same file) pokes the live
// stream of the members it concerns, through the server's feed watcher.
func TestRunningServerSeesCLIChanges(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o := f.organizer(f.st)
	if _, err := o.CreateCampaign(ctx, parseFile(t, orgFile)); err != nil {
		t.Fatal(err)
	}
	c, _ := f.user("vera")
	if _, err := c.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	go f.srv.WatchFeed(ctx, 20*time.Millisecond)

	events := make(chan api.Event, 16)
	opened := make(chan struct{})
	go func() { _ = c.Stream(ctx, func() { close(opened) }, func(ev api.Event) { events <- ev }) }()
	<-opened
	first := <-events

	// The watcher takes its starting point when its goroutine first runs,
	// which under load can come after a change made at once; a change is
	// made again (in new words) until one is seen, and only the deadline
	// fails the test.
	other := f.reopen()
	for i := 0; ; i++ {
		upd := strings.Replace(orgFile, "title: GOTV", fmt.Sprintf("title: GOTV\n    description: changed elsewhere %d", i), 1)
		if _, err := f.organizer(other).UpdateCampaign(ctx, parseFile(t, upd)); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-events:
			if ev.Version <= first.Version {
				t.Fatalf("event version %d, want > %d", ev.Version, first.Version)
			}
			return
		case <-time.After(time.Second):
		case <-ctx.Done():
			t.Fatal("the running server never poked the member after another process changed the campaign")
		}
	}
}

// TestCampaignUpdateRefusals: once contacts are loaded an action keeps its
// scripts, a campaign keeps its organization, and an unknown id is named.
func TestCampaignUpdateRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID,
		CSV: strings.NewReader("first,last,cell\nAda,L,2125550101\n")}); err != nil {
		t.Fatal(err)
	}
	upd := strings.Replace(orgFile, `      - "Hello {first_name}! Will you vote?"`+"\n", "", 1)
	upd = strings.Replace(upd, "organization: Test Org", "organization: Other Org", 1)
	upd += "  - id: no-such-action\n    title: Ghost\n    scripts: [Hi]\n"
	_, err = o.UpdateCampaign(ctx, parseFile(t, upd))
	for _, want := range []string{
		`organization (line 2): the campaign belongs to "Test Org"`,
		"actions[0].scripts (line 7): the action's 1 contacts are spread over 2 scripts",
		"actions[1].id (line 12): this campaign has no action with id no-such-action",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("update error lacks %q:\n%v", want, err)
		}
	}
	f.view(func(tx store.Tx) error {
		a, err := tx.ActionByID(ctx, res.Actions[0].ID)
		if err != nil || len(a.Scripts) != 2 {
			t.Fatalf("refused update changed the action: %+v %v", a, err)
		}
		return nil
	})
	// Adding a script and an action is fine.
	ok := strings.Replace(orgFile, `      - "Hello {first_name}! Will you vote?"`,
		`      - "Hello {first_name}! Will you vote?"`+"\n      - \"Third {first_name}\"", 1)
	ok += "  - title: Follow-up\n    scripts: [\"Thanks {first_name|friend}\"]\n"
	got, err := o.UpdateCampaign(ctx, parseFile(t, ok))
	if err != nil || len(got.Actions) != 2 || got.Actions[0].Status != "updated" || got.Actions[1].Status != "created" {
		t.Fatalf("update: %+v %v", got, err)
	}
}
