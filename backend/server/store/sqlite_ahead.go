package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// cols spells a column list read through a table alias.
func cols(list, alias string) string {
	return alias + "." + strings.Join(strings.Fields(strings.ReplaceAll(list, ",", " ")), ", "+alias+".")
}

// initialChecksSQL is sendChecksSQL for the contact's own number and
// campaign, with the contact and its action read in the same statement;
// every part an index lookup (TestHotStatementsUseIndexes). Parameters:
// ?1 contact, ?2 user, ?3 message id, ?4 since.
var initialChecksSQL = `SELECT ` + cols(contactCols, "c") + `, a.campaign_id, a.scripts, a.hours_start, a.hours_end,
	camp.organization_id, camp.name,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = camp.organization_id AND o.phone = c.phone),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = ?2 AND b.phone = c.phone),
	EXISTS (SELECT 1 FROM threads th WHERE th.contact_phone = c.phone AND th.organization_id = camp.organization_id
		AND (SELECT MAX(m.created_at) FROM messages m WHERE m.thread_id = th.id AND m.initial = 1) >= ?4),
	COALESCE((SELECT n.phone FROM number_assignments n WHERE n.campaign_id = camp.id AND n.user_id = ?2), ''),
	EXISTS (SELECT 1 FROM messages m WHERE m.id = ?3)
	FROM contacts c JOIN actions a ON a.id = c.action_id JOIN campaigns camp ON camp.id = a.campaign_id
	WHERE c.id = ?1`

func (t *sqliteTx) InitialChecks(ctx context.Context, contactID, userID, messageID string, since time.Time) (InitialCheck, error) {
	var ic InitialCheck
	var scripts string
	var opted, blocked, recent, taken int
	row := t.tx.QueryRowContext(ctx, initialChecksSQL, contactID, userID, messageID, TimeText(since))
	c, err := scanContact(WrapScanner{row.Scan, nil, []any{&ic.CampaignID, &scripts, &ic.Hours.Start, &ic.Hours.End,
		&ic.OrganizationID, &ic.CampaignName, &opted, &blocked, &recent, &ic.Number, &taken}})
	if err != nil {
		return InitialCheck{}, notFound(err, "checks of a first text to contact "+contactID)
	}
	if err := json.Unmarshal([]byte(scripts), &ic.Scripts); err != nil {
		return InitialCheck{}, fmt.Errorf("stored scripts of action %s: %w", c.ActionID, err)
	}
	ic.Contact = c
	ic.OptedOut, ic.Blocked, ic.RecentInitial, ic.MessageIDTaken = opted == 1, blocked == 1, recent == 1, taken == 1
	return ic, nil
}

// routeInboundSQL is RouteThread's statement with the opt-out, the
// owner's block and archive of the thread read alongside, each an index
// lookup (TestHotStatementsUseIndexes), and whether the provider's id is
// stored already (in a thread, or kept as unroutable before the thread
// that now claims it existed: a provider's repeat of it is not news). Parameters: ?1 contact phone, ?2 our number, ?3 the
// provider's id.
var routeInboundSQL = `SELECT ` + cols(threadCols, "th") + `,
	EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = th.organization_id AND o.phone = ?1),
	EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = th.owner_id AND b.phone = ?1),
	EXISTS (SELECT 1 FROM inbox_states s WHERE s.user_id = th.owner_id AND s.thread_id = th.id AND s.archived = 1),
	EXISTS (SELECT 1 FROM messages m WHERE m.provider_id = ?3) OR EXISTS (SELECT 1 FROM unroutable_messages u WHERE u.provider_id = ?3)
	FROM threads th WHERE th.contact_phone = ?1 AND th.sending_number = ?2 AND th.last_outbound_at IS NOT NULL
	ORDER BY th.last_outbound_at DESC LIMIT 1`

func (t *sqliteTx) RouteInbound(ctx context.Context, contactPhone, sendingNumber, providerID string) (InboundRoute, error) {
	var r InboundRoute
	var opted, blocked, archived, seen int
	row := t.tx.QueryRowContext(ctx, routeInboundSQL, contactPhone, sendingNumber, providerID)
	th, err := scanThread(WrapScanner{row.Scan, nil, []any{&opted, &blocked, &archived, &seen}})
	if err != nil {
		return InboundRoute{}, notFound(err, fmt.Sprintf("thread of %s texted from %s", contactPhone, sendingNumber))
	}
	r.Thread, r.OptedOut, r.Blocked, r.Archived, r.Seen = th, opted == 1, blocked == 1, archived == 1, seen == 1
	return r, nil
}
