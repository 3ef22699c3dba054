// Package contactcsv reads the contact lists organizers export from VAN,
// Spoke, NGP or a spreadsheet: it finds the name, cell, zip and external id
// columns under their usual spellings, turns every other column into a
// merge field, puts numbers in E.164, and names each bad row by line,
// column and reason. It reads opt-out lists from other tools by the same
// rules (Options.NumbersOnly). It reads; deciding what to store is the
// caller's.
package contactcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/textbank/textbank/backend/script"
)

// Limits.
const (
	// MaxValue is the longest cell accepted, in characters.
	MaxValue = 500
	// MaxColumns bounds the header.
	MaxColumns = 200
	// MaxBytes bounds a file (about two million contacts).
	MaxBytes = 512 << 20
	// MaxFieldName is the longest merge field name a column makes, in
	// characters (lowercase letters, digits and _); a campaign file's
	// contact_fields are held to it too.
	MaxFieldName = 40
)

// Options configure Read.
type Options struct {
	// Region is the CLDR region for numbers written without a country code
	// ("US" if empty).
	Region string
	// Progress, if set, is called now and then with the data rows checked.
	Progress func(rows int)
	// NumbersOnly reads a list of numbers (an opt-out list from another
	// tool): only the cell column is needed, read and checked; the others,
	// names included, are ignored rather than made merge fields, and what
	// they hold (a NUL, an overlong note) does not leave a row out.
	NumbersOnly bool
	// Now bounds a list's opt-out times (ParseOptedOutAt); zero: unbounded.
	Now time.Time
	// KeepNameCase keeps names as the file writes them; otherwise a name
	// all in capitals or all in lower case is written as a name (NameCase).
	KeepNameCase bool
}

// OptedOutAtColumn is Result.Columns' key for an opt-out list's time column.
const OptedOutAtColumn = "opted_out_at"

// Result.Columns' keys for the standard columns that are not merge fields
// (the others are script.FirstName, LastName and Zip); no custom column may
// take their names, and the server's exports head the same columns so.
const (
	CellColumn       = "cell"
	ExternalIDColumn = "external_id"
)

// Row is one valid contact.
type Row struct {
	Line      int // line of the file the row starts on
	FirstName string
	LastName  string
	Phone     string // E.164
	// NoTimeZone: no local time can be known for Phone (a freephone +800
	// number), so no texting hours short of the whole day can let it be
	// texted (the import refuses it then).
	NoTimeZone bool
	Zip        string
	ExternalID string
	Fields     map[string]string // custom columns by merge field name; empty values left out
	// OptedOutAt: when the number opted out, as an opt-out list's time
	// column gives it (Options.NumbersOnly); zero when it gives none or one
	// not read (Result.BadTimes).
	OptedOutAt time.Time
	// Recased: "IDA WELLS is Ida Wells" when NameCase rewrote the names,
	// else "": an import counts the rows it stores, not those it skips.
	Recased string
}

// Problem is one bad row.
type Problem struct {
	Line   int
	Column string // the header's name of the column at fault; "" for the row
	Msg    string
}

func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return fmt.Sprintf("line %d, column %q: %s", p.Line, p.Column, p.Msg)
}

// Result is what a file held.
type Result struct {
	Encoding string // "UTF-8", "UTF-8 with BOM" or "Windows-1252 (converted)"
	// Columns maps each recognised column to its header name: by
	// script.FirstName, LastName and Zip, CellColumn, ExternalIDColumn, and
	// each custom merge field.
	Columns map[string]string
	// Fields are the custom merge field names, in file order.
	Fields     []string
	Rows       []Row     // valid rows, the first of each number only
	Invalid    []Problem // rows left out, in file order
	Duplicates int       // rows whose number an earlier row has
	Repeated   []Repeat  // those rows, in file order
	Total      int       // data rows read (blank lines not counted)
	// BadTimes are the rows of an opt-out list whose time was not read
	// (ParseOptedOutAt), in file order. They stay in Rows, without a time:
	// a person who asked not to be texted is never left out for a date.
	BadTimes []Problem
	// Untimed counts the rows of an opt-out list with a time column whose
	// cell is empty: opted out as of the import, which a summary must say
	// (every time read would be the wrong words for them).
	Untimed int
}

// Repeat is a row left out because an earlier row has its number.
type Repeat struct {
	Line      int // the row left out
	FirstLine int // the row kept
}

func (r Repeat) String() string {
	return fmt.Sprintf("line %d: the same number as line %d", r.Line, r.FirstLine)
}

