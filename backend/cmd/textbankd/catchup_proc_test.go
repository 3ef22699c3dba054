package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/testlog"
)

// heldReplies is Twilio's API for a server that was down: the account, and
// the texts Twilio received but could not post, listed as Twilio's List
// Message does (To= and DateSent>= filters, newest first, next_page_uri
// paging, two a page here so a few replies take several pages). rounds
// counts the lists of ourNumber's texts begun (a catch-up round's).
type heldReplies struct {
	mu     sync.Mutex
	texts  []map[string]any
	rounds int
}

// begun is how many rounds listed ourNumber's texts so far.
func (h *heldReplies) begun() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rounds
}

func (h *heldReplies) hold(in webhookText, to string, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.texts = append(h.texts, map[string]any{"sid": in.sid, "account_sid": inboundSID, "from": in.from, "to": to,
		"body": in.body, "direction": "inbound", "status": "received", "num_media": "0",
		"date_sent": at.Format(time.RFC1123Z), "date_created": at.Format(time.RFC1123Z)})
}

func (h *heldReplies) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/2010-04-01/Accounts/"+inboundSID+"/Messages.json" {
		twilioAccount(inboundSID, inboundToken)(w, r)
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != inboundSID || p != inboundToken || r.Method != http.MethodGet {
		w.WriteHeader(401)
		return
	}
	q := r.URL.Query()
	since, err := time.Parse(time.RFC3339, q.Get("DateSent>"))
	if err != nil {
		w.WriteHeader(400)
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 20001, "message": "DateSent> " + err.Error(), "status": 400})
		return
	}
	h.mu.Lock()
	if q.Get("To") == ourNumber && q.Get("Page") == "" {
		h.rounds++
	}
	var match []map[string]any
	for i := len(h.texts) - 1; i >= 0; i-- { // newest first
		m := h.texts[i]
		at, _ := time.Parse(time.RFC1123Z, m["date_sent"].(string))
		if m["to"] == q.Get("To") && !at.Before(since) {
			match = append(match, m)
		}
	}
	h.mu.Unlock()
	const size = 2
	pageNo := 0
	if p := q.Get("Page"); p != "" {
		pageNo = int(p[0] - '0')
	}
	from := min(pageNo*size, len(match))
	to := min(from+size, len(match))
	ans := map[string]any{"messages": match[from:to], "page": pageNo, "page_size": size, "next_page_uri": nil}
	if to < len(match) {
		next := r.URL.Query()
		next.Set("Page", string(rune('0'+pageNo+1)))
		ans["next_page_uri"] = r.URL.Path + "?" + next.Encode()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ans)
}

// TestRepliesWhileDownAreCaughtUp: a textbankd serve --provider twilio is
// stopped; meanwhile contacts reply (a reply, a STOP, a text from a
// stranger) and Twilio, finding no server, holds them. At the next start
// each is stored once, in its conversation (or unroutable), and the STOP
// opts out; a reply the webhook also delivers after the start is not
// stored twice.
func TestRepliesWhileDownAreCaughtUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	repliesWhileDown(t, killDB{dir: t.TempDir()})
}

// TestPostgresRepliesWhileDownAreCaughtUp is the same on PostgreSQL.
func TestPostgresRepliesWhileDownAreCaughtUp(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	repliesWhileDown(t, killDB{dir: t.TempDir(), url: url})
}

func repliesWhileDown(t *testing.T, k killDB) {
	bin := textbankdBinary(t)
	actionID := seedKillCampaign(t, k, 10)
	replied := seedTextedThreads(t, k, actionID, 5)
	held := &heldReplies{}
	api := httptest.NewServer(http.HandlerFunc(held.serve))
	t.Cleanup(api.Close)
	args := append(k.serveArgs(), "--provider", "twilio", "--log-level", "info", "--twilio-account-sid", inboundSID,
		"--public-url", inboundURL, "--twilio-api-url", api.URL)
	env := []string{"TEXTBANK_TWILIO_AUTH_TOKEN=" + inboundToken}

	proc, _ := startServeProc(t, bin, env, &testlog.Buffer{}, args...)
	_ = proc.Process.Signal(syscall.SIGTERM)
	_ = proc.Wait()

	now := time.Now()
	texts := []webhookText{
		{sid: "SM" + strings.Repeat("a", 32), from: replied[0], body: "Yes, count me in"},
		{sid: "SM" + strings.Repeat("b", 32), from: replied[1], body: "STOP"},
		{sid: "SM" + strings.Repeat("c", 32), from: "+14155550123", body: "who is this?"},
		{sid: "SM" + strings.Repeat("d", 32), from: replied[2], body: "Maybe later"},
		{sid: "SM" + strings.Repeat("e", 32), from: replied[0], body: "And my sister too"},
	}
	posted := map[string]webhookText{}
	for i, in := range texts {
		held.hold(in, ourNumber, now.Add(time.Duration(i-len(texts))*time.Minute))
		posted[in.sid] = in
	}

	var logs testlog.Buffer
	proc, base := startServeProc(t, bin, env, &logs, args...)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "inbound catch-up") {
		if time.Now().After(deadline) {
			_ = proc.Process.Kill()
			t.Fatalf("no catch-up logged:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Twilio's own retry reaching the new server as well: stored once.
	if !postInbound(t.Context(), http.DefaultClient, base, texts[0]) {
		t.Error("the webhook refused a reply the catch-up stored")
	}
	_ = proc.Process.Signal(syscall.SIGTERM)
	_ = proc.Wait()
	line := logs.String()
	if !strings.Contains(line, `"found":5`) || !strings.Contains(line, `"new":5`) {
		t.Errorf("the catch-up's log, want found 5 and new 5:\n%s", line)
	}
	for _, in := range texts {
		if strings.Contains(line, in.body) || strings.Contains(line, in.from) {
			t.Errorf("the log shows a text's words or number (%q, %s):\n%s", in.body, in.from, line)
		}
	}
	checkInboundOnce(t, k, posted)
	db, arg, err := k.sql()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, in := range texts {
		var n int
		err := db.QueryRow(`SELECT COUNT(*) FROM messages m JOIN threads t ON t.id = m.thread_id
			WHERE m.provider_id = `+arg+` AND t.contact_phone = `+strings.Replace(arg, "1", "2", 1), in.sid, in.from).Scan(&n)
		if want := map[bool]int{true: 0, false: 1}[in.from == "+14155550123"]; err != nil || n != want {
			t.Errorf("%s (%q) in its sender's conversation %d times (%v), want %d", in.sid, in.body, n, err, want)
		}
	}
}
