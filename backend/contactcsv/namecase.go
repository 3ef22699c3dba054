package contactcsv

import (
	"strings"
	"unicode"
)

// NameCase writes a name given all in capitals or all in lower case as a
// name is written ("IDA B. WELLS" and "ida b. wells" are "Ida B. Wells"):
// voter files often come in capitals, and "Hi IDA!" reads as shouting from
// a stranger. A name in mixed case ("McDonald", "de la Cruz") is the
// file's own spelling and kept, as is one with fewer than two letters.
// Each word's first letter, and the first after a hyphen or an apostrophe
// ("Mary-Jane", "O'Brien"), is a capital, the rest small; a word of Roman
// numerals ("III") stays in capitals. What it cannot know is kept simple:
// "MCDONALD" becomes "Mcdonald".
func NameCase(s string) string {
	letters, upper, lower := 0, 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			switch {
			case unicode.IsUpper(r):
				upper++
			case unicode.IsLower(r):
				lower++
			}
		}
	}
	if letters < 2 || (upper != letters && lower != letters) {
		return s
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		if romanNumeral(w) {
			words[i] = strings.ToUpper(w)
			continue
		}
		var b strings.Builder
		start := true
		for _, r := range w {
			if start && unicode.IsLetter(r) {
				b.WriteRune(unicode.ToTitle(r))
				start = false
				continue
			}
			b.WriteRune(unicode.ToLower(r))
			if r == '-' || r == '\'' || r == '’' {
				start = true
			}
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// romanNumeral: a name's suffix such as II, III or IV (not a lone I or V,
// which are initials more often than numerals).
func romanNumeral(w string) bool {
	w = strings.TrimRight(strings.ToUpper(w), ".,")
	switch w {
	case "II", "III", "IV", "VI", "VII", "VIII":
		return true
	}
	return false
}
