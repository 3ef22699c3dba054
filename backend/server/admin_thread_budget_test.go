package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// The Admin section's read of a conversation ends at the answer budget, its
// latest texts first, and says how many earlier ones it left (Earlier);
// asking before the first text it gave, page after page, brings the rest:
// the pages together are the whole conversation, each text once, in order,
// and no answer of two texts or more passes the budget. A budget smaller
// than any text still answers one a page.
func TestAdminReadEndsAtItsBudget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	for i := range 24 { // some 1.2 KB each, more escaped: < > & take six bytes
		replyFrom(t, f, a, from, fmt.Sprintf("reply %02d %s", i, strings.Repeat("<&> ", 250)))
	}
	admin := f.adminClient()
	whole, err := admin.AdminThread(ctx, cf.campaign.ID, a.ContactID)
	if err != nil || whole.Earlier != 0 || len(whole.Messages) != 25 {
		t.Fatalf("under the default budget: %d texts, earlier %d, %v; want all 25", len(whole.Messages), whole.Earlier, err)
	}
	for _, tc := range []struct{ budget, minPages int }{{12_000, 3}, {1, 25}} {
		t.Run(fmt.Sprintf("budget %d", tc.budget), func(t *testing.T) {
			f.srv.SetSyncPageBytes(tc.budget)
			t.Cleanup(func() { f.srv.SetSyncPageBytes(0) })
			page, err := admin.AdminThread(ctx, cf.campaign.ID, a.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			if page.OptOut != whole.OptOut || !reflect.DeepEqual(page.ContactDetails, whole.ContactDetails) {
				t.Errorf("the first page's contact and opt-out %+v %+v, want the whole read's", page.ContactDetails, page.OptOut)
			}
			got := page.Messages
			for pages := 1; ; pages++ {
				wantWithin(t, page, tc.budget)
				if n := len(page.Messages); n == 0 || page.Earlier != len(whole.Messages)-len(got) {
					t.Fatalf("page %d: %d texts, earlier %d, after %d of %d", pages, n, page.Earlier, len(got), len(whole.Messages))
				}
				if page.Earlier == 0 {
					if pages < tc.minPages {
						t.Errorf("%d pages, want at least %d", pages, tc.minPages)
					}
					break
				}
				if page, err = admin.EarlierTexts(ctx, cf.campaign.ID, a.ContactID, got[0].ID); err != nil {
					t.Fatal(err)
				}
				if page.OptOut != nil || page.ContactDetails != nil {
					t.Errorf("an earlier page repeats the contact or the opt-out: %+v", page)
				}
				got = append(page.Messages, got...)
			}
			if !reflect.DeepEqual(got, whole.Messages) {
				t.Errorf("the pages together:\n%v\nwant the whole conversation:\n%v", ids(got), ids(whole.Messages))
			}
		})
	}
}

// wantWithin fails unless page, of two texts or more, encodes within budget
// bytes.
func wantWithin(t *testing.T, page api.MessagesResponse, budget int) {
	t.Helper()
	raw, err := json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) > 1 && len(raw) > budget {
		t.Errorf("a page of %d texts takes %d bytes, past the budget of %d", len(page.Messages), len(raw), budget)
	}
}

func ids(msgs []api.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

// Asking for the texts before one that is no text of the conversation (none,
// another conversation's, not an id at all) is refused in words naming
// before, and the conversation reads as it did; a volunteer is refused the
// earlier texts as the rest of the Admin section, and a conversation of
// another campaign is not found.
func TestEarlierTextsRefuseABadBefore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	vera, assigned, from := texted(t, f, cf, 2)
	replyFrom(t, f, assigned[0], from, "first")
	replyFrom(t, f, assigned[1], from, "other")
	admin := f.adminClient()
	th := assigned[0].ContactID
	before, err := admin.AdminThread(ctx, cf.campaign.ID, th)
	if err != nil {
		t.Fatal(err)
	}
	other, err := admin.AdminThread(ctx, cf.campaign.ID, assigned[1].ContactID)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"empty":                         "",
		"unknown":                       "no-such-text",
		"another conversation's text":   other.Messages[1].ID,
		"the conversation's own id":     th,
		"garbage":                       "'; DROP TABLE messages; --\u00e9\t",
		"longer than any id":            strings.Repeat("m", api.MaxID+1),
		"a text id with something more": before.Messages[1].ID + " ",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := admin.EarlierTexts(ctx, cf.campaign.ID, th, bad)
			ae := wantAPIError(t, err, http.StatusBadRequest, api.CodeInvalidField)
			if ae.Err.Field != "before" || !strings.Contains(ae.Err.Message, "no text of this conversation") {
				t.Errorf("refusal %q (field %q), want words naming before", ae.Err.Message, ae.Err.Field)
			}
		})
	}
	after, err := admin.AdminThread(ctx, cf.campaign.ID, th)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("after the refusals: %+v, %v; want the conversation as it was: %+v", after, err, before)
	}
	// The first text has none before it.
	first, err := admin.EarlierTexts(ctx, cf.campaign.ID, th, before.Messages[0].ID)
	if err != nil || len(first.Messages) != 0 || first.Earlier != 0 {
		t.Errorf("before the first text: %+v, %v; want no texts and none earlier", first, err)
	}
	_, err = vera.EarlierTexts(ctx, cf.campaign.ID, th, before.Messages[1].ID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	elsewhere := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, err = admin.EarlierTexts(ctx, elsewhere.campaign.ID, th, before.Messages[1].ID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
}
