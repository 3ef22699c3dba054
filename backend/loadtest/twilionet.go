package loadtest

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// twilioNet is the phone network of a run whose servers are other
// processes (--servers): one network they all send through, as a campaign's
// servers share one Twilio account. It is a local stand-in of Twilio's
// REST API (Messages create and list, as Twilio documents them), reached by
// each `textbankd serve --provider twilio --twilio-api-url` with the real
// twilio-go client, and it delivers replies to the servers' signed
// webhooks. Its record of creates is what the checks count: a text the
// servers created twice shows here twice, whichever server did it.
type twilioNet struct {
	sid, token string
	// public is the address both servers sit behind (a reverse proxy's):
	// Twilio signs webhooks for it, and each server checks against it.
	public string
	url    string
	hs     *http.Server

	mu      sync.Mutex
	msgs    []twilioMsg
	bySID   map[string]int
	byPair  map[string][]int // from|to -> indexes into msgs
	creates map[string]int   // from|to|body -> creates
	// received are the replies, in order: Twilio keeps each whether or
	// not its webhook reached a server, and lists them (To= alone) to a
	// server catching up at start.
	received []twilioMsg
	got      map[string]bool // received's SIDs: a webhook retried is one text
}

// createLatency is how long the stand-in takes to create a message (Twilio:
// tens to hundreds of milliseconds).
const createLatency = 20 * time.Millisecond

type twilioMsg struct {
	SID, From, To, Body string
	Created             time.Time
	Inbound             bool
}

// standInPublicURL is the servers' --public-url, for which the stand-in
// signs the webhooks: nothing listens there (the stand-in posts to each
// server), but textbankd serve takes a plain http public URL only on a
// loopback address with a stand-in API (Twilio signs the https URL).
const standInPublicURL = "http://127.0.0.1"

// Account credentials of the stand-in: well-formed (textbankd checks the
// form), known to nobody but this run.
func newTwilioNet() (*twilioNet, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	n := &twilioNet{sid: "AC" + hex.EncodeToString(b[:]), public: standInPublicURL,
		bySID: map[string]int{}, got: map[string]bool{}, byPair: map[string][]int{}, creates: map[string]int{}}
	_, _ = rand.Read(b[:])
	n.token = hex.EncodeToString(b[:])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("twilio stand-in: %w", err)
	}
	n.url = "http://" + ln.Addr().String()
	n.hs = newHTTPServer(http.HandlerFunc(n.serve))
	go as(roleNetwork, func() { _ = n.hs.Serve(ln) })
	return n, nil
}

func (n *twilioNet) close() { _ = n.hs.Close() }

func (n *twilioNet) serve(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != n.sid || pass != n.token {
		twilioRefuse(w)
		return
	}
	if r.URL.Path == "/2010-04-01/Accounts/"+n.sid+".json" {
		// textbankd serve fetches its account once at start to check its
		// SID and token.
		if r.Method != http.MethodGet {
			twilioJSON(w, 405, map[string]any{"code": 20004, "message": "Method not allowed", "status": 405})
			return
		}
		twilioJSON(w, 200, twilioAccount(n.sid, n.token))
		return
	}
	if r.URL.Path != "/2010-04-01/Accounts/"+n.sid+"/Messages.json" {
		twilioJSON(w, 404, map[string]any{"code": 20404, "message": "not found", "status": 404})
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioJSON(w, 400, map[string]any{"code": 20001, "message": err.Error(), "status": 400})
		return
	}
	switch r.Method {
	case http.MethodPost:
		f := r.PostForm
		m := twilioMsg{SID: "SM" + randHex(), From: f.Get("From"), To: f.Get("To"), Body: f.Get("Body"), Created: time.Now().UTC()}
		if m.From == "" || m.To == "" || m.Body == "" {
			twilioJSON(w, 400, map[string]any{"code": 21602, "message": "From, To and Body are required", "status": 400})
			return
		}
		// Twilio takes a while to answer; a server killed meanwhile leaves
		// the text sending, not knowing whether it went out.
		time.Sleep(createLatency)
		n.mu.Lock()
		n.bySID[m.SID] = len(n.msgs)
		n.byPair[m.From+"|"+m.To] = append(n.byPair[m.From+"|"+m.To], len(n.msgs))
		n.creates[wordsKey(m.From, m.To, m.Body)]++
		n.msgs = append(n.msgs, m)
		n.mu.Unlock()
		twilioJSON(w, 201, m.wire(n.sid, "queued"))
	case http.MethodGet:
		q := r.URL.Query()
		if q.Get("From") == "" && q.Get("To") != "" {
			n.listReceived(w, r)
			return
		}
		n.mu.Lock()
		idx := n.byPair[q.Get("From")+"|"+q.Get("To")]
		out := make([]map[string]any, 0, len(idx))
		for i := len(idx) - 1; i >= 0; i-- { // newest first, as Twilio lists
			out = append(out, n.msgs[idx[i]].wire(n.sid, "sent"))
		}
		n.mu.Unlock()
		twilioJSON(w, 200, map[string]any{"messages": out, "page": 0, "page_size": 100, "next_page_uri": nil})
	default:
		twilioJSON(w, 405, map[string]any{"code": 20004, "message": "method not allowed", "status": 405})
	}
}

func (m twilioMsg) wire(account, status string) map[string]any {
	dir := "outbound-api"
	if m.Inbound {
		dir = "inbound"
	}
	return map[string]any{"sid": m.SID, "account_sid": account, "status": status, "to": m.To, "from": m.From,
		"body": m.Body, "direction": dir, "num_media": "0", "date_created": m.Created.Format(time.RFC1123Z),
		"date_sent": m.Created.Format(time.RFC1123Z)}
}

