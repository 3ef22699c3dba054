package contactcsv

import (
	"fmt"
	"strings"
	"unicode"
)

// NameCase writes a name given all in capitals or all in lower case as a
// name is written ("IDA B. WELLS" and "ida b. wells" are "Ida B. Wells"):
// voter files often come in capitals, and "Hi IDA!" reads as shouting from
// a stranger. A name in mixed case ("McDonald", "de la Cruz") is the
// file's own spelling and kept, as is one with fewer than two letters.
// Each word's first letter, and the first after a hyphen, an apostrophe or
// a full stop ("Mary-Jane", "O'Brien", "A.J."), is a capital, the rest
// small; initials of two letters with no vowel or ending in J ("TJ", "AJ")
// and, after a name's first word, Roman numerals ("Smith III") stay in
// capitals; a Greek word ends in ς. What it cannot know is kept simple:
// "MCDONALD" becomes "Mcdonald", "AL" Al.
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
		if (i > 0 && romanNumeral(w)) || initials(w) {
			words[i] = strings.ToUpper(w)
			continue
		}
		rs := []rune(w)
		start := true
		for j, r := range rs {
			if !unicode.IsLetter(r) {
				// Kept as written (a circled Ⓡ has a small form too).
				start = start || r == '-' || r == '\'' || r == '’' || r == '.'
				continue
			}
			if start {
				rs[j] = unicode.ToTitle(r)
				start = false
				continue
			}
			rs[j] = unicode.ToLower(r)
			// Greek writes a word's last sigma ς.
			if rs[j] == 'σ' && (j == len(rs)-1 || !unicode.IsLetter(rs[j+1])) {
				rs[j] = 'ς'
			}
		}
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// initials: a word of two Latin letters with no vowel ("TJ", "KC") or
// ending in J ("AJ"), which names are not.
func initials(w string) bool {
	u := strings.ToUpper(w)
	if len(u) != 2 || u[0] < 'A' || u[0] > 'Z' || u[1] < 'A' || u[1] > 'Z' {
		return false
	}
	return u[1] == 'J' || !strings.ContainsAny(u, "AEIOUY")
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

// recase writes the row's names as names (NameCase), noting the change in
// the row (Row.Recased): the import counts it for the rows it stores.
func recase(row *Row) {
	first, last := NameCase(row.FirstName), NameCase(row.LastName)
	if first == row.FirstName && last == row.LastName {
		return
	}
	row.Recased = fmt.Sprintf("%s is %s", strings.TrimSpace(row.FirstName+" "+row.LastName), strings.TrimSpace(first+" "+last))
	row.FirstName, row.LastName = first, last
}
