package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/testlog"
)

// TestDebugLogHoldsNoSecrets: a server logging at debug, taken through
// sign-up, failed and good sign-ins, texting, replies both ways, reports,
// block and reassign notes, sign-out and a dead token, writes no token,
// password, text body or note to its log.
func TestDebugLogHoldsNoSecrets(t *testing.T) {
	var logs testlog.Buffer
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(&logs).Level(zerolog.DebugLevel)})
	ctx := context.Background()
	cf, c, u, b := f.texting("vera", campaignOpts{contacts: 3, numbers: 1})
	secrets := []string{f.token(c), "correct horse battery"}
	// A failed sign-in, and a sign-in with a password to find.
	const wrong = "wrong-password-77"
	if _, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(ctx, api.LoginRequest{Email: u.Email, Password: wrong}); err == nil {
		t.Fatal("a wrong password signed in")
	}
	second, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, wrong, second.Token)
	for i, a := range b.Assigned[:2] {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		sent := f.sent()
		in := "inbound secret " + uuid.NewString()
		replyFrom(t, f, a, sent[len(sent)-1].From, in)
		out := "outbound secret " + uuid.NewString()
		note := "note secret " + uuid.NewString()
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: uuid.NewString(), Body: out}))
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: a.ContactID, ReportID: uuid.NewString(),
			Values: map[string]string{"notes": note}}))
		last := api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a.ContactID, Reason: "other", Body: "block " + note}
		if i == 1 {
			last = api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: a.ContactID, ToUserID: f.admin.ID, Body: "reassign " + note}
		}
		wantApplied(t, push(t, c, last))
		secrets = append(secrets, in, out, note, sent[len(sent)-1].Body)
	}
	f.drain()
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	f.raw("GET", "/api/v1/me", f.token(c), nil)                                        // a dead token
	f.raw("POST", "/api/v1/login", "", `{"email": "`+u.Email+`", "password": "`+wrong) // a body cut short
	_, _ = f.raw("GET", "/api/v1/campaigns/"+cf.campaign.ID+"/admin", second.Token, nil)
	log := logs.String()
	if !strings.Contains(log, `"level":"debug"`) {
		t.Fatalf("the server logged nothing at debug; the test sees nothing:\n%s", log)
	}
	for _, s := range secrets {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}
