package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// TestContactsOfConversations: an admin handed a conversation by Reassign
// reads its contact (the columns its response scripts are filled from),
// which the sync feed carried only to the volunteer who texted it; the
// volunteer, who no longer owns it, and anyone for a conversation not
// theirs, get nothing; bad requests name what was wrong.
func TestContactsOfConversations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	vera, assigned, _ := texted(t, f, cf, 2)
	handed, kept := assigned[0], assigned[1]
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: handed.ContactID, ToUserID: f.admin.ID}))
	admin := f.adminClient()

	got, err := admin.Contacts(ctx, []string{handed.ContactID, kept.ContactID, cf.contacts[2].ID, "no-such-thread"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 1 {
		t.Fatalf("admin got %d contacts; want only the handed-over conversation's: %+v", len(got.Contacts), got.Contacts)
	}
	c := got.Contacts[0]
	if c.ContactID != handed.ContactID || c.FirstName != handed.FirstName || c.LastName != handed.LastName || c.Phone != handed.Phone || c.ActionID != cf.action.ID {
		t.Errorf("contact %+v; want %+v", c, handed)
	}
	got, err = vera.Contacts(ctx, []string{handed.ContactID, kept.ContactID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 1 || got.Contacts[0].ContactID != kept.ContactID {
		t.Errorf("vera got %+v; want only the conversation she kept", got.Contacts)
	}

	long := strings.Repeat("x", api.MaxID+1)
	many := make([]string, api.MaxContactsLookup+1)
	for i := range many {
		many[i] = uuid.NewString()
	}
	for _, tt := range []struct {
		name string
		ids  []string
		want string
	}{
		{"none", nil, "ids is empty"},
		{"too many", many, "at most 500"},
		{"empty id", []string{kept.ContactID, ""}, "ids[1] is not a conversation id"},
		{"overlong id", []string{long}, "ids[0] is not a conversation id"},
	} {
		_, err := vera.Contacts(ctx, tt.ids)
		ae := wantAPIError(t, err, http.StatusBadRequest, api.CodeInvalidField)
		if !strings.Contains(ae.Err.Message, tt.want) || ae.Err.Field != "ids" {
			t.Errorf("%s: %+v; want field ids and %q", tt.name, ae, tt.want)
		}
	}
}
