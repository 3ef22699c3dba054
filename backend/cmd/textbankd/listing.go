package main

import "time"

// How the text listings (campaign list, numbers list, users list,
// unroutable) and the lines about one row show what a person reads:
// one home, so the listings agree. --json keeps RFC 3339, for scripts.

// listingTime is a time as every listing shows it: to the minute, in
// UTC, said so ("2026-12-07 13:12 UTC"); the server's clock and the
// organizer's may be in different zones.
func listingTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// yesNo is a listing's yes-or-no column, as a person reads it.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
