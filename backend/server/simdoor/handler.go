package simdoor

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/texting"
)

// NewHandler is the door's handler for Path, handing texts to the
// network sim, and the key a door must name to be taken (made here, at
// each start).
func NewHandler(sim *simnet.Network, st store.Store, log zerolog.Logger) (http.Handler, string) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	key := hex.EncodeToString(b[:])
	log = log.With().Str("component", "simnet").Logger()
	// Anyone who reaches the server can ask: their refusals are logged
	// after a burst only now and then.
	return &handler{net: sim, st: st, key: key, log: log,
		refusals: log.Sample(&zerolog.BurstSampler{Burst: 20, Period: time.Minute})}, key
}

type handler struct {
	net *simnet.Network
	st  store.Store
	key string
	log zerolog.Logger
	// refusals logs the requests refused before the key was checked.
	refusals zerolog.Logger
}

// maxText bounds the request: a text of texting.MaxLength characters
// (up to 4 bytes each, escaped) and two numbers.
const maxText = 32 << 10

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	refuse := func(code int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(Refusal{Error: msg})
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
		refuse(http.StatusForbidden, "the key is not this server's: it makes a new one in "+File+" at each start; nothing was stored")
		return
	}
	var in Text
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxText))
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
	ans := Answer{ProviderID: id, Repeat: repeat}
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
func whereItWent(ctx context.Context, tx store.Tx, id string, t Text, ans *Answer) error {
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
		ans.Conversation = &Conversation{Contact: th.ContactName, Owner: owner.Name, Email: owner.Email}
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
