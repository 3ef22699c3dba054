package democampaign

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// labelledAction is one of the demo's Friends, Team, Canvassing and
// Broadcast actions, with conversations already under way in the demo
// volunteer's inbox, so every inbox filter and label has something to show
// from the first minute, and a few people still to text, so its Start
// leads somewhere too.
type labelledAction struct {
	Type, Title, Script string
	// Description and Instructions, when set, replace those the actions
	// holding only conversations under way share (sharedDescription).
	Description, Instructions string
	Threads                   []demoThread
	// Quiet are conversations that went quiet more than two months ago, so
	// they are in the Archive ("Archived: no activity in 2 months"), read,
	// as the server's archiver leaves them (SPEC feature 10): a newcomer
	// sees that rule at work without waiting two months.
	Quiet []demoThread
	// Unanswered were texted this morning and have not replied: read, and
	// in no filter but All, as most of a broadcast's people are.
	Unanswered [][2]string // first and last names
	ToText     [][2]string // first and last names
}

type demoThread struct {
	First, Last, Reply string
}

// seededThread is a conversation to seed; old if one of Quiet, unanswered
// if one of Unanswered (it has no Reply).
type seededThread struct {
	demoThread
	old, unanswered bool
}

// threads are la's conversations, Threads, Quiet, then Unanswered.
func (la labelledAction) threads() []seededThread {
	out := make([]seededThread, 0, len(la.Threads)+len(la.Quiet)+len(la.Unanswered))
	for _, dt := range la.Threads {
		out = append(out, seededThread{demoThread: dt})
	}
	for _, dt := range la.Quiet {
		out = append(out, seededThread{demoThread: dt, old: true})
	}
	for _, name := range la.Unanswered {
		out = append(out, seededThread{demoThread: demoThread{First: name[0], Last: name[1]}, unanswered: true})
	}
	return out
}

// LabelledActionTitles are the titles of the demo's Friends, Team,
// Canvassing and Broadcast actions, by type.
var LabelledActionTitles = map[string]string{
	api.ActionFriends:    "Text Your Friends",
	api.ActionTeam:       "Volunteer Team Check-In",
	api.ActionCanvassing: "Canvass Follow-Up",
	api.ActionBroadcast:  "Early Voting Opens",
}

// The description and instructions of the actions that hold conversations
// under way and a few people still to text.
const (
	sharedDescription  = "Conversations already under way, and a few people still to text."
	sharedInstructions = "Press Start to text the few people left (Send or Enter for each). Then open " +
		"each conversation from the inbox and answer from Follow Up, then Fill Report. If someone " +
		"asks not to be texted, tag Opt Out. If someone is abusive, press Report abuse: it blocks " +
		"them. If you cannot answer a question, Reassign Conversation to the organizer. Be kind; " +
		"never argue."
)

// unansweredAgo is when the Broadcast's announcement went out this
// morning: before the other actions' replies came in, so its conversations
// sit among them in the list, under the newest.
const unansweredAgo = 4 * time.Hour

