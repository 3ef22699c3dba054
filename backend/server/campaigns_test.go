package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server/store"
)

func TestJoin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pub := f.campaign(campaignOpts{name: "Open Doors", code: "123456", numbers: 2, contacts: 1})
	priv := f.campaign(campaignOpts{name: "Quiet Room", code: "654321", private: true})
	c, _ := f.user("joiner")

	tests := []struct {
		name    string
		req     api.JoinRequest
		status  int
		code    string
		message string
	}{
		{"code with spaces around", api.JoinRequest{Code: " 123456 "}, 200, "", ""},
		{"same code again", api.JoinRequest{Code: "123456"}, 200, "", ""},
		{"private by code", api.JoinRequest{Code: "654321"}, 200, "", ""},
		{"five digits", api.JoinRequest{Code: "12345"}, 400, api.CodeInvalidJoinCode, "6 digits"},
		{"seven digits", api.JoinRequest{Code: "1234567"}, 400, api.CodeInvalidJoinCode, "6 digits"},
		{"letters", api.JoinRequest{Code: "12a456"}, 400, api.CodeInvalidJoinCode, "6 digits"},
		{"unicode digits", api.JoinRequest{Code: "١٢٣٤٥٦"}, 400, api.CodeInvalidJoinCode, "6 digits"},
		{"nothing", api.JoinRequest{}, 400, api.CodeInvalidJoinCode, "join code"},
		{"unknown code", api.JoinRequest{Code: "999999"}, 404, api.CodeCampaignUnknown, "No active campaign has join code 999999. Check the code with your organizer, or search for the campaign by name"},
		{"public by id", api.JoinRequest{CampaignID: pub.campaign.ID}, 200, "", ""},
		{"unknown id", api.JoinRequest{CampaignID: "no-such-id"}, 404, api.CodeCampaignUnknown, "no-such-id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.raw("POST", "/api/v1/campaigns/join", f.token(c), tc.req)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", status, tc.status, body)
			}
			if tc.code != "" && (!strings.Contains(string(body), `"code":"`+tc.code+`"`) || !strings.Contains(string(body), tc.message)) {
				t.Fatalf("body = %s, want code %s and message with %q", body, tc.code, tc.message)
			}
		})
	}

	t.Run("private by id is not found for a stranger", func(t *testing.T) {
		stranger, _ := f.user("stranger")
		_, err := stranger.JoinByID(ctx, priv.campaign.ID)
		wantAPIError(t, err, 404, api.CodeCampaignUnknown)
	})

	t.Run("join carries campaign and action into sync", func(t *testing.T) {
		state := syncState{}
		syncAll(t, c, state, 0, 0)
		ch, ok := state[key(api.KindCampaign, pub.campaign.ID)]
		if !ok {
			t.Fatalf("campaign not in sync: %v", state)
		}
		// The app needs the organization to show an opt-out filed offline
		// on the number's threads of its other campaigns.
		var camp api.Campaign
		mustJSON(t, ch.Data, &camp)
		if camp.OrganizationID != f.org.ID || camp.Role != "volunteer" {
			t.Fatalf("campaign in sync = %+v, want organization %s and role volunteer", camp, f.org.ID)
		}
		var a api.Action
		mustJSON(t, state[key(api.KindAction, pub.action.ID)].Data, &a)
		if a.Title != pub.action.Title || a.SendingNumber == "" {
			t.Fatalf("action = %+v, want title and a sending number", a)
		}
	})

	t.Run("numbers are shared evenly", func(t *testing.T) {
		// Open Doors has 2 numbers and one volunteer so far; three more join.
		for _, n := range []string{"second", "third", "fourth"} {
			f.member(n, pub)
		}
		f.view(func(tx store.Tx) error {
			nums, err := tx.ListSendingNumbers(ctx, pub.campaign.ID)
			if err != nil {
				return err
			}
			if len(nums) != 2 || nums[0].Volunteers != 2 || nums[1].Volunteers != 2 {
				t.Fatalf("numbers = %+v, want 2 volunteers on each of 2", nums)
			}
			return nil
		})
	})

	// Text Again then hands out nothing (TestTextAgainNeedsSendingNumbers).
	t.Run("a campaign without numbers still joins, Text Again says no number", func(t *testing.T) {
		bare := f.campaign(campaignOpts{name: "No Numbers", contacts: 1})
		late, _ := f.member("late", bare)
		_, err := late.Batch(ctx, bare.action.ID)
		wantAPIError(t, err, http.StatusConflict, api.CodeNoNumber)
	})
}

