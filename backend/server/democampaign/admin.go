package democampaign

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/server/store"
)

// strangerText is a text to the demo's first number from someone nobody in
// the campaign texted: no conversation claims it, so the organizer finds it
// under Unroutable texts (as Twilio delivers such texts to any number).
// It runs to several lines, as such texts do; the Admin section's row shows
// its start and its details the whole of it.
const strangerText = "Hi, I found this number on a flyer at the library. Is this the Demo for Democracy office?\n" +
	"I'd like to help on weekends but I don't have a car. Can someone call me back after 6?"

// StrangerPhone is who sent strangerText.
const StrangerPhone = "+13125550199"

// seedUnroutable keeps strangerText as the server keeps any unroutable text:
// with the campaign whose pool held the number when it came, whose admins
// alone see it.
func seedUnroutable(ctx context.Context, tx store.Tx, campaignID string, now time.Time) error {
	return tx.AddUnroutable(ctx, store.Unroutable{ID: uuid.NewString(), From: StrangerPhone, To: SendingNumbers()[0],
		Body: strangerText, ReceivedAt: now.Add(-40 * time.Minute), CampaignID: campaignID})
}
