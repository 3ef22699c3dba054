package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// The read-ahead checks (store.AheadTx), composed of the single-entity
// reads: on PostgreSQL a statement does not pay SQLite's page re-reads
// after every commit, so one statement each has not been needed yet.

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

func (t *tx) RouteInbound(ctx context.Context, contactPhone, sendingNumber string) (store.InboundRoute, error) {
	th, err := t.RouteThread(ctx, contactPhone, sendingNumber)
	if err != nil {
		return store.InboundRoute{}, err
	}
	r := store.InboundRoute{Thread: th}
	err = t.queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM opt_outs o WHERE o.organization_id = ? AND o.phone = ?),
		EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = ? AND b.phone = ?),
		EXISTS (SELECT 1 FROM inbox_states s WHERE s.user_id = ? AND s.thread_id = ? AND s.archived = 1)`,
		th.OrganizationID, contactPhone, th.OwnerID, contactPhone, th.OwnerID, th.ID).Scan(&r.OptedOut, &r.Blocked, &r.Archived)
	if err != nil {
		return store.InboundRoute{}, fmt.Errorf("route of %s to %s: %w", contactPhone, sendingNumber, err)
	}
	return r, nil
}
