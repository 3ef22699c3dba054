package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func (t *tx) SetJoinCode(ctx context.Context, campaignID, old, code string, at time.Time) error {
	// Checked first: the unique index's error would abort the
	// transaction, where SQLite lets the caller go on.
	var taken bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM campaigns WHERE active = 1 AND join_code = ?)`, code).Scan(&taken); err != nil {
		return fmt.Errorf("give campaign %s join code %s: %w", campaignID, code, err)
	}
	if taken {
		return fmt.Errorf("give campaign %s join code %s: %w", campaignID, code, store.ErrJoinCodeTaken)
	}
	res, err := t.exec(ctx, store.SetJoinCodeSQL, code, campaignID, old)
	if err != nil {
		return fmt.Errorf("give campaign %s join code %s: %w", campaignID, code, err)
	}
	if err := mustAffect(res, "active campaign "+campaignID+" with join code "+old); err != nil {
		return err
	}
	if _, err := t.exec(ctx, store.RetireJoinCodeSQL, old, campaignID, store.TimeText(at)); err != nil {
		return fmt.Errorf("keep campaign %s's join code %s: %w", campaignID, old, err)
	}
	return nil
}

func (t *tx) CampaignByRetiredJoinCode(ctx context.Context, code string) (store.Campaign, error) {
	c, err := scanCampaign(t.queryRow(ctx, store.RetiredJoinCodeSQL(campaignCols), code))
	if err != nil {
		return store.Campaign{}, notFound(err, "campaign that had join code "+code)
	}
	return c, nil
}
