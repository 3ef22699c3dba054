package server_test

import (
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// stateOf reads the inbox rules' inputs off a synced thread (backend/inbox
// does not speak wire types).
func stateOf(t api.Thread) inbox.State {
	return inbox.State{
		ActionType: t.ActionType, Archived: t.Archived, OptedOut: t.OptedOut, Blocked: t.Blocked,
		LastInboundAt: t.LastInboundAt, LastOutboundAt: t.LastOutboundAt, LastReadAt: t.LastReadAt, LastReportAt: t.LastReportAt,
		ReportedThrough: t.ReportedThrough, AnsweredThrough: t.AnsweredThrough,
	}
}
