package democampaign

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/script"
	"github.com/textbank/textbank/backend/server/store"
)

// customFields are the demo contact list's extra CSV columns.
var customFields = []string{"polling_place"}

func initialScripts() []string {
	return []string{
		"Hi {first_name|friend}, this is {volunteer_first_name} with Demo for Democracy. " +
			"Election Day is coming up. Can we count on you to vote?",
		"Hey {first_name|there}! {volunteer_first_name} here, a volunteer with Demo for Democracy. " +
			"Do you have a plan to vote on Election Day?",
	}
}

func responseScripts() []store.ResponseScript {
	return []store.ResponseScript{
		{ID: "polling-place", Label: "Polling place",
			Body: "Your polling place is {polling_place|listed at vote.org}. Polls are open 7am to 8pm. Thanks, {first_name|friend}!"},
		{ID: "thanks", Label: "Thanks!",
			Body: "Thanks so much, {first_name|friend}! Every vote counts."},
		{ID: "sorry", Label: "Sorry to bother you",
			Body: "Sorry to bother you, {first_name|friend}. Have a good day!"},
		{ID: "will-vote", Label: "Will vote", Tags: []string{"will_vote"},
			Body: "Great to hear you'll vote, {first_name|friend}! Need a ride to the polls? Just reply RIDE."},
	}
}

func reportFields() []store.ReportField {
	return []store.ReportField{
		{Key: "will_vote", Label: "Will vote", Kind: "tag"},
		{Key: "needs_ride", Label: "Needs a ride", Kind: "tag"},
		{Key: "support", Label: "Support", Kind: "choice",
			Choices: []string{"Strong Supporter", "Lean Supporter", "Undecided", "Lean Against", "Strongly Against"}},
		{Key: "top_issue", Label: "Top issue", Kind: "text"},
		{Key: "household_voters", Label: "Voters in household", Kind: "number"},
		// Notes and Opt Out are on every report (backend/report).
	}
}

func demoAction(campaignID, creatorID string, now time.Time) store.Action {
	return store.Action{
		ID:         uuid.NewString(),
		CampaignID: campaignID,
		Type:       api.ActionP2P,
		Title:      ActionTitle,
		Description: "Text voters in our district to remind them about election day and help them " +
			"make a plan to vote.",
		Instructions: "Press Send (or Enter) to text each voter. When someone replies, answer from " +
			"Follow Up, then Fill Report: tag Will vote or Needs a ride and rate their support. " +
			"If someone asks not to be texted, tag Opt Out. If someone is abusive, press Report abuse: " +
			"it blocks them. If you cannot answer a question, Reassign Conversation to the organizer. " +
			"Be kind; never argue.",
		Scripts:         initialScripts(),
		ResponseScripts: responseScripts(),
		ReportFields:    reportFields(),
		// All day, so the demo works at any hour; quiet hours are enforced
		// and tested elsewhere.
		TextingHours:  store.TextingHours{Start: "00:00", End: "24:00"},
		BatchSize:     10,
		AllowFreeText: true,
		CreatorID:     creatorID,
		CreatedAt:     now,
	}
}

// validateScripts checks every demo script against the fields the demo
// contacts have, the same check an admin's script gets when saved.
func validateScripts() error {
	known := append(script.StandardFields(), customFields...)
	for i, s := range initialScripts() {
		if err := script.Validate(s, known); err != nil {
			return fmt.Errorf("demo: initial script %d: %w", i+1, err)
		}
	}
	for _, rs := range responseScripts() {
		if err := script.Validate(rs.Body, known); err != nil {
			return fmt.Errorf("demo: response script %q: %w", rs.Label, err)
		}
	}
	return nil
}

// areaCodes spread the demo contacts over US time zones (Eastern, Central,
// Mountain, Arizona, Pacific, Alaska, Hawaii). 555-01XX numbers are
// reserved for fiction, so the demo can never text a real person.
var areaCodes = []string{"212", "617", "305", "312", "214", "512", "303", "602", "415", "206", "907", "808"}

var demoPeople = [][2]string{
	{"Ada", "Lovelace"}, {"Grace", "Hopper"}, {"Alan", "Turing"}, {"Katherine", "Johnson"},
	{"Dorothy", "Vaughan"}, {"Mary", "Jackson"}, {"Margaret", "Hamilton"}, {"Barbara", "Liskov"},
	{"Frances", "Allen"}, {"Radia", "Perlman"}, {"Shafi", "Goldwasser"}, {"Donald", "Knuth"},
	{"Edsger", "Dijkstra"}, {"John", "McCarthy"}, {"Leslie", "Lamport"}, {"Ken", "Thompson"},
	{"Dennis", "Ritchie"}, {"Vint", "Cerf"}, {"Tim", "Berners-Lee"}, {"Hedy", "Lamarr"},
	{"Annie", "Easley"}, {"Evelyn", "Boyd"}, {"Jean", "Sammet"}, {"Adele", "Goldberg"},
	{"Sophie", "Wilson"}, {"Carol", "Shaw"}, {"Lynn", "Conway"}, {"Anita", "Borg"},
	{"Marian", "Croak"}, {"Mark", "Dean"}, {"Gladys", "West"}, {"Jerry", "Lawson"},
	{"Clarence", "Ellis"}, {"Valerie", "Thomas"}, {"Roy", "Clay"}, {"Kimberly", "Bryant"},
	{"Luis", "von Ahn"}, {"Cristina", "Amon"}, {"Ellen", "Ochoa"}, {"Franklin", "Chang-Díaz"},
	{"Sally", "Ride"}, {"Mae", "Jemison"}, {"Guion", "Bluford"}, {"Ronald", "McNair"},
	{"Judith", "Resnik"}, {"Kalpana", "Chawla"}, {"Sunita", "Williams"}, {"Chiaki", "Mukai"},
	{"Peggy", "Whitson"}, {"", ""}, // one contact without a name: the script's fallback shows
}

var pollingPlaces = []string{
	"Lincoln Elementary, 12 Oak St", "Public Library, 400 Main St", "Fire Station 3, 88 Elm Ave",
	"", // no polling place on file: the response script's fallback shows
	"Community Center, 5 Park Rd",
}

// contacts is the demo list: 50 people across time zones.
func contacts() []store.Contact {
	out := make([]store.Contact, 0, len(demoPeople))
	for i, p := range demoPeople {
		area := areaCodes[i%len(areaCodes)]
		fields := map[string]string{}
		if place := pollingPlaces[i%len(pollingPlaces)]; place != "" {
			fields["polling_place"] = place
		}
		out = append(out, store.Contact{
			FirstName:  p[0],
			LastName:   p[1],
			Phone:      fmt.Sprintf("+1%s55501%02d", area, i),
			Zip:        fmt.Sprintf("%05d", 10001+i*37),
			ExternalID: fmt.Sprintf("DEMO-%03d", i+1),
			Fields:     fields,
		})
	}
	return out
}
