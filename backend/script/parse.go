package script

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// part is a piece of a parsed script: literal text, or a merge field when
// name is set.
type part struct {
	text        string // literal text (braces already unescaped)
	name        string // merge field name; "" for literal text
	fallback    string // used when the field's value is empty
	hasFallback bool
	pos         int // 1-based character position of the field's '{'
}

// SyntaxError is a malformed script. Pos is the 1-based character (not byte)
// position of the problem, which is what an admin counting in an editor sees.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("script syntax error at character %d: %s", e.Pos, e.Msg)
}

// parse splits tmpl into literal text and fields. Rules: "{{" and "}}" are
// literal braces; "{name}" or "{name|fallback}" is a field; a name is
// lowercase letters, digits and underscore, with optional spaces around it;
// a fallback is any text without braces, trimmed, and must not be empty.
func parse(tmpl string) ([]part, error) {
	var parts []part
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, part{text: lit.String()})
			lit.Reset()
		}
	}
	pos := 0 // characters consumed so far
	for i := 0; i < len(tmpl); {
		c := tmpl[i]
		switch {
		case c == '{' && strings.HasPrefix(tmpl[i:], "{{"):
			lit.WriteByte('{')
			i += 2
			pos += 2
		case c == '}' && strings.HasPrefix(tmpl[i:], "}}"):
			lit.WriteByte('}')
			i += 2
			pos += 2
		case c == '}':
			return nil, &SyntaxError{Pos: pos + 1, Msg: "'}' without a matching '{' (write }} for a literal brace)"}
		case c == '{':
			f, n, err := parseField(tmpl[i:], pos+1)
			if err != nil {
				return nil, err
			}
			flush()
			parts = append(parts, f)
			pos += utf8.RuneCountInString(tmpl[i : i+n])
			i += n
		default:
			_, size := utf8.DecodeRuneInString(tmpl[i:])
			lit.WriteString(tmpl[i : i+size])
			i += size
			pos++
		}
	}
	flush()
	return parts, nil
}

// parseField reads one field at the start of s (which begins with '{') and
// returns it with the number of bytes it spans. start is the 1-based
// character position of the '{'.
func parseField(s string, start int) (part, int, error) {
	end := strings.IndexAny(s[1:], "{}")
	if end < 0 || s[1+end] == '{' {
		return part{}, 0, &SyntaxError{Pos: start, Msg: "'{' is never closed (write {{ for a literal brace)"}
	}
	inner := s[1 : 1+end]
	f := part{pos: start}
	name := inner
	if bar := strings.IndexByte(inner, '|'); bar >= 0 {
		name = inner[:bar]
		f.fallback, f.hasFallback = strings.TrimSpace(inner[bar+1:]), true
	}
	lead := len(name) - len(strings.TrimLeft(name, " "))
	name = strings.TrimSpace(name)
	if name == "" {
		return part{}, 0, &SyntaxError{Pos: start, Msg: "empty merge field name in {" + inner + "}"}
	}
	for j, r := range name {
		if !nameChar(r) {
			at := start + 1 + lead + utf8.RuneCountInString(name[:j])
			msg := fmt.Sprintf("%q is not allowed in merge field name %q (use lowercase letters, digits and _)", r, name)
			return part{}, 0, &SyntaxError{Pos: at, Msg: msg}
		}
	}
	if f.hasFallback && f.fallback == "" {
		return part{}, 0, &SyntaxError{Pos: start, Msg: "empty fallback in {" + inner + "}; give a fallback or remove the |"}
	}
	f.name = name
	return f, end + 2, nil
}

func nameChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_'
}
