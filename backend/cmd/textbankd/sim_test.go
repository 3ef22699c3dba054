package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/simdoor"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/testlog"
)

// serveInProcess runs textbankd serve with args on a loopback port, once
// it serves; it returns its address (from its log) and stop, which stops
// it (at the test's end if not before).
func serveInProcess(t *testing.T, args ...string) (addr string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &testlog.Buffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, logs, envOf(nil))
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				t.Error("serve did not stop")
			}
		})
	}
	t.Cleanup(stop)
	// Info, for the line saying it serves; a server without a provider
	// says it as a warning.
	awaitLog(t, logs, done, "textbankd serving", serveStartWait)
	m := regexp.MustCompile(`"addr":"([^"]+)"`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no address in the log: %s", logs.String())
	}
	return m[1], stop
}

func TestSimText(t *testing.T) { testSimText(t, "") }

func TestPostgresSimText(t *testing.T) { testSimText(t, pgtest.MigratedURL(t)) }

// testSimText: textbankd sim text hands a chosen text to a running
// serve --demo (the simulated network), which takes it the way a real
// reply comes: into the conversation with the contact (the volunteer's
// feed hears of it), STOP opting the number out and a START after it
// going to the admins, a stranger's text kept as unroutable. Each bad
// input is refused naming what was wrong, with nothing stored.
func testSimText(t *testing.T, db string) {
	data := filepath.Join(t.TempDir(), "data")
	args := []string{"--demo", "--data", data}
	if db != "" {
		args = append(args, "--db", db)
	}
	serveInProcess(t, args...)
	ctx := context.Background()
	st, err := openDB(ctx, db, data, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var th store.Thread
	view := func(fn func(tx store.Tx) error) {
		t.Helper()
		if err := st.View(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	view(func(tx store.Tx) error {
		threads, err := tx.InactiveThreads(ctx, time.Now().Add(24*time.Hour), 200)
		for _, c := range threads {
			if !c.OptedOut && !c.Blocked {
				th = c
			}
		}
		return err
	})
	if th.ID == "" {
		t.Fatal("the demo has no conversation to reply in")
	}
	env := map[string]string{"TEXTBANK_DATA": data}
	sim := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, env, "", append([]string{"sim", "text"}, args...)...)
	}
	// stored is what a text could leave: the stranger's unroutable
	// texts, the volunteer's feed, the contact's opt-out.
	stored := func() (unroutable, feed int, optedOut bool) {
		t.Helper()
		view(func(tx store.Tx) error {
			u, err := tx.ListUnroutable(ctx, 1000)
			if err != nil {
				return err
			}
			f, err := tx.FeedAfter(ctx, th.OwnerID, 0, 100000)
			if err != nil {
				return err
			}
			optedOut, err = tx.IsOptedOut(ctx, th.OrganizationID, th.ContactPhone)
			unroutable, feed = len(u), len(f)
			return err
		})
		return
	}
	u0, f0, o0 := stored()
	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", "12", "--to", th.SendingNumber, "Hi"}, 1, `--from: "12" is not a valid phone number`},
		{[]string{"--from", th.ContactPhone, "--to", "+1202", "Hi"}, 1, `--to: "+1202" is not a valid phone number`},
		{[]string{"--to", th.SendingNumber, "Hi"}, 1, "give the contact's number with --from"},
		{[]string{"--from", th.ContactPhone, "Hi"}, 1, "give the campaign's sending number with --to"},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber, " \n"}, 1, "BODY: the text is empty; nothing was sent"},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber, strings.Repeat("a", 1601)}, 1, "the text is 1601 characters; texts can be at most 1600"},
		{[]string{"--from", th.ContactPhone, "--to", "+12025550199", "Hi"}, 1, "+12025550199 is not a sending number of any campaign on this server (textbankd numbers list names them); nothing was stored"},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber}, 2, "want BODY, got 0 arguments"},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber, "--id", "SM1", "Hi"}, 1,
			`--id: "SM1" is not a message id: SM and 32 hexadecimal digits (0-9, a-f), as Twilio's, e.g. SM0123456789abcdef0123456789abcdef; nothing was sent`},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber, "--id", "SM0123456789ABCDEF0123456789ABCDEF", "Hi"}, 1, "is not a message id"},
		{[]string{"--from", th.ContactPhone, "--to", th.SendingNumber, "--data", t.TempDir(), "Hi"}, 1, "no server on the simulated network runs on --data"},
	} {
		code, out, errOut := sim(bad.args...)
		if code != bad.code || out != "" || !strings.Contains(errOut, bad.want) {
			t.Errorf("sim text %q: exit %d, stdout %q, stderr %q; want exit %d naming %q", bad.args, code, out, errOut, bad.code, bad.want)
		}
	}
	if u, f, o := stored(); u != u0 || f != f0 || o != o0 {
		t.Fatalf("after the refusals: %d unroutable, %d feed rows, opted out %v; want %d, %d, %v as before", u, f, o, u0, f0, o0)
	}

	// A question, in the conversation: the volunteer's feed hears of it.
	code, out, errOut := sim("--from", th.ContactPhone, "--to", th.SendingNumber, "Where do I vote?", "--json")
	var ans struct {
		ProviderID   string
		Conversation struct{ Contact, Email string }
		Unroutable   bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &ans) != nil || ans.Conversation.Contact != th.ContactName || ans.Unroutable {
		t.Fatalf("a question: exit %d, stdout %q, stderr %q; want it in the conversation with %s", code, out, errOut, th.ContactName)
	}
	view(func(tx store.Tx) error {
		m, err := tx.MessageByProviderID(ctx, ans.ProviderID)
		if err != nil || m.ThreadID != th.ID || m.Direction != api.DirInbound || m.Body != "Where do I vote?" {
			t.Errorf("the question stored as %+v, %v; want an inbound text in %s", m, err, th.ID)
			return nil
		}
		feed, err := tx.FeedAfter(ctx, th.OwnerID, 0, 100000)
		if len(feed) == 0 || feed[len(feed)-1].Kind != api.KindMessage || feed[len(feed)-1].EntityID != m.ID {
			t.Errorf("the volunteer's feed ends %+v; want the question", feed[max(len(feed)-2, 0):])
		}
		return err
	})

	// A text the provider delivers twice (a webhook retried): the same
	// --id again is stored once, and the second answer says so.
	const sid = "SM00000000000000000000000000c0ffee"
	_, f1, _ := stored()
	code, out, errOut = sim("--from", th.ContactPhone, "--to", th.SendingNumber, "--id", sid, "Is it Tuesday?")
	if code != 0 || !strings.Contains(out, "Delivered \"Is it Tuesday?\" from "+th.ContactPhone+" to "+th.SendingNumber+" ("+sid+"): it is in the conversation with "+th.ContactName) ||
		strings.Contains(out, "repeat") {
		t.Fatalf("a text under --id %s: exit %d, stdout %q, stderr %q; want it delivered as new", sid, code, out, errOut)
	}
	_, f2, _ := stored()
	if f2 == f1 {
		t.Fatal("a new text under --id left nothing in the volunteer's feed")
	}
	code, out, errOut = sim("--from", th.ContactPhone, "--to", th.SendingNumber, "--id", sid, "Is it Tuesday?")
	if code != 0 || !strings.Contains(out, "again as "+sid+", a repeat of the text already stored under that id: nothing new was stored") ||
		!strings.Contains(out, "it is in the conversation with "+th.ContactName) {
		t.Fatalf("the same --id again: exit %d, stdout %q, stderr %q; want it said to be a repeat", code, out, errOut)
	}
	code, out, errOut = sim("--from", th.ContactPhone, "--to", th.SendingNumber, "--id", sid, "Is it Tuesday?", "--json")
	var again struct {
		ID, ProviderID string
		Repeat         bool
	}
	if code != 0 || json.Unmarshal([]byte(out), &again) != nil || !again.Repeat || again.ID != sid || again.ProviderID != sid {
		t.Fatalf("the same --id again, --json: exit %d, stdout %q, stderr %q; want repeat true under %s", code, out, errOut, sid)
	}
	if _, f3, _ := stored(); f3 != f2 {
		t.Fatalf("the repeats added %d rows to the volunteer's feed; want none", f3-f2)
	}
	view(func(tx store.Tx) error {
		m, err := tx.MessageByProviderID(ctx, sid)
		if err != nil || m.ThreadID != th.ID || m.Body != "Is it Tuesday?" {
			t.Errorf("the text under %s: %+v, %v", sid, m, err)
		}
		return nil
	})
	// A stranger's text delivered twice is kept as unroutable once.
	const strangerSID = "SM00000000000000000000000000facade"
	u1, _, _ := stored()
	for i := range 2 {
		code, out, errOut = sim("--from", "+13125550178", "--to", th.SendingNumber, "--id", strangerSID, "Wrong number?")
		if code != 0 || strings.Contains(out, "a repeat") != (i == 1) || !strings.Contains(out, "kept as unroutable") {
			t.Fatalf("a stranger's text under --id, time %d: exit %d, stdout %q, stderr %q", i+1, code, out, errOut)
		}
	}
	if u2, _, _ := stored(); u2 != u1+1 {
		t.Fatalf("a stranger's text delivered twice left %d unroutable texts; want 1", u2-u1)
	}

	// STOP opts the number out; a START after it goes to the admins.
	code, out, errOut = sim("--from", th.ContactPhone, "--to", th.SendingNumber, "STOP")
	if code != 0 || !strings.Contains(out, "in the conversation with "+th.ContactName) || !strings.Contains(out, "The number is opted out of the organization") {
		t.Fatalf("STOP: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, _, optedOut := stored(); !optedOut {
		t.Fatal("STOP did not opt the number out")
	}
	// Told what became of this START, not what a START would do (it said
	// "a START from it goes to the campaign's admins" after one).
	code, out, errOut = sim("--from", th.ContactPhone, "--to", th.SendingNumber, "START")
	if code != 0 || !strings.Contains(out, "this START is listed for the campaign's admins under Opt-ins") || strings.Contains(out, "a START from it") {
		t.Fatalf("START: exit %d, stdout %q, stderr %q; want it listed for the admins", code, out, errOut)
	}
	view(func(tx store.Tx) error {
		ins, err := tx.OptIns(ctx, th.CampaignID, store.MarkAll, 100)
		for _, in := range ins {
			if in.Phone == th.ContactPhone && in.Body == "START" {
				return err
			}
		}
		t.Errorf("opt-ins %+v, %v; want the START from %s", ins, err, th.ContactPhone)
		return nil
	})

	// A stranger's text: kept as unroutable.
	code, out, errOut = sim("--from", "+13125550177", "--to", th.SendingNumber, "Who is this?")
	if code != 0 || !strings.Contains(out, "no conversation claimed it; it is kept as unroutable") {
		t.Fatalf("a stranger's text: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	view(func(tx store.Tx) error {
		u, err := tx.ListUnroutable(ctx, 1)
		if len(u) != 1 || u[0].From != "+13125550177" || u[0].Body != "Who is this?" || u[0].CampaignID != th.CampaignID {
			t.Errorf("latest unroutable %+v, %v; want the stranger's text", u, err)
		}
		return err
	})
	if _, err := os.Stat(filepath.Join(data, simdoor.File)); err != nil {
		t.Fatalf("the door while the server runs: %v", err)
	}
}
