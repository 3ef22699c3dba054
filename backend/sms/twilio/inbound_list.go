package twilio

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/textbank/textbank/backend/sms"
)

// listPageSize is Twilio's largest page of messages.
const listPageSize = 1000

// ListInbound lists the texts contacts sent to the number to that Twilio
// received at or after since (Twilio's DateSent, by Twilio's clock), at
// most pages pages of listPageSize, newest first as Twilio lists them:
// what a server that was down when Twilio posted them catches up on.
// Outbound texts (ours, on the same number) are left out, and so is a
// text without a MessageSid Twilio could have posted. A text with
// pictures has its media URLs, as the webhook's MediaUrlN name them.
// cut says that Twilio has more texts at or after since than the pages
// hold: the oldest of them are not listed (one more message is asked for
// to tell, a page more only for a number that busy).
func (p *Provider) ListInbound(ctx context.Context, to string, since time.Time, pages int) (texts []sms.Inbound, cut bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	api := p.apiWith(ctxTransport{ctx})
	params := &openapi.ListMessageParams{}
	params.SetTo(to).SetDateSentAfter(since.UTC()).SetPageSize(listPageSize).SetLimit(pages*listPageSize + 1)
	msgs, err := api.ListMessage(params)
	if err != nil {
		return nil, false, fmt.Errorf("twilio: list the texts received: %w", classify(err, p.hide))
	}
	if len(msgs) > pages*listPageSize {
		cut = !sentBefore(msgs[pages*listPageSize], since)
		msgs = msgs[:pages*listPageSize]
	}
	var out []sms.Inbound
	for _, m := range msgs {
		if m.Direction == nil || *m.Direction != "inbound" || m.Sid == nil || !messageSid.MatchString(*m.Sid) ||
			m.From == nil || m.To == nil {
			continue
		}
		in := sms.Inbound{ProviderID: *m.Sid, From: *m.From, To: *m.To}
		if m.Body != nil {
			in.Body = *m.Body
		}
		if sentBefore(m, since) {
			continue
		}
		if m.DateSent != nil {
			in.ReceivedAt, _ = time.Parse(time.RFC1123Z, *m.DateSent)
		}
		if m.NumMedia != nil && *m.NumMedia != "0" {
			if n, err := strconv.Atoi(*m.NumMedia); err == nil && n > 0 {
				if in.MediaURLs, err = p.mediaURLs(api, *m.Sid); err != nil {
					return nil, false, err
				}
			}
		}
		if in.Body == "" && len(in.MediaURLs) == 0 {
			continue // nothing to store, as the webhook refuses it
		}
		out = append(out, in)
	}
	return out, cut, nil
}

// sentBefore says a listed message is dated before since. Twilio dates to
// the second; a filter that goes by the day passes earlier texts. A date
// that cannot be read is not before.
func sentBefore(m openapi.ApiV2010Message, since time.Time) bool {
	if m.DateSent == nil {
		return false
	}
	at, err := time.Parse(time.RFC1123Z, *m.DateSent)
	return err == nil && at.Before(since.Truncate(time.Second))
}

// mediaURLs are the URLs of a text's pictures, in the form the inbound
// webhook's MediaUrlN gives them (the media resource without ".json").
func (p *Provider) mediaURLs(api *openapi.ApiService, sid string) ([]string, error) {
	params := &openapi.ListMediaParams{}
	params.SetPageSize(maxMedia).SetLimit(maxMedia)
	media, err := api.ListMedia(sid, params)
	if err != nil {
		return nil, fmt.Errorf("twilio: list a received text's pictures: %w", classify(err, p.hide))
	}
	var out []string
	for _, m := range media {
		if m.Uri != nil && *m.Uri != "" {
			out = append(out, p.base+strings.TrimSuffix(*m.Uri, ".json"))
		}
	}
	return out, nil
}
