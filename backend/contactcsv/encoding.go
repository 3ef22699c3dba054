package contactcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decode strips a UTF-8 BOM and converts Windows-1252 (what Excel writes
// for "CSV (Comma delimited)") to UTF-8; UTF-16 is refused.
func decode(data []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if line := invalidUTF8Line(data); line > 0 {
			return nil, "", &FileError{Line: line, Msg: "the file starts as UTF-8 but this line is not valid UTF-8; save it again as \"CSV UTF-8\""}
		}
		return data, "UTF-8 with BOM", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, "", &FileError{Msg: "the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\""}
	case utf8.Valid(data):
		return data, "UTF-8", nil
	}
	line := invalidUTF8Line(data)
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, "", &FileError{Line: line, Msg: "the file is not text (it has NUL bytes); export the list as CSV"}
	}
	conv, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(conv, utf8.RuneError) {
		return nil, "", &FileError{Line: line, Msg: "the file is neither UTF-8 nor Windows-1252 text; save it as \"CSV UTF-8\""}
	}
	return conv, "Windows-1252 (converted)", nil
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return 0
}

// delimiter is ',' unless the header line has none and has ';' (Excel in
// much of Europe) or a tab.
func delimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	// Only separators outside quotes count: a semicolon file's header may
	// hold "Town, State", and read as commas it fails on a bare quote.
	var seen [3]bool // comma, semicolon, tab
	quoted := false
	for _, b := range first {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			seen[0] = true
		case b == ';':
			seen[1] = true
		case b == '\t':
			seen[2] = true
		}
	}
	switch {
	case seen[0]:
		return ','
	case seen[1]:
		return ';'
	case seen[2]:
		return '\t'
	}
	return ','
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FileError{Line: pe.Line, Msg: fmt.Sprintf("column %d: %v (a quote inside a value must be doubled: \"\")", pe.Column, pe.Err)}
	}
	return fmt.Errorf("read contacts: %w", err)
}
