package store

import (
	"context"
	"fmt"
	"time"
)

func (t *sqliteTx) SetJoinCode(ctx context.Context, campaignID, old, code string, at time.Time) error {
	res, err := t.tx.ExecContext(ctx, SetJoinCodeSQL, code, campaignID, old)
	if isUnique(err) {
		return fmt.Errorf("give campaign %s join code %s: %w", campaignID, code, ErrJoinCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("give campaign %s join code %s: %w", campaignID, code, err)
	}
	if err := mustAffect(res, "active campaign "+campaignID+" with join code "+old); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, RetireJoinCodeSQL, old, campaignID, TimeText(at)); err != nil {
		return fmt.Errorf("keep campaign %s's join code %s: %w", campaignID, old, err)
	}
	return nil
}

func (t *sqliteTx) CampaignByRetiredJoinCode(ctx context.Context, code string) (Campaign, error) {
	c, err := scanCampaign(t.tx.QueryRowContext(ctx, RetiredJoinCodeSQL(campaignCols), code))
	if err != nil {
		return Campaign{}, notFound(err, "campaign that had join code "+code)
	}
	return c, nil
}
