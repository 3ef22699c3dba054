// Package optout recognises replies that ask not to be texted again. An
// exact keyword (Match) opts the contact out automatically, as carriers
// expect; softer wording (Suggest) is only offered to the volunteer, who
// decides, because a phrase like "stop by" must never silence a supporter.
package optout

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// keywords are the carrier-standard opt-out words, compared after
// normalisation (upper case, edges trimmed, "-" and runs of space as one
// space).
var keywords = map[string]bool{
	"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true, "END": true,
	"QUIT": true, "REVOKE": true, "OPTOUT": true, "REMOVE": true, "OPT OUT": true,
}

// Match reports whether body is exactly an opt-out keyword, in any case,
// ignoring surrounding white space, punctuation and symbols ("Stop!",
// " stop. ", "**STOP**"), and in any width ("ＳＴＯＰ", as a phone set to
// type East Asian text sends it). "OPT OUT" may be written with spaces or a
// hyphen ("opt-out"). A keyword inside a sentence is not a match: see
// Suggest.
func Match(body string) bool {
	s := strings.TrimFunc(fold(body), notWordChar)
	if len(s) > len("UNSUBSCRIBE")+4 { // cheap exit for ordinary replies
		return false
	}
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "-", " ")), " ")
	return keywords[strings.ToUpper(s)]
}

func notWordChar(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// fold writes full-width and other compatibility forms of letters, digits
// and punctuation as their plain forms (NFKC: "ＳＴＯＰ！" is "STOP!"), so
// that a keyword is a keyword however the phone typed it. Plain ASCII, most
// replies, is returned as it is, at no cost.
func fold(body string) string {
	for i := 0; i < len(body); i++ {
		if body[i] >= utf8.RuneSelf {
			return norm.NFKC.String(body)
		}
	}
	return body
}

// optInKeywords are the carrier-standard words a contact sends to be texted
// again.
var optInKeywords = map[string]bool{"START": true, "UNSTOP": true}

// OptIn reports whether body is exactly START or UNSTOP (any case and
// width, ignoring surrounding white space and punctuation). Textbank records
// it for the campaign's admins and does not act on it silently.
func OptIn(body string) bool {
	s := strings.TrimFunc(fold(body), notWordChar)
	if len(s) > len("UNSTOP") {
		return false
	}
	return optInKeywords[strings.ToUpper(s)]
}

// Lifts reports whether a START received at startAt may lift an opt-out
// recorded at optedOutAt and last renewed at renewedAt (zero if never):
// only when the START is the contact's latest word on it. A STOP after the
// START, or an opt-out a volunteer filed after it, stands. Textbank never
// lifts an opt-out by itself: an organizer decides, on the contact's START.
func Lifts(startAt, optedOutAt, renewedAt time.Time) bool {
	return startAt.After(optedOutAt) && startAt.After(renewedAt)
}

// Undoes reports whether an admin who saw an opt-out a report filed as of
// seenAt (its latest time then: when it was filed, or last renewed) may
// undo it: only when nobody opted the number out again since (a volunteer
// reporting it again, or the contact: then it is theirs and stands).
func Undoes(seenAt, optedOutAt, renewedAt time.Time) bool {
	return !optedOutAt.After(seenAt) && !renewedAt.After(seenAt)
}
