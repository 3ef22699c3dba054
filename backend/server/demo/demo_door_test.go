package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestDemoOpensTheSimulatedNetworksDoor: the demo the desktop app runs
// with --demo takes a text an organizer chooses (textbankd sim text
// --data DIR) as serve --demo does: its door is in its folder while it
// runs, the text joins the conversation of the contact it comes from, and
// the door is gone once the demo stops.
func TestDemoOpensTheSimulatedNetworksDoor(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	inst, err := demo.Start(ctx, demo.Options{Dir: dir, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost,
		Network: simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	door, err := simdoor.Read(dir)
	if err != nil {
		inst.Close(context.Background())
		t.Fatalf("the demo's door: %v", err)
	}
	// The sample contact (Rosa Parks), texted from the demo's first
	// number: the conversation in the demo volunteer's inbox that
	// docs/ORGANIZER.md and the desktop demo's hint name.
	ans, err := simdoor.Ask(ctx, door, dir, simdoor.Text{From: demo.SampleContactPhone, To: demo.SendingNumbers()[0], Body: "Where do I vote?"})
	if err != nil {
		inst.Close(context.Background())
		t.Fatalf("sim text to the demo: %v", err)
	}
	if ans.Conversation == nil || ans.Conversation.Contact != demo.SampleContact || ans.Conversation.Email != demo.VolunteerEmail || ans.Unroutable {
		t.Errorf("the text went to %+v (conversation %+v); want %s's, in %s's inbox", ans, ans.Conversation, demo.SampleContact, demo.VolunteerEmail)
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := inst.Close(closeCtx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, simdoor.File)); !os.IsNotExist(err) {
		t.Fatalf("the door after the demo stopped: %v; want it removed", err)
	}
}
