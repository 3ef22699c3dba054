package campaignfile

import (
	"bytes"
	"fmt"
	"regexp"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxPlacedLines and maxPlacedBytes bound the search for a syntax error's
// line: it parses the file once per line after the error (a 1 MB file of
// 2,000 lines took 25 s), and a campaign file is a few hundred lines.
const (
	maxPlacedLines = 2000
	maxPlacedBytes = 128 << 10
)

// syntaxProblem words a yaml syntax error on the line the mistake is on.
// yaml.v3 names the line where the block around the mistake starts,
// counted from 0 (a key or a comment above it, which looks fine), or for
// some mistakes the line where it gave up further down: one space too many
// before the second script on line 12 came back as "line 10: did not find
// expected '-' indicator". The line is found again as the first from which
// every longer start of the file fails to parse too: no line after it can
// be the mistake, since the file was already past mending there. The test
// is "every": a start of the file cut inside a quoted text that goes on
// below fails, but the next line closes it and parses, so it is not blamed.
func syntaxProblem(data []byte, err error) Problem {
	p := yamlProblem(err.Error())
	lines := bytes.SplitAfter(data, []byte("\n"))
	if utf16BOM(data) || len(lines) > maxPlacedLines || len(data) > maxPlacedBytes {
		return p
	}
	line := 1
	var before yaml.Node // the longest start of the file that parses
	for k := len(lines) - 1; k >= 1; k-- {
		var n yaml.Node
		if yaml.Unmarshal(bytes.Join(lines[:k], nil), &n) == nil {
			line, before = k+1, n
			break
		}
	}
	if open, ok := unclosedQuote(&before, lines, line); ok {
		return Problem{Line: open, Msg: fmt.Sprintf("a quote opened on this line is not closed on it; yaml read on to line %d and then %s", line, p.Msg)}
	}
	if opensQuote(lines[line-1]) {
		return Problem{Line: line, Msg: "a quote opened on this line is never closed (a text in quotes ends with the same quote)"}
	}
	p.Line = line
	if prev := contentAbove(lines, line); prev > 0 {
		p.Msg += fmt.Sprintf(" (compare the spaces at the start of this line with line %d's, and check its quotes and brackets)", prev)
	}
	return p
}

// opensQuote: the line holds a value in quotes that the line does not
// close (a comment's quotes are not values, nor an apostrophe in a word).
func opensQuote(line []byte) bool {
	for i := 0; i < len(line); i++ {
		c := line[i]
		after := i == 0 || bytes.IndexByte([]byte(" \t-:[{,"), line[i-1]) >= 0
		switch {
		case c == '#' && after:
			return false
		case (c == '"' || c == '\'') && after:
			end := closeIn(line, i+1, c == '"')
			if end < 0 {
				return true
			}
			i = end
		}
	}
	return false
}

// closeIn is the index in s of the quote that closes a quoted value whose
// text starts at from, or -1 if s does not close it.
func closeIn(s []byte, from int, double bool) int {
	for i := from; i < len(s); i++ {
		switch {
		case double && s[i] == '\\':
			i++
		case double && s[i] == '"':
			return i
		case !double && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case !double && s[i] == '\'':
			return i
		}
	}
	return -1
}

// structural is a line that reads as yaml's own: a comment, a key, an item.
var structural = regexp.MustCompile(`^\s*(#|- |[A-Za-z_][\w-]*:(\s|$))`)

// unclosedQuote finds a quoted value that a forgotten closing quote made
// run over lines that read as the file's own (comments, keys, items, no
// more indented than the line the quote opened on) up to a quote further
// down, ending before line (where yaml then failed): the line it opens on
// is the mistake. A quoted script that goes on over lines of text, more
// indented than its key or item ("Note: polls open at 7"), is not one.
func unclosedQuote(n *yaml.Node, lines [][]byte, line int) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && n.Line < line && n.Line <= len(lines) {
		opened := lines[n.Line-1]
		end := quoteEnd(lines, n.Line, byteColumn(opened, n.Column), n.Style&yaml.DoubleQuotedStyle != 0)
		for l := n.Line + 1; l <= end && l < line; l++ {
			if structural.Match(lines[l-1]) && indent(lines[l-1]) <= indent(opened) {
				return n.Line, true
			}
		}
	}
	for _, c := range n.Content {
		if l, ok := unclosedQuote(c, lines, line); ok {
			return l, true
		}
	}
	return 0, false
}

// indent is how many spaces a line starts with.
func indent(line []byte) int { return len(line) - len(bytes.TrimLeft(line, " ")) }

// byteColumn is the byte offset, plus one, of yaml's 1-based column (a
// count of characters) in line.
func byteColumn(line []byte, column int) int {
	b := 0
	for range column - 1 {
		if b >= len(line) {
			break
		}
		_, size := utf8.DecodeRune(line[b:])
		b += size
	}
	return b + 1
}

// quoteEnd is the line of the quote that closes the one at line:column.
func quoteEnd(lines [][]byte, line, column int, double bool) int {
	from := column // 1-based: the opening quote; its text starts after it
	for l := line; l <= len(lines); l++ {
		if closeIn(lines[l-1], from, double) >= 0 {
			return l
		}
		from = 0
	}
	return len(lines)
}

// contentAbove is the nearest line above line that holds more than spaces
// or a comment, 0 if none.
func contentAbove(lines [][]byte, line int) int {
	for l := line - 1; l >= 1 && l <= len(lines); l-- {
		t := bytes.TrimSpace(lines[l-1])
		if len(t) > 0 && t[0] != '#' {
			return l
		}
	}
	return 0
}

// indentedTop refuses a file whose first key is indented: yaml.v3 reads its
// top level at that indentation and silently drops every line after the
// first less indented one, so an indented "organization:" line above
// "campaign:" left a file with no campaign, refused for missing fields the
// organizer could see were there.
func indentedTop(root *yaml.Node) (Problem, bool) {
	if len(root.Content) == 0 || root.Content[0].Column <= 1 {
		return Problem{}, false
	}
	top := root.Content[0]
	return Problem{Line: top.Line, Msg: fmt.Sprintf("starts %d spaces in; the top-level keys (organization:, campaign:, actions:) start at the beginning of their lines", top.Column-1)}, true
}

func utf16BOM(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
}
