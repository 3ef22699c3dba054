package optout

import "strings"

// The reasons an opt-out records (store.OptOut.Reason, which the admin
// section and the organizer's opt-out export show), written one way
// wherever an opt-out is made: the server's handlers and the demo
// campaign's seed, so that the demo shows what a real campaign would.

// KeywordReason is the reason of an opt-out a contact asked for with a
// keyword (Match): the reply as sent, trimmed.
func KeywordReason(body string) string {
	return "keyword: " + strings.TrimSpace(body)
}

// BlockedReason is the reason of the opt-out that comes with a volunteer's
// block; why is the block's own reason (api.BlockThreats...).
func BlockedReason(why string) string {
	return "blocked by a volunteer: " + why
}
