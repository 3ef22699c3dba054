package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/texting"
)

// A serve on the simulated network takes texts an organizer chooses
// (textbankd sim text) over HTTP, at simTextPath, and hands them to its
// network, which delivers them to the server's receive path as it does
// its contacts' replies. Only that server knows it is simulated, and only
// its answer can say at once what became of the text, or why nothing
// did. The door is the file simDoorFile in --data, which the server
// writes at start (mode 0600) and removes at its stop: the address to
// ask and a key made at each start. Whoever may read --data may use it
// (on SQLite they may write the database anyway); the server takes the
// request only with that key, from its own machine, not through a proxy.

// simDoorFile names the door in --data while a simulated server runs.
const simDoorFile = "simnet-door.json"

// simTextPath is where the server takes a chosen text.
const simTextPath = "/simnet/text"

// simDoor is simDoorFile's content.
type simDoor struct {
	URL string `json:"url"` // http://127.0.0.1:PORT
	Key string `json:"key"`
}

// simText is a chosen text, as sim text sends it.
type simText struct {
	// ID is the provider's message id the text comes under (SM and 32 hex
	// digits, simnet.CheckID); the network makes one when it is empty. The
	// same id twice is a text the provider delivered twice.
	ID   string `json:"id,omitempty"`
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
}

// simTextAnswer is what became of a text the server stored.
type simTextAnswer struct {
	ProviderID string `json:"providerId,omitempty"`
	// Repeat: a text under this provider id was stored already, and
	// nothing new was (the rest describes that text).
	Repeat bool `json:"repeat"`
	// Conversation is the one the text joined; nil when none claimed it
	// (Unroutable) or the server could not read it back.
	Conversation *simConversation `json:"conversation,omitempty"`
	Unroutable   bool             `json:"unroutable"`
	// OptedOut: the number is opted out of the organization now (the
	// text was an opt-out word, or an earlier one stands).
	OptedOut bool `json:"optedOut"`
}

// simTextRefusal is the server's answer to a text it did not store.
type simTextRefusal struct {
	Error string `json:"error"`
}

type simConversation struct {
	Contact string `json:"contact"` // the contact's name
	Owner   string `json:"owner"`   // whose inbox it is in: name
	Email   string `json:"email"`   // and email
}

// mountSimText adds the door's handler to opts for the network sim, and
// returns the key the door must name.
func mountSimText(opts *server.RunOptions, sim *simnet.Network, st store.Store, log zerolog.Logger) string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	key := hex.EncodeToString(b[:])
	log = log.With().Str("component", "simnet").Logger()
	// Anyone who reaches the server can ask: their refusals are logged
	// after a burst only now and then.
	h := &simTextHandler{net: sim, st: st, key: key, log: log,
		refusals: log.Sample(&zerolog.BurstSampler{Burst: 20, Period: time.Minute})}
	opts.Mount = func(_ *server.Server, mux *http.ServeMux) { mux.Handle(simTextPath, h) }
	return key
}

