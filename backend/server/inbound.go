package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/phone"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// errSeen stops a transaction for an inbound message already stored.
var errSeen = errors.New("inbound message already stored")

// Receive takes one inbound text (from the simulated network or, once
// verified, a provider webhook). A reply from contact C to number N joins the
// thread of the last text sent to C from N; a provider id seen before is
// ignored; a text no thread claims is kept as unroutable. An opt-out keyword
// opts the number out of the whole organization.
func (s *Server) Receive(ctx context.Context, in sms.Inbound) error {
	from := s.normalize(in.From)
	to := s.ourNumbers.normalize(in.To, s.normalize)
	at := in.ReceivedAt.UTC().Truncate(time.Microsecond)
	if in.ReceivedAt.IsZero() {
		at = s.clock()
	}
	log := s.log.With().Str("provider_id", in.ProviderID).Logger()
	in.Body = withPictureMark(in.Body, len(in.MediaURLs))
	err := s.update(ctx, func(tx store.Tx) error {
		if _, err := tx.SendingNumberCampaign(ctx, to); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("inbound text to %s: %w", to, sms.ErrUnknownNumber)
		} else if err != nil {
			return err
		}
		if in.ProviderID != "" {
			if _, err := tx.MessageByProviderID(ctx, in.ProviderID); err == nil {
				return errSeen
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		th, err := tx.RouteThread(ctx, from, to)
		if errors.Is(err, store.ErrNotFound) {
			body := in.Body
			if len(in.MediaURLs) > 0 {
				body += "\n" + strings.Join(in.MediaURLs, "\n")
			}
			err := tx.AddUnroutable(ctx, store.Unroutable{ID: uuid.NewString(), ProviderID: in.ProviderID,
				From: from, To: to, Body: body, ReceivedAt: at})
			if errors.Is(err, store.ErrDuplicate) {
				return errSeen
			}
			if err == nil {
				log.Warn().Msg("inbound text matches no thread; kept as unroutable")
			}
			return err
		}
		if err != nil {
			return err
		}
		return s.receiveInThread(ctx, tx, th, in, from, at)
	})
	if errors.Is(err, errSeen) {
		log.Debug().Msg("inbound text already stored")
		return nil
	}
	return err
}

func (s *Server) receiveInThread(ctx context.Context, tx store.Tx, th store.Thread, in sms.Inbound, from string, at time.Time) error {
	blocked, err := tx.IsBlocked(ctx, th.OwnerID, from)
	if err != nil {
		return err
	}
	wasOptedOut := th.OptedOut
	if !wasOptedOut {
		if wasOptedOut, err = tx.IsOptedOut(ctx, th.OrganizationID, from); err != nil {
			return err
		}
	}
	msg := store.Message{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirInbound, Body: in.Body,
		Status: api.StatusReceived, ProviderID: in.ProviderID, CreatedAt: at}
	if err := tx.CreateMessage(ctx, msg); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return errSeen
		}
		return err
	}
	if err := tx.AddMessageMedia(ctx, msg.ID, in.MediaURLs); err != nil {
		return err
	}
	now := s.clock()
	if wasOptedOut && optout.OptIn(in.Body) {
		// START/UNSTOP: the admins decide; nobody is texted again silently.
		if err := tx.AddOptIn(ctx, store.OptIn{ID: uuid.NewString(), OrganizationID: th.OrganizationID, Phone: from,
			MessageID: msg.ID, Body: in.Body, CreatedAt: at}); err != nil {
			return err
		}
	}
	if blocked {
		// Kept for the admins; the volunteer who blocked them sees nothing new.
		return nil
	}
	if !wasOptedOut {
		// New work: the thread counts as unread and comes back out of the archive.
		th.LastInboundAt = &at
		if at.After(th.LastMessageAt) {
			th.LastMessageAt = at
		}
		if err := tx.UpdateThread(ctx, th); err != nil {
			return err
		}
		st, err := tx.InboxState(ctx, th.OwnerID, th.ID)
		if err != nil {
			return err
		}
		if st.Archived {
			st.Archived, st.ArchivedReason = false, ""
			if err := tx.PutInboxState(ctx, st); err != nil {
				return err
			}
		}
		if optout.Match(in.Body) {
			if err := optOut(ctx, tx, th.OrganizationID, from, "keyword: "+strings.TrimSpace(in.Body), msg.ID, now); err != nil {
				return err
			}
		} else if optout.Suggest(in.Body) {
			// Softer wording: the volunteer decides (ThreadView.OptOutSuggested).
			if err := tx.MarkLikelyOptOut(ctx, msg.ID, th.ID, at); err != nil {
				return err
			}
		}
	}
	return feed(ctx, tx, now, th.OwnerID, api.KindThread, th.ID, api.KindMessage, msg.ID)
}

// pictureMark stands in the thread for a picture the app cannot show yet;
// the picture's URL is stored with the message.
const pictureMark = "[picture]"

func withPictureMark(body string, pictures int) string {
	if pictures == 0 {
		return body
	}
	marks := strings.TrimSpace(strings.Repeat(pictureMark+" ", pictures))
	if strings.TrimSpace(body) == "" {
		return marks
	}
	return body + " " + marks
}

// numberCache remembers how our own numbers normalize: every inbound
// text names one of a few sending numbers, and parsing a number costs
// as much CPU as storing the text. Bounded, since the To of an unknown
// number is whatever a caller sends.
type numberCache struct {
	mu sync.Mutex
	m  map[string]string
}

const maxNumberCache = 4096

func (c *numberCache) normalize(raw string, norm func(string) string) string {
	c.mu.Lock()
	n, ok := c.m[raw]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = norm(raw)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if len(c.m) < maxNumberCache {
		c.m[raw] = n
	}
	c.mu.Unlock()
	return n
}

// normalize puts a number in E.164 when it can; a number it cannot read is
// kept as it came, so the message is still stored (as unroutable).
func (s *Server) normalize(raw string) string {
	n, err := phone.Normalize(raw, s.region)
	if err != nil {
		return strings.TrimSpace(raw)
	}
	return n
}
