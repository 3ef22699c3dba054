package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// The read-ahead checks (store.AheadTx). InitialChecks is composed of the
// single-entity reads (on PostgreSQL a statement does not pay SQLite's page
// re-reads after every commit); RouteInbound, on the writer for every
// reply, is one statement, as on SQLite, or none when its group read the
// route ahead with the other replies' (routes.go).

func (t *tx) InitialChecks(ctx context.Context, contactID, userID, messageID string, since time.Time) (store.InitialCheck, error) {
	c, err := t.ContactByID(ctx, contactID)
	if err != nil {
		return store.InitialCheck{}, err
	}
	a, err := t.ActionByID(ctx, c.ActionID)
	if err != nil {
		return store.InitialCheck{}, err
	}
	chk, err := t.SendChecks(ctx, store.SendCheck{CampaignID: a.CampaignID, UserID: userID, Phone: c.Phone,
		MessageID: messageID, InitialSince: &since})
	if err != nil {
		return store.InitialCheck{}, err
	}
	return store.InitialCheck{Contact: c, CampaignID: a.CampaignID, Scripts: a.Scripts, Hours: a.TextingHours, SendChecks: chk}, nil
}

// routeInboundSQL is RouteThread's statement with the number's opt-out,
// the owner's block and archive of the thread read alongside, and whether
// the provider's id is stored already: at most one round trip on the
// writer for each reply instead of three (the reply's insert, then known
// not to collide, is held: see CreateMessage), none when read ahead
// (routes.go). Parameters: $1 contact phone, $2 our number, $3 the
// provider's id.
var routeInboundSQL = `SELECT ` + routeCols("$1", "$3") + `
	FROM threads th WHERE th.contact_phone = $1 AND th.sending_number = $2 AND th.last_outbound_at IS NOT NULL
	ORDER BY th.last_outbound_at DESC LIMIT 1`

// routeCols are a route's answer, read from its thread th: the thread,
// then whether phone has opted out of the organization, the owner has
// blocked it, the owner has archived the thread, and provider id pid is
// stored already, in a thread or kept as unroutable before the thread
// existed (the scan of RouteInbound and PrefetchRoutes).
func routeCols(phone, pid string) string {
	return prefixed("th.", threadCols) + `,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = th.organization_id AND o.phone = ` + phone + `),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = th.owner_id AND b.phone = ` + phone + `),
	EXISTS (SELECT 1 FROM inbox_states s WHERE s.user_id = th.owner_id AND s.thread_id = th.id AND s.archived = 1),
	EXISTS (SELECT 1 FROM messages m WHERE m.provider_id = ` + pid + `)
		OR EXISTS (SELECT 1 FROM unroutable_messages u WHERE u.provider_id = ` + pid + `)`
}

func (t *tx) RouteInbound(ctx context.Context, contactPhone, sendingNumber, providerID string) (store.InboundRoute, error) {
	r, ok := t.routeAhead(store.RouteKey{Phone: contactPhone, Number: sendingNumber, ProviderID: providerID})
	if !ok {
		row := t.q.QueryRow(ctx, routeInboundSQL, contactPhone, sendingNumber, providerID)
		th, err := scanThread(store.WrapScanner{ScanRow: row.Scan, Tail: []any{&r.OptedOut, &r.Blocked, &r.Archived, &r.Seen}})
		if err != nil {
			return store.InboundRoute{}, notFound(err, fmt.Sprintf("thread of %s texted from %s", contactPhone, sendingNumber))
		}
		r.Thread = th
	}
	if !r.Seen && providerID != "" && !t.readOnly {
		// Under the write lock nobody else can store it meanwhile.
		t.unseen = providerID
	}
	return r, nil
}
