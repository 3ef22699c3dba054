package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	tclient "github.com/twilio/twilio-go/client"

	"github.com/textbank/textbank/backend/sms"
)

// maxWebhookBody bounds a webhook's form: Twilio's are a few kilobytes.
const maxWebhookBody = 64 << 10

// maxMedia bounds the pictures of one text (Twilio allows 10).
const maxMedia = 10

// Webhooks serves InboundPath and StatusPath. Every request must carry a
// valid X-Twilio-Signature for PublicURL + path and its form; anything else
// is refused with 403 and changes nothing.
type Webhooks struct {
	AuthToken string
	PublicURL string // as in Config; what Twilio signs
	Receiver  sms.Receiver
	Statuses  sms.StatusReceiver
	Log       zerolog.Logger
	// StatusWait is how long a status for a text whose Twilio id is not yet
	// recorded (the callback raced the dispatcher) is retried; 3s if zero.
	StatusWait time.Duration
}

// refusalBurst is how many refusals of unsigned requests a minute the log
// tells of: anyone can send them, and a flood of them must not become a
// flood of log lines (the rest are counted by nobody but the sender).
const refusalBurst = 20

// Handler routes the two webhooks.
func (w *Webhooks) Handler() http.Handler {
	refusals := w.Log.Sample(&zerolog.BurstSampler{Burst: refusalBurst, Period: time.Minute})
	mux := http.NewServeMux()
	mux.HandleFunc(InboundPath, w.verified(refusals, w.inbound))
	mux.HandleFunc(StatusPath, w.verified(refusals, w.status))
	// A number's webhook mistyped (".../inbound/", ".../twilio/incoming")
	// loses every reply with a 404 that, at info, the log did not show.
	// Its own budget: scanners probing paths must not crowd out the
	// signature refusals an operator needs; the path is cut short, as
	// anyone may send one of 64 KB.
	misses := w.Log.Sample(&zerolog.BurstSampler{Burst: refusalBurst, Period: time.Minute})
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		misses.Warn().Str("path", shortPath(r.URL.Path)).Str("inbound_url", ShownURL(strings.TrimRight(w.PublicURL, "/")+InboundPath)).
			Msg("twilio webhook: nothing is served at this path; a number's \"A message comes in\" webhook must be the inbound URL (docs/OPERATIONS.md, section 3)")
		http.NotFound(rw, r)
	})
	return mux
}

type formHandler func(rw http.ResponseWriter, r *http.Request, form map[string]string, log zerolog.Logger)

