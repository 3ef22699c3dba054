package server

import (
	"context"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// NewJoinCodeResult is the campaign after NewJoinCode, as campaign list
// shows it, and the code it had.
type NewJoinCodeResult struct {
	CampaignListing
	OldJoinCode string `json:"oldJoinCode"`
}

// NewJoinCode gives the active campaign with this code a new one, drawn as
// join_code: generate draws (unusedJoinCode). A private campaign's code is
// its only secret: once it leaked, or search showed it while the campaign
// was public, nothing else kept strangers out. Members keep their access;
// the old code then joins nobody, answered as any code no campaign has (a
// stranger trying it learns nothing, and it counts against the join code
// throttle), and is never drawn again. Members' apps hear of the new code.
func (o *Organizer) NewJoinCode(ctx context.Context, code string) (NewJoinCodeResult, error) {
	var out NewJoinCodeResult
	err := o.store.Update(ctx, func(tx store.Tx) error {
		c, err := ActiveCampaign(ctx, tx, code)
		if err != nil {
			return err
		}
		fresh, err := o.unusedJoinCode(ctx, tx)
		if err != nil {
			return err
		}
		now := o.clock()
		if err := tx.SetJoinCode(ctx, c.ID, c.JoinCode, fresh, now); err != nil {
			return err
		}
		l, err := activeListing(ctx, tx, c.ID, fresh)
		if err != nil {
			return err
		}
		out = NewJoinCodeResult{CampaignListing: l, OldJoinCode: c.JoinCode}
		return feedMembers(ctx, tx, now, c.ID, api.KindCampaign, c.ID)
	})
	if err != nil {
		return NewJoinCodeResult{}, err
	}
	o.log.Info().Str("campaign", out.ID).Str("join_code", out.JoinCode).Msg("campaign given a new join code")
	return out, nil
}
