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
	"github.com/textbank/textbank/backend/inbox"
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
// opts the number out of the whole organization, whether a thread claims
// the text or not.
func (s *Server) Receive(ctx context.Context, in sms.Inbound) error {
	_, err := s.ReceiveOnce(ctx, in)
	return err
}

// ReceiveOnce is Receive, and says whether the text repeated one already
// stored under its provider id (nothing new was stored then): the
// simulated network's chosen texts say so (textbankd sim text --id), so
// an organizer can show a text the provider delivers twice kept once.
func (s *Server) ReceiveOnce(ctx context.Context, in sms.Inbound) (repeat bool, err error) {
	in = storableInbound(in)
	from := s.normalize(in.From)
	to := s.ourNumbers.normalize(in.To, s.normalize)
	// The provider's time, as the volunteer should see it, but never
	// ahead of ours: a reply dated ahead of the server's clock would stay
	// unread after the volunteer read it (a read is never later than now)
	// and outlast the Archive they pressed after reading it.
	at := in.ReceivedAt.UTC().Truncate(time.Microsecond)
	if now := s.clock(); in.ReceivedAt.IsZero() || at.After(now) {
		at = now
	}
	log := s.log.With().Str("provider_id", in.ProviderID).Logger()
	in.Body = withPictureMark(in.Body, len(in.MediaURLs))
	err = s.updateReply(ctx, store.RouteKey{Phone: from, Number: to, ProviderID: in.ProviderID}, func(tx store.Tx) error {
		// A repeated provider id is seen by the route, which reads it
		// with the thread (an unroutable text's, by the unique index when
		// it is inserted), and a thread texted from "to" proves the
		// number is ours: the common case costs one read (on PostgreSQL
		// shared with the group's other replies: commitGroup).
		route, err := tx.RouteInbound(ctx, from, to, in.ProviderID)
		if errors.Is(err, store.ErrNotFound) {
			// The campaign whose pool has the number now is the one the
			// text reached: recorded with it, so that a campaign taking the
			// number over later does not see it (ConversationTx.UnroutableForCampaign).
			campaignID, err := tx.SendingNumberCampaign(ctx, to)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("inbound text to %s: %w", to, sms.ErrUnknownNumber)
			} else if err != nil {
				return err
			}
			body := in.Body
			if len(in.MediaURLs) > 0 {
				body += "\n" + strings.Join(in.MediaURLs, "\n")
			}
			unroutableID := newID()
			err = tx.AddUnroutable(ctx, store.Unroutable{ID: unroutableID, ProviderID: in.ProviderID,
				From: from, To: to, Body: body, ReceivedAt: at, CampaignID: campaignID})
			if errors.Is(err, store.ErrDuplicate) {
				return errSeen
			}
			if err != nil {
				return err
			}
			log.Warn().Msg("inbound text matches no thread; kept as unroutable")
			if campaignID == "" {
				return nil
			}
			tx.AdminChanged(campaignID)
			if !optout.Match(in.Body) && !optout.OptIn(in.Body) {
				return nil
			}
			c, err := tx.CampaignByID(ctx, campaignID)
			if err != nil {
				return err
			}
			if optout.OptIn(in.Body) {
				return unroutableOptIn(ctx, tx, c, from, unroutableID, in.Body, at)
			}
			// A STOP from someone not texted yet (a contact before their
			// turn, a forwarded number) still opts the number out of the
			// organization, so that nobody's batch texts them later.
			return optOut(ctx, tx, asked(c.OrganizationID, from, in.Body, "", s.clock()))
		}
		if err != nil {
			return err
		}
		if route.Seen {
			return errSeen
		}
		return s.receiveInThread(ctx, tx, route, in, from, at)
	})
	if errors.Is(err, errSeen) {
		log.Debug().Msg("inbound text already stored")
		return true, nil
	}
	return false, err
}