func labelledActions() []labelledAction {
	return []labelledAction{
		{Type: api.ActionFriends, Title: LabelledActionTitles[api.ActionFriends],
			Script: "Hey {first_name|there}, it's {volunteer_first_name}! Election Day is coming. Are you voting?",
			Threads: []demoThread{
				{"Rosa", "Parks", "Of course! Want to go together?"},
				{"Bayard", "Rustin", "Yes, already requested my mail ballot."},
				{"Fannie", "Hamer", "Remind me where my polling place is?"},
			},
			Quiet:  []demoThread{{First: "Nina", Last: "Simone", Reply: "Count me in for the spring rally!"}},
			ToText: [][2]string{{"Septima", "Clark"}, {"Diane", "Nash"}, {"John", "Lewis"}}},
		{Type: api.ActionTeam, Title: LabelledActionTitles[api.ActionTeam],
			Script: "Hi {first_name|there}, {volunteer_first_name} from the Demo for Democracy team. Can you take a shift this weekend?",
			Threads: []demoThread{
				{"Cesar", "Chavez", "Saturday morning works for me."},
				{"Dolores", "Huerta", "I can do Sunday afternoon."},
			},
			ToText: [][2]string{{"Larry", "Itliong"}, {"Ella", "Baker"}, {"Medgar", "Evers"}}},
		{Type: api.ActionCanvassing, Title: LabelledActionTitles[api.ActionCanvassing],
			Script: "Hi {first_name|there}, this is {volunteer_first_name} with Demo for Democracy. Thanks for talking with us at your door! Any questions about voting?",
			Threads: []demoThread{
				{"Harvey", "Milk", "Thanks for stopping by! When do polls close?"},
				{"Shirley", "Chisholm", "Can I bring my ID on my phone?"},
				{"Thurgood", "Marshall", "No questions, I'm all set."},
				// One asks in their own words to be left alone (flagged as a
				// likely opt-out), one is rude (to block).
				{"Wilma", "Mankiller", "no more texts please"},
				{"Troll", "McTrollface", "Get lost, you clowns. Nobody wants your garbage."},
			},
			ToText: [][2]string{{"Bella", "Abzug"}, {"Patsy", "Mink"}, {"Barbara", "Jordan"}}},
		// One announcement, the same for everyone: the first few got it this
		// morning and, as most people do, have not answered.
		{Type: api.ActionBroadcast, Title: LabelledActionTitles[api.ActionBroadcast],
			Script: "Hi {first_name|there}, early voting opens this Saturday! Vote any day from 9am to 5pm at the " +
				"Public Library, 400 Main St. Questions? Just reply. {volunteer_first_name}, Demo for Democracy",
			Description: "One announcement for every voter on the list: early voting opens this Saturday. " +
				"It went out to a few this morning; the rest are still to get it.",
			Instructions: "Press Start and send the announcement to each person left (Send or Enter for each). " +
				"Most people will not answer. When someone does, open the conversation from the inbox and answer " +
				"from Follow Up, then Fill Report. If someone asks not to be texted, tag Opt Out. If someone is " +
				"abusive, press Report abuse: it blocks them. If you cannot answer a question, Reassign " +
				"Conversation to the organizer. Be kind; never argue.",
			Unanswered: [][2]string{{"Fred", "Korematsu"}, {"Yuri", "Kochiyama"}},
			ToText:     [][2]string{{"Frederick", "Douglass"}, {"Sojourner", "Truth"}, {"Lucy", "Stone"}}},
	}
}

