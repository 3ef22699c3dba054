package demo_test

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// The demo's organizer has a report of abuse to decide on: the demo
// volunteer blocked a contact who threatened her, and the report leads to
// the whole exchange; the volunteer's sync never has that conversation.
func TestDemoOrganizerHasAnAbuseReport(t *testing.T) {
	ctx := testContext(t)
	c, ov, campaignID := demoOrganizerIn(ctx, t)
	if len(ov.AbuseReports) != 1 || ov.AbuseReports[0].ContactName != "Rex Ruckus" || ov.AbuseReports[0].ReportedBy != "Dana Volunteer" ||
		ov.AbuseReports[0].Reason != api.BlockThreats || !strings.Contains(ov.AbuseReports[0].LastMessage, "you'll regret it") {
		t.Fatalf("the organizer's reports of abuse are %+v; want Dana's block of Rex Ruckus", ov.AbuseReports)
	}
	read, err := c.AdminThread(ctx, campaignID, ov.AbuseReports[0].ThreadID)
	msgs := read.Messages
	if err != nil || len(msgs) != 2 || msgs[0].SentByName != "Dana Volunteer" {
		t.Fatalf("the blocked exchange %+v, %v: want Dana's first text and the reply", msgs, err)
	}
}
