package server

import (
	"context"
	"sync"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Texts stranded while the server runs. A text becomes sending, claimed by
// this server, in a commit: a send's that handed it over, a claim's, a
// recovery's. If such a commit fails on its way back (the connection to
// PostgreSQL lost after COMMIT was sent), the server cannot know it took
// effect; the text is then sending with no worker to send it. Likewise
// when a call's answer is still unrecorded after recordOutcomes' tries:
// the text went out and still reads sending. Only a restart would look
// such texts up, so every such failure marks the dispatcher's texts
// stranded, and its claim loop pages through this server's sending texts
// (store.Outbox.OwnSending) and settles, as a restart would (settle: looked
// up at the provider, then recorded sent, queued again or unknown), every
// one it does not have in hand.
//
// ownTexts is what the server has in hand: every text a worker, the
// recorder or a settling has, or a commit under way may hand to them. A
// text enters before the commit that could make it sending ends (a send's
// hand-over, a recovery's list) or, for a claim, before the claim loop,
// which alone claims and alone looks for stranded texts, looks again; it
// leaves once its outcome is recorded or its commit has failed. So a text
// this server has sending and not in hand has nobody sending it. Each
// holder counts: a settling that queued a text again lets go of it after
// its commit, by which time the next claim may hold it already.
type ownTexts struct {
	mu       sync.Mutex
	ids      map[string]int // holders
	stranded bool
}

func (o *ownTexts) take(outs []store.Outgoing) {
	if len(outs) == 0 {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ids == nil {
		o.ids = map[string]int{}
	}
	for _, t := range outs {
		o.ids[t.ID]++
	}
}

// drop lets go of outs, each taken once; failed says the commit that
// settled them (or would have made them sending) failed, so some may be
// sending with nobody on them.
func (o *ownTexts) drop(outs []store.Outgoing, failed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, t := range outs {
		if n := o.ids[t.ID]; n > 1 {
			o.ids[t.ID] = n - 1
		} else {
			delete(o.ids, t.ID)
		}
	}
	o.stranded = o.stranded || failed
}

// strand says a commit that may have made texts sending failed, texts
// unknown (a claim's).
func (o *ownTexts) strand() {
	o.mu.Lock()
	o.stranded = true
	o.mu.Unlock()
}

// lookNow reports, and clears, whether texts may be stranded.
func (o *ownTexts) lookNow() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.stranded
	o.stranded = false
	return s
}

// notInHand keeps the texts of list not in hand, and takes them.
func (o *ownTexts) notInHand(list []store.Outgoing) []store.Outgoing {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ids == nil {
		o.ids = map[string]int{}
	}
	var out []store.Outgoing
	for _, t := range list {
		if o.ids[t.ID] == 0 {
			o.ids[t.ID] = 1
			out = append(out, t)
		}
	}
	return out
}

// strandedPage is how many of this server's sending texts one read lists.
const strandedPage = 200

// takeOwnNotInHand reads this server's sending texts page by page and
// takes those not in hand: what it took, with the error that stopped it.
func (s *Server) takeOwnNotInHand(ctx context.Context) ([]store.Outgoing, error) {
	var taken []store.Outgoing
	after := store.SendingCursor{}
	for {
		var page []store.Outgoing
		err := s.store.View(ctx, func(tx store.Tx) (err error) {
			page, err = tx.OwnSending(ctx, after, strandedPage)
			return err
		})
		if err != nil {
			return taken, err
		}
		taken = append(taken, s.own.notInHand(page)...)
		if len(page) < strandedPage {
			return taken, nil
		}
		last := page[len(page)-1]
		after = store.SendingCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
}

// takeStranded is called by the claim loop (never during a claim) when a
// failure may have stranded texts: it lists this server's sending texts
// page by page and takes those not in hand that still read sending after.
// Its own reads failing (the database still away), it marks them stranded
// again, for the loop's next turn.
func (s *Server) takeStranded(ctx context.Context) []store.Outgoing {
	stranded, err := s.takeOwnNotInHand(ctx)
	if err != nil {
		s.log.Error().Err(err).Msg("dispatcher: look for texts a failed commit left sending")
		s.own.drop(stranded, true)
		return nil
	}
	if len(stranded) == 0 {
		return nil
	}
	// A text whose answer was recorded, and which was let go, while the
	// pages were read still showed sending in them: only a read begun
	// after it was let go tells. Settling it again could mark a text
	// sent unknown, or send it twice should the provider not list it yet.
	var still, gone []store.Outgoing
	err = s.store.View(ctx, func(tx store.Tx) error {
		still, gone = still[:0], gone[:0]
		for i := 0; i < len(stranded); i += strandedPage {
			part := stranded[i:min(i+strandedPage, len(stranded))]
			ids := make([]string, len(part))
			for j, o := range part {
				ids[j] = o.ID
			}
			now, err := tx.MessagesByIDs(ctx, ids)
			if err != nil {
				return err
			}
			for _, o := range part {
				if now[o.ID].Status == api.StatusSending {
					still = append(still, o)
				} else {
					gone = append(gone, o)
				}
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error().Err(err).Msg("dispatcher: read again the texts a failed commit left sending")
		s.own.drop(stranded, true)
		return nil
	}
	s.own.drop(gone, false)
	return still
}

// settleStranded settles texts takeStranded took, as a restart settles
// those a crash left (each looked up at the provider first), a page at a
// time, until stop ends (the rest stay sending, for the next start).
func (s *Server) settleStranded(stop, ctx context.Context, stranded []store.Outgoing) {
	s.log.Warn().Int("texts", len(stranded)).Msg("dispatcher: texts a failed commit left sending; looking them up")
	s.settlePages(stop, ctx, stranded)
}

// settlePages settles texts in hand a page at a time, until stop ends (the
// rest are let go, still sending, for the next start).
func (s *Server) settlePages(stop, ctx context.Context, texts []store.Outgoing) {
	for len(texts) > 0 {
		page := texts[:min(len(texts), strandedPage)]
		texts = texts[len(page):]
		if !s.settle(stop, ctx, page) {
			s.own.drop(texts, false)
			return
		}
	}
}
