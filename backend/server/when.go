package server

import "time"

// OrganizerTime is a time as the organizer's command line says it, in its
// listings and in the server's words it prints (a removal's date in a
// refusal): to the minute, in UTC, said so ("2026-12-07 13:12 UTC"), as the
// server's clock and the organizer's may be in different zones. Exports
// and --json keep RFC 3339, for programs.
func OrganizerTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
