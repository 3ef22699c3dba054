package cache

import (
	"strings"
	"unicode"

	"github.com/textbank/textbank/backend/fold"
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

// parseSearch: a query of digits and phone punctuation searches numbers
// (by their digits, so "555 0101" finds "+15550101"), anything else names,
// anywhere in the name, regardless of case and accents (fold.Query).
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
	return search{text: fold.Query(q)}, true
}
