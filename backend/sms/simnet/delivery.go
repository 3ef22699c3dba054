package simnet

import (
	"errors"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

// Delivery receipts: a real provider tells the server, through a status
// callback, when the carrier delivered a text. Without them a demo's texts
// stayed "sent" for ever, and its Results said "Delivered 2 of 52" beside
// replies from most of them.

// scheduleDeliveredLocked reports text id delivered Config.Delivered from
// now, if that is positive. Close cancels the reports still waiting.
func (n *Network) scheduleDeliveredLocked(id string) {
	if n.cfg.Delivered <= 0 {
		return
	}
	n.wg.Add(1)
	var t *time.Timer
	t = time.AfterFunc(n.cfg.Delivered, func() { n.reportDelivered(id, &t) })
	n.timers[t] = struct{}{}
}

// reportDelivered hands the receipt to the receiver, if it takes status
// updates. As with deliver, exactly one of it and Close accounts for the
// report in wg.
func (n *Network) reportDelivered(id string, t **time.Timer) {
	defer n.wg.Done()
	n.mu.Lock()
	delete(n.timers, *t)
	r := n.receiver
	n.mu.Unlock()
	sr, ok := r.(sms.StatusReceiver)
	if !ok {
		return
	}
	err := sr.UpdateStatus(n.ctx, sms.StatusUpdate{ProviderID: id, Status: sms.StatusDelivered})
	switch {
	case errors.Is(err, sms.ErrUnknownMessage):
		// The server has not recorded the text's id (yet): a provider's
		// callback would be lost the same way, so the receipt is.
		n.log.Debug().Str("provider_id", id).Msg("delivery receipt for a text the server does not know")
	case err != nil:
		n.log.Error().Err(err).Str("provider_id", id).Msg("receiver rejected a delivery receipt")
	}
}
