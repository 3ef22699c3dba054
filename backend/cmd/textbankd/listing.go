package main

import (
	"time"

	"github.com/textbank/textbank/backend/server"
)

// How the text listings (campaign list, numbers list, users list,
// unroutable) and the lines about one row show what a person reads:
// one home, so the listings agree. --json keeps RFC 3339, for scripts.

// listingTime is a time as every listing shows it, as the server's words
// say it too (server.OrganizerTime: "2026-12-07 13:12 UTC").
func listingTime(t time.Time) string { return server.OrganizerTime(t) }

// yesNo is a listing's yes-or-no column, as a person reads it.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
