package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestDemoSaysHowToTextItsVolunteer: the desktop demo's server lives in a
// new temporary folder at each run, so the app prints the textbankd sim
// text line that reaches it; the line, run as printed, puts the text in
// the sample contact's conversation in the demo volunteer's inbox.
func TestDemoSaysHowToTextItsVolunteer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	opts := demoOptions(t.TempDir(), simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}, zerolog.Nop())
	opts.BcryptCost = bcrypt.MinCost
	inst, err := demo.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(context.Background())
	var out bytes.Buffer
	announceDemo(&out, zerolog.Nop(), inst, opts.Dir)
	_, line, ok := strings.Cut(out.String(), "textbankd sim text ")
	if !ok || !strings.Contains(out.String(), "join with "+demo.JoinCode) {
		t.Fatalf("the demo's hint %q names no sim text line or no join code", out.String())
	}
	// --data DIR --from PHONE --to NUMBER "BODY"
	f := strings.Fields(strings.TrimSpace(line))
	if len(f) < 7 || f[0] != "--data" || f[2] != "--from" || f[4] != "--to" {
		t.Fatalf("the sim text line %q is not --data DIR --from PHONE --to NUMBER BODY", line)
	}
	door, err := simdoor.Read(f[1])
	if err != nil {
		t.Fatalf("the line's --data %s: %v", f[1], err)
	}
	body := strings.Trim(strings.Join(f[6:], " "), `"`)
	ans, err := simdoor.Ask(ctx, door, f[1], simdoor.Text{From: f[3], To: f[5], Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Conversation == nil || ans.Conversation.Contact != demo.SampleContact || ans.Conversation.Email != demo.VolunteerEmail {
		t.Fatalf("the hint's text went to %+v; want %s's conversation in %s's inbox", ans.Conversation, demo.SampleContact, demo.VolunteerEmail)
	}
}
