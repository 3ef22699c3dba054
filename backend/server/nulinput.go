package server

import (
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/sms"
)

// Where U+0000 is stopped on its way in (backend/nulchar says why):
// request bodies in decode, path values and query parameters in
// refuseNULInURL (every route passes through it), a push's mutations one
// by one in refuseNULMutations (a refusal is that mutation's result, so
// the app's outbox moves on past it), and what a provider sends in
// storableInbound, storableStatus and record (replaced, never refused).

// nulField is the answer to a request field holding a NUL: field is its
// top-level name (what an app can point at), the message its whole path.
func nulField(path string) *httpError {
	field, _, _ := strings.Cut(path, ".")
	field, _, _ = strings.Cut(field, "[")
	return badField(field, "%s %s", path, nulchar.Refusal)
}

// wildcard finds the {name} segments of a route's pattern.
var wildcard = regexp.MustCompile(`\{([A-Za-z]+)(?:\.\.\.)?\}`)

// refuseNULInURL answers 400 for a request whose path values or query
// parameters hold a NUL (sent as %00), or bytes that are not UTF-8 text
// (%ff), before h reads them: every store lookup by such an id or search
// would fail on PostgreSQL (SQLSTATE 22021 for the second), a 500 and an
// error in the log that anyone could cause at will.
func refuseNULInURL(pattern string, h http.HandlerFunc) http.HandlerFunc {
	var names []string
	for _, m := range wildcard.FindAllStringSubmatch(pattern, -1) {
		names = append(names, m[1])
	}
	return func(w http.ResponseWriter, r *http.Request) {
		for _, n := range names {
			if err := urlText(n, r.PathValue(n), "%s in the path"); err != nil {
				writeError(w, err)
				return
			}
		}
		// Neither can come but percent-encoded (Go refuses a raw NUL in
		// the request line, and a URL is ASCII), so a query without a %
		// is passed at a glance.
		if strings.Contains(r.URL.RawQuery, "%") {
			for k, vs := range r.URL.Query() {
				if err := urlText("", k, "the name of a query parameter"); err != nil {
					writeError(w, err)
					return
				}
				for _, v := range vs {
					if err := urlText(k, v, "%s"); err != nil {
						writeError(w, err)
						return
					}
				}
			}
		}
		h(w, r)
	}
}

// urlText refuses a value of the URL (field: its name, "" for a name
// itself; what: how the message names it, with %s for field) holding a
// NUL or bytes that are no UTF-8 text.
func urlText(field, v, what string) *httpError {
	what = strings.Replace(what, "%s", field, 1)
	if nulchar.In(v) {
		return badField(field, "%s %s", what, nulchar.Refusal)
	}
	if !utf8.ValidString(v) {
		return badField(field, "%s is not valid UTF-8 text", what)
	}
	return nil
}

// refuseNULMutations answers, for each mutation of a push holding a NUL,
// its rejection (not stored: nothing of it can be), and gives the push
// with those mutations blanked for the checks made before the writer
// (planInitials), which would look their ids up. refused is nil when the
// push holds no NUL, and clean is then ms itself.
func refuseNULMutations(ms []api.Mutation) (refused []*api.MutationResult, clean []api.Mutation) {
	clean = ms
	for i, m := range ms {
		path, ok := nulchar.Path(m)
		if !ok {
			continue
		}
		if refused == nil {
			refused = make([]*api.MutationResult, len(ms))
			clean = append([]api.Mutation(nil), ms...)
		}
		r := rejected(m.ID, api.RejectInvalid, "%s %s", path, nulchar.Refusal)
		refused[i] = &r
		clean[i] = api.Mutation{}
	}
	return refused, clean
}

// storableInbound is in with each NUL replaced: a contact's reply is kept
// whatever it holds.
func storableInbound(in sms.Inbound) sms.Inbound {
	in.ProviderID, in.From, in.To, in.Body = nulchar.Replace(in.ProviderID), nulchar.Replace(in.From), nulchar.Replace(in.To), nulchar.Replace(in.Body)
	if len(in.MediaURLs) > 0 {
		urls := make([]string, len(in.MediaURLs))
		for i, u := range in.MediaURLs {
			urls[i] = nulchar.Replace(u)
		}
		in.MediaURLs = urls
	}
	return in
}

// storableStatus is u with each NUL replaced, as storableInbound.
func storableStatus(u sms.StatusUpdate) sms.StatusUpdate {
	u.ProviderID, u.ErrorCode, u.ErrorMessage = nulchar.Replace(u.ProviderID), nulchar.Replace(u.ErrorCode), nulchar.Replace(u.ErrorMessage)
	return u
}