// FileError is a problem with the whole file: nothing in it can be used.
type FileError struct {
	Line int // 0 when not about one line
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// The columns every import understands, and the header spellings (lower
// case, letters and digits only) that name them.
var aliases = []struct {
	field string
	names []string
}{
	{script.FirstName, []string{"firstname", "first", "fname", "givenname", "forename", "namefirst"}},
	{script.LastName, []string{"lastname", "last", "lname", "surname", "familyname", "namelast"}},
	// Earlier spellings win when a file has several: a "Cell Phone" column
	// beats a general "Phone" one (which then becomes a merge field).
	{CellColumn, []string{"cell", "cellphone", "cellphonenumber", "cellnumber", "mobile", "mobilephone", "mobilenumber",
		"wirelessphone", "phone", "phonenumber", "preferredphone", "number"}},
	{script.Zip, []string{"zip", "zipcode", "zip5", "postalcode", "postcode", "postal"}},
	{ExternalIDColumn, []string{"externalid", "vanid", "voterfilevanid", "myvoterid", "voterid", "personid", "contactid", "id"}},
}

// Headings names, for messages, the usual headers of the name and zip
// columns (the merge fields a file may lack a column for); "" for any
// other field.
func Headings(field string) string {
	switch field {
	case script.FirstName:
		return "First Name, FirstName or First"
	case script.LastName:
		return "Last Name, LastName or Surname"
	case script.Zip:
		return "Zip, Zip5, Zip Code or Postal Code"
	}
	return ""
}

// reserved are merge fields a custom column may not take: Textbank's own
// and the standard columns'.
var reserved = append(script.StandardFields(), CellColumn, ExternalIDColumn)

// Read reads a whole CSV. It returns a *FileError when the file cannot be
// used at all (encoding, header, a missing cell column, no rows), and
// otherwise a Result whose Invalid lists the rows left out.
func Read(r io.Reader, opt Options) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, &FileError{Msg: fmt.Sprintf("the file is larger than %d MB; split it", MaxBytes>>20)}
	}
	res := &Result{Columns: map[string]string{}}
	if data, res.Encoding, err = decode(data); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &FileError{Msg: "the file is empty; the first line must be a header naming " + wantedColumns(opt)}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(err)
	}
	header = copyCells(header) // the reader reuses its record
	cols, err := mapHeader(header, res, opt.NumbersOnly)
	if err != nil {
		return nil, err
	}

	var raws []rawRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			// A blank line, or one of separators only (",,,"): Excel leaves
			// such rows where cells were cleared; they hold no contact.
			continue
		}
		res.Total++
		if len(rec) != len(header) {
			res.Invalid = append(res.Invalid, Problem{Line: line,
				Msg: fmt.Sprintf("%d cells, but the header has %d columns", len(rec), len(header))})
			continue
		}
		raws = append(raws, rawRow{line: line, cells: copyCells(rec)})
	}
	if res.Total == 0 {
		return nil, &FileError{Line: 1, Msg: "the file has a header but no " + rowsNoun(opt)}
	}
	normalizePhones(raws, cols.cell, opt)

	seen := make(map[string]int, len(raws)) // number -> line of its first row
	for i := range raws {
		raw := &raws[i]
		if p, ok := rowProblem(raw, header, cols); ok {
			res.Invalid = append(res.Invalid, p)
			continue
		}
		if first, dup := seen[raw.phone]; dup {
			res.Duplicates++
			res.Repeated = append(res.Repeated, Repeat{Line: raw.line, FirstLine: first})
			continue
		}
		seen[raw.phone] = raw.line
		row := cols.row(raw)
		if !opt.NumbersOnly && !opt.KeepNameCase {
			recase(&row)
		}
		if i := cols.optedOutAt; i >= 0 && raw.cells[i] == "" {
			res.Untimed++
		} else if i >= 0 {
			at, err := ParseOptedOutAt(raw.cells[i], opt.Now)
			if err != nil {
				res.BadTimes = append(res.BadTimes, Problem{Line: raw.line, Column: header[i], Msg: err.Error()})
			}
			row.OptedOutAt = at
		}
		res.Rows = append(res.Rows, row)
	}
	SortProblems(res.Invalid)
	return res, nil
}

// wantedColumns are the columns a file must have, for its errors.
func wantedColumns(opt Options) string {
	if opt.NumbersOnly {
		return "a cell (or phone) column"
	}
	return "first name, last name and cell columns"
}

func rowsNoun(opt Options) string {
	if opt.NumbersOnly {
		return "numbers"
	}
	return "contacts"
}
