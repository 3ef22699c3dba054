package api

import (
	"net/url"
	"strings"
)

// The HTTP API's paths, the one home of each: the server registers them as
// net/http's ServeMux patterns (a {name} is an id in the path) and Client
// calls them with the ids filled in (pathOf). Each route's method is the
// server's route table's and the Client call's; TestClientCallsEveryRoute
// (backend/server) checks that the two sides agree.
const (
	PathSignup          = "/api/v1/signup"
	PathLogin           = "/api/v1/login"
	PathLogout          = "/api/v1/logout"
	PathMe              = "/api/v1/me"
	PathPassword        = "/api/v1/me/password"
	PathCampaigns       = "/api/v1/campaigns"
	PathJoin            = "/api/v1/campaigns/join"
	PathBatches         = "/api/v1/actions/{id}/batches"
	PathRelease         = "/api/v1/actions/{id}/release"
	PathReassignTargets = "/api/v1/actions/{id}/reassign-targets"
	PathSync            = "/api/v1/sync"
	PathContacts        = "/api/v1/contacts"
	PathMutations       = "/api/v1/mutations"
	PathEvents          = "/api/v1/events"
	PathHealth          = "/healthz"

	// The Admin section's (admins of the campaign only).
	PathAdmin                 = "/api/v1/campaigns/{id}/admin"
	PathAdminThread           = "/api/v1/campaigns/{id}/admin/threads/{threadId}"
	PathAdminResults          = "/api/v1/campaigns/{id}/admin/results"
	PathUnroutableHandled     = "/api/v1/campaigns/{id}/admin/unroutable/handled"
	PathUnroutableTextHandled = "/api/v1/campaigns/{id}/admin/unroutable/{textId}/handled"
	PathAbuseReportsReviewed  = "/api/v1/campaigns/{id}/admin/abuse-reports/reviewed"
	PathAbuseReportReviewed   = "/api/v1/campaigns/{id}/admin/abuse-reports/{reportId}/reviewed"
	PathOptInsReviewed        = "/api/v1/campaigns/{id}/admin/opt-ins/reviewed"
	PathOptInReviewed         = "/api/v1/campaigns/{id}/admin/opt-ins/{optInId}/reviewed"
	PathOptBackIn             = "/api/v1/campaigns/{id}/admin/opt-ins/{optInId}/opt-back-in"
	PathUndoOptOut            = "/api/v1/campaigns/{id}/admin/threads/{threadId}/undo-opt-out"
	PathAdminOptOuts          = "/api/v1/campaigns/{id}/admin/opt-outs"
)

// pathOf is pattern with its {name} segments filled with ids, in order,
// each escaped. A pattern given too few or too many ids is a mistake in
// this package, which every call of Client in the route test would show.
func pathOf(pattern string, ids ...string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		if len(ids) == 0 {
			panic("api: too few ids for " + pattern)
		}
		segs[i], ids = url.PathEscape(ids[0]), ids[1:]
	}
	if len(ids) > 0 {
		panic("api: too many ids for " + pattern)
	}
	return strings.Join(segs, "/")
}
