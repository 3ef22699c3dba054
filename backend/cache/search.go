package cache

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// search is what the volunteer typed: a part of a name, or of a number.
type search struct {
	text   string // lower case name part, or the number's digits
	number bool   // text is digits, to find in numbers
}

// foldName is a name as a search compares it: lower case, and without
// accents (and full-width letters as plain ones), so that "diaz" or "munoz",
// as a volunteer types them on an English keyboard, find "Díaz" and "Muñoz".
// Both the names the index keeps and the words searched are folded. Plain
// ASCII, most names, is only lowered.
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			var b strings.Builder
			for _, r := range norm.NFKD.String(s) {
				if !unicode.Is(unicode.Mn, r) {
					b.WriteRune(unicode.ToLower(r))
				}
			}
			return b.String()
		}
	}
	return strings.ToLower(s)
}

// parseSearch: a query of digits and phone punctuation searches numbers
// (by their digits, so "555 0101" finds "+15550101"), anything else names,
// anywhere in the name, regardless of case and accents (foldName).
func parseSearch(q string) (search, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return search{}, false
	}
	isNumber := strings.IndexFunc(q, func(r rune) bool {
		return !(unicode.IsDigit(r) || strings.ContainsRune("+-() .", r))
	}) < 0
	if isNumber && digits(q) != "" {
		return search{text: digits(q), number: true}, true
	}
	text := foldName(q)
	if text == "" {
		// Marks alone (an accent typed by itself) fold to nothing: search
		// them as typed, which no folded name holds, so nothing is found.
		text = strings.ToLower(q)
	}
	return search{text: text}, true
}