// verified checks a request's signature before next sees it. What it
// refuses comes from anyone, so it logs through refusals (sampled); what
// next refuses was signed by Twilio and is logged in full.
func (w *Webhooks) verified(refusals zerolog.Logger, next formHandler) http.HandlerFunc {
	validator := tclient.NewRequestValidator(w.AuthToken)
	// A public URL with the proxy's basic-auth credentials in it
	// (https://user:password@host): Twilio's documentation does not say
	// whether they are part of the URL it signs, so the URL without them is
	// checked too. Either way the signature needs the auth token.
	bare := strings.TrimRight(withoutCredentials(w.PublicURL), "/")
	return func(rw http.ResponseWriter, r *http.Request) {
		log := w.Log.With().Str("webhook", r.URL.Path).Logger()
		refused := refusals.With().Str("webhook", r.URL.Path).Logger()
		if w.AuthToken == "" {
			// An empty key signs as well as any: anyone could forge a text.
			refused.Error().Msg("twilio webhook: no auth token configured; every request refused")
			http.Error(rw, "webhook not configured", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", http.MethodPost)
			http.Error(rw, "use POST", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, maxWebhookBody)
		if err := r.ParseForm(); err != nil {
			refused.Warn().Err(err).Msg("twilio webhook: unreadable form")
			http.Error(rw, "unreadable form", http.StatusBadRequest)
			return
		}
		form := make(map[string]string, len(r.PostForm))
		for k, v := range r.PostForm {
			if len(v) != 1 {
				refused.Warn().Str("param", k).Msg("twilio webhook: repeated parameter")
				http.Error(rw, "repeated parameter "+k, http.StatusBadRequest)
				return
			}
			form[k] = v[0]
		}
		signed := strings.TrimRight(w.PublicURL, "/") + r.URL.RequestURI()
		sig := r.Header.Get("X-Twilio-Signature")
		valid := sig != "" && validator.Validate(signed, form, sig)
		if !valid && sig != "" && bare != strings.TrimRight(w.PublicURL, "/") {
			valid = validator.Validate(bare+r.URL.RequestURI(), form, sig)
		}
		if !valid {
			// Only the fact is logged: the form may hold a stranger's text.
			refused.Warn().Bool("signature_present", sig != "").Str("signed_url", ShownURL(signed)).Msg("twilio webhook: signature missing or wrong; refused")
			http.Error(rw, "invalid X-Twilio-Signature", http.StatusForbidden)
			return
		}
		next(rw, r, form, log.With().Str("message_sid", form["MessageSid"]).Logger())
	}
}

// withoutCredentials is raw without a user part; raw as it is when it has
// none or cannot be read.
func withoutCredentials(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// messageSid is a message id as Twilio writes it ("SM" or "MM" and 32 hex
// digits), or a UUID as Twilio-compatible gateways do. Anything else is
// refused, signed or not: Twilio signs each name and value run together
// with nothing between them, so whoever holds one signed request can sign
// another by moving the boundary (MessageSid "SM...NumMedia0" and no
// NumMedia) and replay a text under a MessageSid never stored. Parameter
// names are not hex, so such a MessageSid never has this shape.
var messageSid = regexp.MustCompile(`^([A-Z]{2}[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)

// badSid answers a MessageSid that is not a message id.
func badSid(rw http.ResponseWriter, form map[string]string, log zerolog.Logger) bool {
	if messageSid.MatchString(form["MessageSid"]) {
		return false
	}
	log.Warn().Msg("twilio webhook: MessageSid is not a message id (a request re-cut from a signed one?); nothing changed")
	http.Error(rw, "MessageSid is not a Twilio message id", http.StatusBadRequest)
	return true
}

// shortPath is a request's path for the log, at most 200 bytes of it.
func shortPath(p string) string {
	if len(p) <= 200 {
		return p
	}
	return strings.ToValidUTF8(p[:200], "") + "..."
}

// incomingText says whether form is Twilio's incoming-message webhook
// (From, To and a Body or media, no MessageStatus), not a status callback.
func incomingText(form map[string]string) bool {
	// SmsStatus "received" is Twilio's mark of an incoming text; a
	// compatible gateway's status callback without MessageStatus but
	// with the Body echoed is not one.
	if form["MessageStatus"] != "" || form["SmsStatus"] != "received" || form["From"] == "" || form["To"] == "" {
		return false
	}
	return form["Body"] != "" || (form["NumMedia"] != "" && form["NumMedia"] != "0")
}

func missing(form map[string]string, names ...string) []string {
	var out []string
	for _, n := range names {
		if strings.TrimSpace(form[n]) == "" {
			out = append(out, n)
		}
	}
	return out
}

func (w *Webhooks) inbound(rw http.ResponseWriter, r *http.Request, form map[string]string, log zerolog.Logger) {
	if m := missing(form, "MessageSid", "From", "To"); len(m) > 0 {
		log.Warn().Strs("missing", m).Msg("twilio inbound: parameters missing; nothing stored")
		http.Error(rw, "missing "+strings.Join(m, ", "), http.StatusBadRequest)
		return
	}
	if badSid(rw, form, log) {
		return
	}
	in := sms.Inbound{ProviderID: form["MessageSid"], From: form["From"], To: form["To"], Body: form["Body"]}
	if raw := form["NumMedia"]; raw != "" && raw != "0" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > maxMedia {
			log.Warn().Str("num_media", raw).Msg("twilio inbound: bad NumMedia; nothing stored")
			http.Error(rw, "NumMedia must be 0 to 10", http.StatusBadRequest)
			return
		}
		for i := range n {
			u := form[fmt.Sprintf("MediaUrl%d", i)]
			if u == "" {
				log.Warn().Int("media", i).Msg("twilio inbound: MediaUrl missing; nothing stored")
				http.Error(rw, fmt.Sprintf("missing MediaUrl%d", i), http.StatusBadRequest)
				return
			}
			in.MediaURLs = append(in.MediaURLs, u)
		}
	}
	if in.Body == "" && len(in.MediaURLs) == 0 {
		log.Warn().Msg("twilio inbound: neither Body nor media; nothing stored")
		http.Error(rw, "missing Body", http.StatusBadRequest)
		return
	}
	err := w.Receiver.Receive(r.Context(), in)
	switch {
	case errors.Is(err, sms.ErrUnknownNumber):
		log.Warn().Str("to", in.To).Msg("twilio inbound: To is not one of our numbers; nothing stored")
		http.Error(rw, "To is not one of this server's numbers", http.StatusNotFound)
		return
	case err != nil:
		// 500 makes Twilio's fallback URL (if any) take over; the repeat
		// of a stored MessageSid is ignored, so retries are harmless.
		log.Error().Err(err).Msg("twilio inbound: store text")
		http.Error(rw, "could not store the text", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/xml")
	_, _ = rw.Write([]byte("<Response></Response>"))
}

func (w *Webhooks) status(rw http.ResponseWriter, r *http.Request, form map[string]string, log zerolog.Logger) {
	if incomingText(form) {
		// A number whose "A message comes in" webhook is the status URL:
		// refused, every reply to it would be lost (Twilio does not send
		// it again). Signed by Twilio all the same, so it is stored.
		log.Warn().Str("inbound_url", ShownURL(strings.TrimRight(w.PublicURL, "/")+InboundPath)).
			Msg("twilio status: an incoming text came to the status callback URL; stored as a reply, but set the number's \"A message comes in\" webhook to the inbound URL (docs/OPERATIONS.md, section 3)")
		w.inbound(rw, r, form, log)
		return
	}
	if m := missing(form, "MessageSid", "MessageStatus"); len(m) > 0 {
		log.Warn().Strs("missing", m).Msg("twilio status: parameters missing; nothing changed")
		http.Error(rw, "missing "+strings.Join(m, ", "), http.StatusBadRequest)
		return
	}
	if badSid(rw, form, log) {
		return
	}
	st, ok := mapStatus(form["MessageStatus"])
	if !ok {
		// accepted, queued, sending: steps we already know of.
		rw.WriteHeader(http.StatusNoContent)
		return
	}
	u := sms.StatusUpdate{ProviderID: form["MessageSid"], Status: st, ErrorCode: form["ErrorCode"], ErrorMessage: form["ErrorMessage"]}
	if u.ErrorCode != "" && u.ErrorMessage == "" {
		u.ErrorMessage = "see https://www.twilio.com/docs/api/errors/" + u.ErrorCode
	}
	wait := w.StatusWait
	if wait <= 0 {
		wait = 3 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		err := w.Statuses.UpdateStatus(r.Context(), u)
		if err == nil {
			rw.WriteHeader(http.StatusNoContent)
			return
		}
		if !errors.Is(err, sms.ErrUnknownMessage) {
			log.Error().Err(err).Msg("twilio status: record")
			http.Error(rw, "could not record the status", http.StatusInternalServerError)
			return
		}
		if time.Now().After(deadline) {
			log.Warn().Str("status", st).Msg("twilio status: no text of ours has this MessageSid; nothing changed")
			http.Error(rw, "unknown MessageSid", http.StatusNotFound)
			return
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
}