// unroutableOptIn records a START that reached no conversation, from a
// number the organization has opted out, as an opt-in for the campaign's
// admins to decide on, as one in a conversation is: otherwise such a
// number stayed opted out for good, since no command opts a number back
// in. Its message is the unroutable text (no conversation holds it).
func unroutableOptIn(ctx context.Context, tx store.Tx, c store.Campaign, from, unroutableID, body string, at time.Time) error {
	optedOut, err := tx.IsOptedOut(ctx, c.OrganizationID, from)
	if err != nil || !optedOut {
		return err
	}
	return tx.AddOptIn(ctx, store.OptIn{ID: newID(), OrganizationID: c.OrganizationID, CampaignID: c.ID,
		Phone: from, MessageID: unroutableID, Body: body, CreatedAt: at})
}

// receiveInThread stores an inbound text in the thread route found; the
// route read the number's opt-out, the owner's block and archive with the
// thread, so the common reply costs four statements on the writer.
func (s *Server) receiveInThread(ctx context.Context, tx store.Tx, route store.InboundRoute, in sms.Inbound, from string, at time.Time) error {
	th := route.Thread
	blocked, wasOptedOut := route.Blocked, th.OptedOut || route.OptedOut
	if !at.After(th.LastMessageAt) {
		// It reached us after everything the thread holds, whatever the
		// provider dated it (a text caught up after an outage, a provider
		// clock behind ours): dated just after, so that it is unread
		// after the replies already read, and unanswered by the texts
		// already sent. Each rule compares these times (inbox).
		at = th.LastMessageAt.Add(time.Microsecond)
	}
	// RoutedTo: the owner now, kept with the reply, since a Reassign moves
	// the thread and not who the reply came to (export messages).
	msg := store.Message{ID: newID(), ThreadID: th.ID, Direction: api.DirInbound, Body: in.Body,
		Status: api.StatusReceived, ProviderID: in.ProviderID, CreatedAt: at, RoutedTo: th.OwnerID}
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
		// Shown to the admins of the campaign whose conversation it came to.
		if err := tx.AddOptIn(ctx, store.OptIn{ID: newID(), OrganizationID: th.OrganizationID, CampaignID: th.CampaignID,
			Phone: from, MessageID: msg.ID, Body: in.Body, CreatedAt: at}); err != nil {
			return err
		}
		tx.AdminChanged(th.CampaignID)
	}
	newWork := inbox.ReplyIsNewWork(wasOptedOut, blocked)
	if !newWork && optout.Match(in.Body) {
		// Opted out already, or blocked: the keyword still counts. It renews
		// the opt-out, so a START before it can no longer lift it, and opts
		// out a blocked contact whose opt-out an admin lifted.
		if err := optOut(ctx, tx, asked(th.OrganizationID, from, in.Body, msg.ID, now)); err != nil {
			return err
		}
	}
	if blocked {
		// Kept for the admins, whose abuse report shows the last replies;
		// the volunteer who blocked them sees nothing new.
		tx.AdminChanged(th.CampaignID)
		return nil
	}
	if newWork {
		// New work: the thread counts as unread and comes back out of the
		// archive. Otherwise (an opted-out contact's START or later words)
		// the reply is only delivered: the thread's times stay as they were.
		last := th.LastMessageAt
		if at.After(last) {
			last = at
		}
		if err := tx.ThreadActivity(ctx, th.ID, last, &at, nil, nil); err != nil {
			return err
		}
		if route.Archived {
			st, err := tx.InboxState(ctx, th.OwnerID, th.ID)
			if err != nil {
				return err
			}
			st.Archived, st.ArchivedReason = false, ""
			if err := tx.PutInboxState(ctx, st); err != nil {
				return err
			}
		}
		if optout.Match(in.Body) {
			if err := optOut(ctx, tx, asked(th.OrganizationID, from, in.Body, msg.ID, now)); err != nil {
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

// newID is a server-made row id: UUIDv7, time-ordered, so that the rows
// of a busy table go in at the end of its primary key instead of on a
// random page of it (one page written per text fewer).
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
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
	if phone.NormalizesToItself(raw) {
		// What providers send: checking it against the numbering plan
		// would give it back unchanged or fail, and a failure keeps it as
		// it came too.
		return raw
	}
	n, err := phone.Normalize(raw, s.region)
	if err != nil {
		return strings.TrimSpace(raw)
	}
	return n
}
