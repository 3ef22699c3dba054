package server

import (
	"fmt"
	"unicode/utf8"
)

// Limits on free text volunteers send (docs/API.md, "Limits"). Reply bodies
// are bounded by maxText, names by maxName, search by 200 characters.
const (
	maxReportNotes = 2000 // the notes of one report
	maxReportValue = 500  // any other report value (text fields; tags, choices and numbers are shorter)
)

// reportValueTooLong names a report value over its limit, or returns "".
func reportValueTooLong(key, v string) string {
	limit := maxReportValue
	if key == ReportNotes {
		limit = maxReportNotes
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return fmt.Sprintf("%s is %d characters; at most %d", key, n, limit)
	}
	return ""
}