// seedInbox creates the labelled actions and their conversations: each a
// contact texted by the demo volunteer, with the first text and the
// contact's reply, unread and needing attention. The threads are in the
// volunteer's feed; their campaign and actions arrive when they join.
func seedInbox(ctx context.Context, tx store.Tx, camp store.Campaign, organizerID string, now time.Time) error {
	volunteer, err := tx.UserByEmail(ctx, VolunteerEmail)
	if err != nil {
		return err
	}
	number, err := tx.AssignSendingNumber(ctx, camp.ID, volunteer.ID, now)
	if err != nil {
		return fmt.Errorf("sending number for the demo volunteer: %w", err)
	}
	n := 0
	extra := SeededThreads() + SeededArchived() // the people still to text are numbered after the conversations
	for ai, la := range labelledActions() {
		a := demoAction(camp.ID, organizerID, now)
		a.ID, a.Type, a.Title, a.Scripts = uuid.NewString(), la.Type, la.Title, []string{la.Script}
		a.Description, a.Instructions = sharedDescription, sharedInstructions
		if la.Description != "" {
			a.Description, a.Instructions = la.Description, la.Instructions
		}
		a.CreatedAt = now.Add(time.Duration(ai+1) * time.Microsecond)
		if err := tx.CreateAction(ctx, a); err != nil {
			return err
		}
		if err := seedToText(ctx, tx, a, la.ToText, &extra, now); err != nil {
			return err
		}
		for _, dt := range la.threads() {
			n++
			// Replies came in over the last hours, newest last.
			sentAt := now.Add(-time.Duration(30-n) * 10 * time.Minute)
			switch {
			case dt.old:
				sentAt = now.Add(-inbox.InactiveAfter - 10*24*time.Hour)
			case dt.unanswered:
				sentAt = now.Add(-unansweredAgo - time.Duration(n)*time.Minute)
			}
			replyAt := sentAt.Add(7 * time.Minute)
			assigned := sentAt.Add(-time.Minute)
			c := store.Contact{
				ID: uuid.NewString(), ActionID: a.ID, FirstName: dt.First, LastName: dt.Last,
				Phone:      fmt.Sprintf("+1%s55501%02d", areaCodes[n%len(areaCodes)], len(demoPeople)+n),
				Zip:        fmt.Sprintf("%05d", 20001+n*41),
				ExternalID: fmt.Sprintf("DEMO-L%02d", n), Fields: demoFields(n),
				State: store.ContactTexted, AssignedTo: volunteer.ID, AssignedAt: &assigned, CreatedAt: assigned,
			}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			th := store.Thread{
				ID: c.ID, ActionID: a.ID, CampaignID: camp.ID, OrganizationID: camp.OrganizationID, OwnerID: volunteer.ID,
				ContactName: dt.First + " " + dt.Last, ContactPhone: c.Phone, SendingNumber: number,
				LastMessageAt: replyAt, LastInboundAt: &replyAt, LastOutboundAt: &sentAt, CreatedAt: sentAt,
			}
			if dt.unanswered {
				th.LastMessageAt, th.LastInboundAt = sentAt, nil
			}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			body, err := texting.Render(la.Script, texting.Contact{FirstName: c.FirstName, LastName: c.LastName, Zip: c.Zip, Fields: c.Fields}, texting.Volunteer{Name: volunteer.Name})
			if err != nil {
				return fmt.Errorf("demo: render %q for %s: %w", la.Title, dt.First, err)
			}
			first := store.Message{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirOutbound,
				Body: body, Status: api.StatusDelivered, ProviderID: providerID(), Initial: true,
				SenderID: volunteer.ID, CreatedAt: sentAt, SentAt: &sentAt}
			msgs := []store.Message{first}
			reply := store.Message{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirInbound,
				Body: dt.Reply, Status: api.StatusReceived, ProviderID: providerID(), RoutedTo: volunteer.ID, CreatedAt: replyAt}
			if !dt.unanswered {
				msgs = append(msgs, reply)
			}
			for _, m := range msgs {
				if err := tx.CreateMessage(ctx, m); err != nil {
					return err
				}
			}
			if !dt.unanswered && optout.Suggest(reply.Body) {
				if err := tx.MarkLikelyOptOut(ctx, reply.ID, th.ID, replyAt); err != nil {
					return err
				}
			}
			if dt.old {
				// The wire spells this reason as package inbox does.
				if err := tx.PutInboxState(ctx, store.InboxState{UserID: volunteer.ID, ThreadID: th.ID, LastReadAt: &replyAt,
					Archived: true, ArchivedReason: string(inbox.Inactive)}); err != nil {
					return err
				}
			}
			if _, err := tx.AppendFeed(ctx, volunteer.ID, api.KindThread, th.ID, now); err != nil {
				return err
			}
			for _, m := range msgs {
				if _, err := tx.AppendFeed(ctx, volunteer.ID, api.KindMessage, m.ID, now); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoFields are the custom columns of the demo's n-th extra contact: a
// polling place, or none on file now and then (the fallback shows).
func demoFields(n int) map[string]string {
	if place := pollingPlaces[n%len(pollingPlaces)]; place != "" {
		return map[string]string{"polling_place": place}
	}
	return map[string]string{}
}

// seedToText adds an action's people still to text, in the pool like
// any imported contact. n numbers the demo's extra contacts (their phone
// numbers and external ids follow the conversations' own).
func seedToText(ctx context.Context, tx store.Tx, a store.Action, names [][2]string, n *int, now time.Time) error {
	for i, name := range names {
		*n++
		c := store.Contact{
			ID: uuid.NewString(), ActionID: a.ID, FirstName: name[0], LastName: name[1],
			Phone:      fmt.Sprintf("+1%s55501%02d", areaCodes[*n%len(areaCodes)], len(demoPeople)+*n),
			Zip:        fmt.Sprintf("%05d", 20001+*n*41),
			ExternalID: fmt.Sprintf("DEMO-L%02d", *n), Fields: demoFields(*n),
			CreatedAt: now.Add(time.Duration(i) * time.Microsecond),
		}
		if err := tx.CreateContact(ctx, c); err != nil {
			return fmt.Errorf("demo: contact %s %s of %q: %w", name[0], name[1], a.Title, err)
		}
	}
	return nil
}

// SeededThreads is how many conversations the demo volunteer's inbox lists
// under All before they text anyone.
func SeededThreads() int { return seeded(func(t seededThread) bool { return !t.old }) }

// SeededUnread is how many of those have a reply, unread and needing
// attention (Unread and Needs Attention): all but the unanswered ones.
func SeededUnread() int {
	return seeded(func(t seededThread) bool { return !t.old && !t.unanswered })
}

// SeededArchived is how many more it holds in the Archive, archived for
// going quiet.
func SeededArchived() int { return seeded(func(t seededThread) bool { return t.old }) }

func seeded(counts func(seededThread) bool) int {
	n := 0
	for _, la := range labelledActions() {
		for _, t := range la.threads() {
			if counts(t) {
				n++
			}
		}
	}
	return n
}