// openSimDoor writes the door in dataDir for the server listening on
// addr; the returned func removes it. Written whole or not at all: sim
// text never reads half of it.
func openSimDoor(dataDir, addr, key string) (func(), error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	// Listening on every address (0.0.0.0, ::): asked on loopback.
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.Is6() {
			host = "::1"
		}
	}
	content, err := json.Marshal(simDoor{URL: "http://" + net.JoinHostPort(host, port), Key: key})
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, simDoorFile)
	f, err := os.CreateTemp(dataDir, "."+simDoorFile+"-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	_, err = f.Write(append(content, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("the simulated network's door: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

type simTextHandler struct {
	net *simnet.Network
	st  store.Store
	key string
	log zerolog.Logger
	// refusals logs the requests refused before the key was checked.
	refusals zerolog.Logger
}

// maxSimText bounds the request: a text of texting.MaxLength characters
// (up to 4 bytes each, escaped) and two numbers.
const maxSimText = 32 << 10

func (h *simTextHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	refuse := func(code int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(simTextRefusal{Error: msg})
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		refuse(http.StatusMethodNotAllowed, "a simulated text is sent with POST, by textbankd sim text")
		return
	}
	if !fromThisMachine(r) || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		h.refusals.Warn().Str("remote", r.RemoteAddr).Msg("simulated text refused: asked from another machine or through a proxy")
		refuse(http.StatusForbidden, "a simulated text is taken only from textbankd sim text on the server's own machine")
		return
	}
	given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(given), []byte(h.key)) != 1 {
		h.refusals.Warn().Str("remote", r.RemoteAddr).Msg("simulated text refused: not this server's key")
		refuse(http.StatusForbidden, "the key is not this server's: it makes a new one in "+simDoorFile+" at each start; nothing was stored")
		return
	}
	var in simText
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSimText))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		refuse(http.StatusBadRequest, "the request is not a simulated text: "+err.Error())
		return
	}
	// The app's and the server's rule for a text's length.
	if err := texting.CheckLength(in.Body); err != nil {
		refuse(http.StatusBadRequest, err.Error()+"; nothing was stored")
		return
	}
	id, repeat, err := h.net.Text(r.Context(), in.ID, in.From, in.To, in.Body)
	switch {
	case errors.Is(err, simnet.ErrMalformed):
		refuse(http.StatusBadRequest, strings.TrimPrefix(err.Error(), "simnet: ")+"; nothing was stored")
		return
	case errors.Is(err, sms.ErrUnknownNumber):
		refuse(http.StatusUnprocessableEntity, in.To+" is not a sending number of any campaign on this server "+
			"(textbankd numbers list names them); nothing was stored")
		return
	case errors.Is(err, simnet.ErrClosed):
		refuse(http.StatusServiceUnavailable, "the server is stopping; nothing was stored")
		return
	case err != nil:
		h.log.Error().Err(err).Msg("chosen simulated text not stored")
		refuse(http.StatusInternalServerError, "the text was not stored: the server's log says why")
		return
	}
	ans := simTextAnswer{ProviderID: id, Repeat: repeat}
	if err := h.st.View(r.Context(), func(tx store.Tx) error { return whereItWent(r.Context(), tx, id, in, &ans) }); err != nil {
		// Stored all the same: said without where it went.
		h.log.Warn().Err(err).Str("provider_id", id).Msg("chosen simulated text stored; cannot read where it went")
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ans)
}

// whereItWent reads back the conversation the text t with provider id id
// joined, or that none did (kept as unroutable), and whether its number
// is opted out now.
func whereItWent(ctx context.Context, tx store.Tx, id string, t simText, ans *simTextAnswer) error {
	m, err := tx.MessageByProviderID(ctx, id)
	var org string
	switch {
	case errors.Is(err, store.ErrNotFound):
		ans.Unroutable = true
		campaignID, err := tx.SendingNumberCampaign(ctx, t.To)
		if err != nil || campaignID == "" {
			return err
		}
		c, err := tx.CampaignByID(ctx, campaignID)
		if err != nil {
			return err
		}
		org = c.OrganizationID
	case err != nil:
		return err
	default:
		th, err := tx.ThreadByID(ctx, m.ThreadID)
		if err != nil {
			return err
		}
		owner, err := tx.UserByID(ctx, th.OwnerID)
		if err != nil {
			return err
		}
		ans.Conversation = &simConversation{Contact: th.ContactName, Owner: owner.Name, Email: owner.Email}
		org = th.OrganizationID
	}
	ans.OptedOut, err = tx.IsOptedOut(ctx, org, t.From)
	return err
}

// fromThisMachine: the request's peer is a loopback address, or the
// address it reached the server at (the machine asking itself by its
// own address).
func fromThisMachine(r *http.Request) bool {
	remote, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := remote.Addr().Unmap()
	if ip.IsLoopback() {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	l, err := netip.ParseAddrPort(local.String())
	return err == nil && l.Addr().Unmap() == ip
}
