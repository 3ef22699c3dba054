package postgres

import (
	"regexp"
	"strings"
)

// keywordSpans are the spans of a key=value connection string that hold
// a password, read as the driver reads the string (pgconn's
// parseKeywordValueSettings, libpq's rules): a key, blanks, '=', blanks,
// then a value in single quotes, where a backslash takes the next
// character as it is and the quote ends it, or else one up to the next
// blank, where a backslash takes the next character (a blank too) as it
// is. Where the driver cannot read the string, all from the first
// password's value to the end of the string is masked (a quote or blank
// in it, not escaped, may have ended it early).
func keywordSpans(s string) [][2]int {
	spans, exact := keywordSpansExact(s)
	if exact {
		return spans
	}
	from := len(s)
	if m := keywordPassword.FindStringIndex(s); m != nil {
		from = m[1]
	}
	for _, sp := range spans {
		from = min(from, sp[0])
	}
	return [][2]int{{from, len(s)}}
}

// keywordPassword finds a key=value string's password (or sslpassword)
// up to its value, in a string the driver cannot read: keys are matched
// in any case, with or without blanks around the '='.
var keywordPassword = regexp.MustCompile(`(?i)password\s*=\s*`)

func keywordSpansExact(s string) (spans [][2]int, ok bool) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, false
	}
	i := skipBlanks(s, 0)
	for i < len(s) {
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return spans, false
		}
		key := strings.Trim(s[i:i+eq], blanks)
		if key == "" || strings.ContainsAny(key, blanks) {
			return spans, false
		}
		i = skipBlanks(s, i+eq+1)
		from, to := i, i
		switch {
		case i == len(s):
		case s[i] != '\'':
			for ; i < len(s) && !strings.ContainsRune(blanks, rune(s[i])); i++ {
				if s[i] == '\\' {
					i++
					if i == len(s) {
						break
					}
				}
			}
			to = i
		default:
			i++
			from = i
			for ; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\\' {
					i++
					if i == len(s) {
						break
					}
				}
			}
			if i >= len(s) {
				if secretName(key) {
					spans = append(spans, [2]int{from, len(s)})
				}
				return spans, false // unterminated
			}
			to = i
			i++
		}
		// A lone backslash escapes the end of the string: the value is empty.
		if secretName(key) && to > from && s[from:to] != `\` {
			spans = append(spans, [2]int{from, to})
		}
		i = skipBlanks(s, i)
	}
	return spans, true
}

// blanks are what the driver skips between keys and values.
const blanks = " \t\n\v\f\r"

func skipBlanks(s string, i int) int {
	for i < len(s) && strings.ContainsRune(blanks, rune(s[i])) {
		i++
	}
	return i
}