func TestSearchCampaigns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.campaign(campaignOpts{name: "Demo for Democracy", issue: "Voter turnout", code: "111111"})
	f.campaign(campaignOpts{name: "Clean Water Now", issue: "Environment", code: "222222"})
	secret := f.campaign(campaignOpts{name: "Secret Democracy Club", issue: "Voter turnout", code: "333333", private: true})
	c, _ := f.user("searcher")

	tests := []struct {
		name     string
		q        string
		want     []string
		wantCode map[string]string
	}{
		// A public campaign's code is not shown to a stranger either: joining by it would go past search_joins_per_hour.
		{"name substring any case", "DEMOCRACY", []string{"Demo for Democracy"}, map[string]string{"Demo for Democracy": ""}},
		{"issue substring", "environ", []string{"Clean Water Now"}, nil},
		{"exact code of private campaign", "333333", []string{"Secret Democracy Club"}, map[string]string{"Secret Democracy Club": "333333"}},
		{"partial code finds nothing", "3333", nil, nil},
		{"no match", "zebra", nil, nil},
		{"like wildcards are literal", "%", nil, nil},
		{"underscore is literal", "_", nil, nil},
		{"backslash is literal", `\`, nil, nil},
		{"an accent alone finds nothing", "\u0301", nil, nil},
		{"accents folded", "DÉMOCRACY", []string{"Demo for Democracy"}, nil},
		{"empty query lists public", "", []string{"Clean Water Now", "Demo for Democracy"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.SearchCampaigns(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, cp := range got {
				names = append(names, cp.Name)
				if want, ok := tc.wantCode[cp.Name]; ok && cp.JoinCode != want {
					t.Errorf("%s join code = %q, want %q", cp.Name, cp.JoinCode, want)
				}
				if !cp.Public && cp.JoinCode != "" && tc.q != cp.JoinCode {
					t.Errorf("private %s leaked its code", cp.Name)
				}
				if cp.OrganizationID != "" {
					t.Errorf("%s shows its organization to a stranger", cp.Name)
				}
			}
			slices.Sort(names)
			if !slices.Equal(names, tc.want) {
				t.Fatalf("names = %v, want %v", names, tc.want)
			}
		})
	}

	t.Run("member sees role and own private campaign", func(t *testing.T) {
		if _, err := c.Join(ctx, "333333"); err != nil {
			t.Fatal(err)
		}
		got, err := c.SearchCampaigns(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(got, func(cp api.Campaign) bool { return cp.ID == secret.campaign.ID })
		if i < 0 || got[i].Role != "volunteer" || got[i].JoinCode != "333333" {
			t.Fatalf("campaigns = %+v, want the secret one with role volunteer", got)
		}
	})
}

// TestSearchForAWholeLongNameInAnyScript: a campaign's name may be 200
// characters (campaignfile.MaxName), and a search for all of it finds it
// in any script: the limit counted bytes, so a Cherokee name of 70
// characters (three bytes each) was refused. One more character is
// refused, naming the count.
func TestSearchForAWholeLongNameInAnyScript(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	name := strings.Repeat("ᏣᎳᎩ ", 50)[:len(strings.Repeat("ᏣᎳᎩ ", 50))-1] // 199 characters
	name += "Ꮳ"
	if n := utf8.RuneCountInString(name); n != campaignfile.MaxName {
		t.Fatalf("name of %d characters", n)
	}
	f.campaign(campaignOpts{name: name, issue: "Voter turnout", code: "444444"})
	c, _ := f.user("searcher")
	got, err := c.SearchCampaigns(ctx, name)
	if err != nil || len(got) != 1 || got[0].Name != name {
		t.Fatalf("search for the whole %d-character name: %+v, %v", campaignfile.MaxName, got, err)
	}
	_, err = c.SearchCampaigns(ctx, name+"Ꭹ")
	wantAPIError(t, err, http.StatusBadRequest, api.CodeInvalidField)
	if !strings.Contains(err.Error(), "search text is 201 characters; at most 200") {
		t.Fatalf("a search one character too long: %v", err)
	}
}

// TestSearchTextNotUTF8IsRefused: a search whose text decodes to bytes no
// text has (%ff) is refused 400 invalid_field on q, on either database:
// PostgreSQL would refuse the bytes (SQLSTATE 22021), a 500 and an error
// in the log that anyone signed in could cause at will.
func TestSearchTextNotUTF8IsRefused(t *testing.T) {
	f := newFixture(t)
	c, _ := f.user("searcher")
	_, err := c.SearchCampaigns(context.Background(), "Ada\xff")
	ae := wantAPIError(t, err, http.StatusBadRequest, api.CodeInvalidField)
	if ae.Err.Field != "q" {
		t.Fatalf("refusal names field %q, want q", ae.Err.Field)
	}
}
