package contactcsv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/script"
)

// columns are the positions of the known columns (-1 when absent) and of
// the custom ones.
type columns struct {
	first, last, cell, zip, ext int
	// optedOutAt: an opt-out list's time column (numbersOnly alone).
	optedOutAt int
	custom     []customCol
	// numbersOnly: only the cell column is read (Options.NumbersOnly).
	numbersOnly bool
}

type customCol struct {
	index int
	name  string
}

func (c *columns) row(raw *rawRow) Row {
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return raw.cells[i]
	}
	r := Row{Line: raw.line, FirstName: get(c.first), LastName: get(c.last), Phone: raw.phone, NoTimeZone: raw.noZone, Zip: get(c.zip), ExternalID: get(c.ext)}
	for _, cc := range c.custom {
		if v := raw.cells[cc.index]; v != "" {
			if r.Fields == nil {
				r.Fields = make(map[string]string, len(c.custom))
			}
			r.Fields[cc.name] = v
		}
	}
	return r
}

// mapHeader finds the known columns; numbersOnly needs the cell column
// alone and leaves every other column unread.
func mapHeader(header []string, res *Result, numbersOnly bool) (*columns, error) {
	if len(header) > MaxColumns {
		return nil, &FileError{Line: 1, Msg: fmt.Sprintf("the header has %d columns; at most %d", len(header), MaxColumns)}
	}
	cols := &columns{first: -1, last: -1, cell: -1, zip: -1, ext: -1, optedOutAt: -1, numbersOnly: numbersOnly}
	slot := map[string]*int{script.FirstName: &cols.first, script.LastName: &cols.last, CellColumn: &cols.cell, script.Zip: &cols.zip,
		ExternalIDColumn: &cols.ext}
	squashed := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if nulchar.In(h) {
			// squash would drop it and read "c\x00e\x00l\x00l" as cell.
			return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %d, %q, %s (a file saved as UTF-16 without a BOM has one after every letter: save it as \"CSV UTF-8\")",
				i+1, h, nulchar.Refusal)}
		}
		header[i] = h
		squashed[i] = squash(h)
	}
	header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	used := make([]bool, len(header))
	for _, a := range aliases {
		for _, name := range a.names {
			for i, sq := range squashed {
				if !used[i] && sq == name && *slot[a.field] < 0 {
					*slot[a.field] = i
					used[i] = true
					res.Columns[a.field] = header[i]
				}
			}
		}
	}
	if cols.cell < 0 {
		return nil, &FileError{Line: 1, Msg: fmt.Sprintf("no cell phone column: the header has %s; name the numbers' column cell, Cell Phone, phone or mobile",
			quoteList(header))}
	}
	if numbersOnly {
		// The same column twice, or another phone column (cell and home):
		// only one column's numbers are read, and the other's would be left
		// out of the opt-outs without a word.
		for i, sq := range squashed {
			switch {
			case i == cols.cell:
			case sq == squashed[cols.cell]:
				return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %d, %q, repeats column %d, %q, which is read as the numbers; remove or rename one",
					i+1, header[i], cols.cell+1, header[cols.cell])}
			case slices.Contains(cellNames(), sq):
				return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %d, %q, is a second column of phone numbers beside column %d, %q, and only one is read; "+
					"remove or rename one, and import the other's numbers in a file of their own", i+1, header[i], cols.cell+1, header[cols.cell])}
			}
		}
		// The time each number opted out, when the list gives it: moved
		// from another tool, the record keeps its own date.
		for _, name := range optedOutAtNames {
			if i := slices.Index(squashed, name); i >= 0 && i != cols.cell {
				cols.optedOutAt = i
				res.Columns[OptedOutAtColumn] = header[i]
				break
			}
		}
		return cols, nil
	}
	if cols.first < 0 && cols.last < 0 {
		return nil, &FileError{Line: 1, Msg: fmt.Sprintf("no name columns: the header has %s; name them first name and last name (FirstName, first_name, First...)",
			quoteList(header))}
	}
	firstUse := map[string]string{}
	for i, h := range header {
		if used[i] || h == "" {
			continue // an unnamed column carries nothing a script could name
		}
		name := fieldName(h)
		if j := slices.Index(squashed[:i], squashed[i]); j >= 0 && used[j] {
			// Said plainly: as a merge field it would be "reserved", which
			// hides that the file simply has the column twice.
			return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %d, %q, repeats column %d, %q, which is read as the contacts' %s; remove or rename one",
				i+1, h, j+1, header[j], knownLabel(header[j], res))}
		}
		switch {
		case name == "":
			return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %q has no letters or digits to make a merge field name from; rename it", h)}
		case contains(reserved, name):
			return nil, &FileError{Line: 1, Msg: fmt.Sprintf("column %q would be the merge field {%s}, which Textbank fills itself; rename or remove the column", h, name)}
		case firstUse[name] != "":
			return nil, &FileError{Line: 1, Msg: fmt.Sprintf("columns %q and %q would both be the merge field {%s}; rename one", firstUse[name], h, name)}
		}
		firstUse[name] = h
		cols.custom = append(cols.custom, customCol{index: i, name: name})
		res.Fields = append(res.Fields, name)
		res.Columns[name] = h
	}
	return cols, nil
}

// cellNames are the squashed headers read as a phone number column.
func cellNames() []string {
	for _, a := range aliases {
		if a.field == CellColumn {
			return a.names
		}
	}
	return nil
}

// squash keeps lower-case letters and digits: "Cell Phone" and "cell_phone"
// both become "cellphone".
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fieldName makes a merge field name of a header: "Polling Place" is
// polling_place.
func fieldName(h string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(h) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	s := b.String()
	if len(s) > MaxFieldName {
		s = strings.TrimRight(s[:MaxFieldName], "_")
	}
	return s
}

// knownLabel names the standard column a header was read as.
func knownLabel(h string, res *Result) string {
	for _, a := range aliases {
		if res.Columns[a.field] == h {
			return strings.ReplaceAll(a.field, "_", " ")
		}
	}
	return "column"
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