// listReceived answers List Message with To= (and DateSent>=) as Twilio
// does for a number's replies: newest first, PageSize a page (50 if not
// given, at most 1000), the next page's URI in next_page_uri.
func (n *twilioNet) listReceived(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var since time.Time
	if raw := q.Get("DateSent>"); raw != "" {
		var err error
		if since, err = time.Parse(time.RFC3339, raw); err != nil {
			twilioJSON(w, 400, map[string]any{"code": 20001, "message": "DateSent>: " + err.Error(), "status": 400})
			return
		}
	}
	size, page := 50, 0
	if v, err := strconv.Atoi(q.Get("PageSize")); err == nil && v > 0 {
		size = min(v, 1000)
	}
	if v, err := strconv.Atoi(q.Get("Page")); err == nil && v > 0 {
		page = v
	}
	n.mu.Lock()
	var match []map[string]any
	for i := len(n.received) - 1; i >= 0; i-- {
		if m := n.received[i]; m.To == q.Get("To") && !m.Created.Before(since) {
			match = append(match, m.wire(n.sid, "received"))
		}
	}
	n.mu.Unlock()
	from := min(page*size, len(match))
	to := min(from+size, len(match))
	ans := map[string]any{"messages": append([]map[string]any{}, match[from:to]...), "page": page, "page_size": size, "next_page_uri": nil}
	if to < len(match) {
		q.Set("Page", strconv.Itoa(page+1))
		ans["next_page_uri"] = r.URL.Path + "?" + q.Encode()
	}
	twilioJSON(w, 200, ans)
}

// receive keeps a reply as Twilio has it, delivered or not.
func (n *twilioNet) receive(m sms.Inbound) {
	at := m.ReceivedAt
	if at.IsZero() {
		at = time.Now()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.got[m.ProviderID] {
		return
	}
	n.got[m.ProviderID] = true
	n.received = append(n.received, twilioMsg{SID: m.ProviderID, From: m.From, To: m.To, Body: m.Body, Created: at.UTC(), Inbound: true})
}

// twilioRefuse answers a request whose SID and token do not go together
// as Twilio does: 401, error 20003, and a Basic challenge.
func twilioRefuse(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
	twilioJSON(w, 401, map[string]any{"code": 20003, "message": "Authenticate", "status": 401,
		"detail": "Your AccountSid or AuthToken was incorrect.", "more_info": "https://www.twilio.com/docs/errors/20003"})
}

// twilioAccount is an account as Twilio's Fetch Account answers it, the
// auth token included (Twilio sends it back: whoever reads the answer must
// not log it).
func twilioAccount(sid, token string) map[string]any {
	uri := "/2010-04-01/Accounts/" + sid
	return map[string]any{
		"auth_token": token, "date_created": "Thu, 30 Jul 2015 20:00:00 +0000", "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
		"friendly_name": "Textbank load test", "owner_account_sid": sid, "sid": sid, "status": "active", "type": "Full",
		"uri": uri + ".json", "subresource_uris": map[string]any{"messages": uri + "/Messages.json"},
	}
}

func twilioJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sent returns one text per contact texted so far (the replies' senders).
func (n *twilioNet) sent() []sms.Outbound {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]sms.Outbound, len(n.msgs))
	for i, m := range n.msgs {
		out[i] = sms.Outbound{From: m.From, To: m.To, Body: m.Body}
	}
	return out
}

// timesSent says how often the network created a text from, to, with body
// (texts are told apart by their words: Twilio's API carries no id of ours).
func (n *twilioNet) timesSent(from, to, body string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.creates[wordsKey(from, to, body)]
}

// issued says whether the network created a text with this sid.
func (n *twilioNet) issued(sid string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	_, ok := n.bySID[sid]
	return ok
}

// unasked counts the texts the network created whose words (from, to,
// body) are no accepted text's, as countUnasked does for a journal: each
// once as unaccepted, each copy beyond the first as duplicated as well.
func (n *twilioNet) unasked(accepted map[string]bool) (texts, copies int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for key, c := range n.creates {
		if !accepted[key] {
			texts++
			copies += c - 1
		}
	}
	return texts, copies
}

// wordsKey is how the network tells texts apart (see timesSent).
func wordsKey(from, to, body string) string { return from + "|" + to + "|" + body }

// webhooks delivers replies as Twilio does: a signed form POSTed to the
// inbound webhook. Behind a reverse proxy any live server takes it; here a
// refused connection moves on to the next server, as the proxy would.
type webhooks struct {
	net     *twilioNet
	servers []string // base URLs, live or not
	client  *http.Client
}

func (h *webhooks) Receive(ctx context.Context, m sms.Inbound) error {
	form := url.Values{"MessageSid": {m.ProviderID}, "AccountSid": {h.net.sid}, "From": {m.From}, "To": {m.To},
		"Body": {m.Body}, "NumMedia": {"0"}}
	h.net.receive(m)
	sig := twilioSignature(h.net.token, h.net.public+twilio.InboundPath, form)
	servers := h.servers
	var errs []error
	for try := range 2 * len(servers) {
		base := servers[(int(hashString(m.ProviderID))+try)%len(servers)]
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+twilio.InboundPath, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", sig)
		resp, err := h.client.Do(req)
		if err != nil {
			errs = append(errs, err) // the server is gone: the next one
			continue
		}
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return nil
		}
		errs = append(errs, fmt.Errorf("inbound webhook at %s answered %s", base, resp.Status))
		if resp.StatusCode < 500 {
			break // refused for good: retrying cannot help
		}
	}
	return fmt.Errorf("deliver reply %s: %w", m.ProviderID, errors.Join(errs...))
}

// twilioSignature is Twilio's documented webhook signature:
// base64(HMAC-SHA1(token, URL + each sorted key followed by its value)).
func twilioSignature(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func hashString(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}
