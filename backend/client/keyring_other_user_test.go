package client_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// A cache whose saved sign-in could not be resumed (its token gone from the
// keyring, say) still holds that volunteer's campaigns, contacts and
// conversations. Whoever signs in next on that computer as someone else
// (a campaign office's shared laptop) must not see them: signing in as
// another account starts from an empty cache, as it does after a session
// that was resumed.
func TestSignInAsAnotherAfterAnUnreadableSessionSeesNothingOfTheFirst(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, simnet.Config{})
	dir, tokens := t.TempDir(), &keyringTokens{}
	first := startWithTokens(t, inst.URL, dir, tokens)
	if _, err := first.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := first.JoinCampaign(ctx, demo.JoinCode); err != nil {
		t.Fatal(err)
	}
	first.Close()
	tokens.token = "" // the keyring lost it: the app starts signed out
	c := startWithTokens(t, inst.URL, dir, tokens)
	defer c.Close()
	if c.Status(ctx).SignedIn {
		t.Fatal("signed in without a token")
	}
	before, err := c.Campaigns(ctx)
	if err != nil || len(before) == 0 {
		t.Fatalf("the first volunteer's campaigns are not in the cache to begin with: %v, %v", before, err)
	}
	if _, err := c.SignUp(ctx, "Other Person", "other.person@example.org", "a long enough pass phrase 42"); err != nil {
		t.Fatal(err)
	}
	got, err := c.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("another account, in no campaign, sees %d campaigns of the volunteer signed in before (first %q)", len(got), got[0].Name)
	}
	threads, err := c.Threads(ctx, "all", "", "", 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(threads) != 0 {
		t.Errorf("another account sees %d conversations of the volunteer signed in before (first with %s)", len(threads), threads[0].ContactName)
	}
}
