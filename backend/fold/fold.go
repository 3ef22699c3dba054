// Package fold is how a search compares text a person typed with a name:
// without case and accents. The desktop's inbox search (backend/cache) and
// the server's campaign search (backend/server/store) both fold with it, so
// "munoz" finds "Muñoz" in the inbox as "campana" finds "Campaña" on the
// join screen.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Name is a name as a search compares it: lower case, and without accents
// (and full-width letters as plain ones), so that "diaz" or "munoz", as a
// volunteer types them on an English keyboard, find "Díaz" and "Muñoz".
// Both the names searched and the words searched for are folded. Plain
// ASCII, most names, is only lowered.
func Name(s string) string {
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

// Query is the words searched for, folded as Name folds names. Marks alone
// (an accent typed by itself) fold to nothing, which every name holds:
// they are searched as typed, which no folded name holds, so nothing is
// found.
func Query(q string) string {
	if f := Name(q); f != "" {
		return f
	}
	return strings.ToLower(q)
}
