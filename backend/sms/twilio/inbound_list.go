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
func (p *Provider) ListInbound(ctx context.Context, to string, since time.Time, pages int) ([]sms.Inbound, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	api := p.apiWith(ctxTransport{ctx})
	params := &openapi.ListMessageParams{}
	params.SetTo(to).SetDateSentAfter(since.UTC()).SetPageSize(listPageSize).SetLimit(pages * listPageSize)
	msgs, err := api.ListMessage(params)
	if err != nil {
		return nil, fmt.Errorf("twilio: list the texts received: %w", classify(err, p.hide))
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
		if m.DateSent != nil {
			if at, err := time.Parse(time.RFC1123Z, *m.DateSent); err == nil {
				// Twilio dates to the second; a filter that goes by the
				// day passes earlier texts.
				if at.Before(since.Truncate(time.Second)) {
					continue
				}
				in.ReceivedAt = at
			}
		}
		if m.NumMedia != nil && *m.NumMedia != "0" {
			if n, err := strconv.Atoi(*m.NumMedia); err == nil && n > 0 {
				if in.MediaURLs, err = p.mediaURLs(api, *m.Sid); err != nil {
					return nil, err
				}
			}
		}
		if in.Body == "" && len(in.MediaURLs) == 0 {
			continue // nothing to store, as the webhook refuses it
		}
		out = append(out, in)
	}
	return out, nil
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
