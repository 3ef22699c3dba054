package contactcsv

// A row as read, before it is a Row: its cells kept, its number put in
// E.164 (the import's heaviest work, spread over the CPUs), and what is
// wrong with it.

import (
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/phone"
)

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type rawRow struct {
	line     int
	cells    []string
	phone    string // E.164 once normalised
	phoneErr error
	noZone   bool // the number's time zone is not known
}

// copyCells keeps a record the reader will overwrite, trimmed, in one
// allocation for all its cells (a 100,000-row import makes a million cells).
func copyCells(rec []string) []string {
	n := 0
	for _, c := range rec {
		n += len(c)
	}
	var b strings.Builder
	b.Grow(n)
	for _, c := range rec {
		b.WriteString(strings.TrimSpace(c))
	}
	all := b.String()
	out := make([]string, len(rec))
	off := 0
	for i, c := range rec {
		l := len(strings.TrimSpace(c))
		out[i] = all[off : off+l]
		off += l
	}
	return out
}

// normalizePhones puts every row's cell in E.164, spread over the CPUs:
// parsing numbers is most of an import's work.
func normalizePhones(raws []rawRow, cell int, opt Options) {
	region := opt.Region
	if region == "" {
		region = phone.DefaultRegion
	}
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(raws) + workers - 1) / workers
	if chunk < 1000 {
		chunk = 1000
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for start := 0; start < len(raws); start += chunk {
		part := raws[start:min(start+chunk, len(raws))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range part {
				r := &part[i]
				var zoned bool
				r.phone, zoned, r.phoneErr = phone.NormalizeZoned(r.cells[cell], region)
				r.noZone = r.phoneErr == nil && !zoned
				if opt.Progress != nil && (i+1)%5000 == 0 {
					mu.Lock()
					done += 5000
					opt.Progress(done)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if opt.Progress != nil {
		opt.Progress(len(raws))
	}
}

// excelShortened is how Excel shows a long number in a General cell, and
// saves it so in CSV: 2.17555E+09. The digits are gone for good.
var excelShortened = regexp.MustCompile(`^\d(\.\d+)?[eE]\+\d+$`)

func rowProblem(raw *rawRow, header []string, cols *columns) (Problem, bool) {
	// A contact import stores every cell, so any one too long or holding a
	// NUL leaves the row out. A list of numbers (Options.NumbersOnly)
	// stores the number alone: refusing a row for a note or a name beside
	// it would leave out a person who asked not to be texted.
	for i, v := range raw.cells {
		if cols.numbersOnly && i != cols.cell {
			continue
		}
		if n := utf8.RuneCountInString(v); n > MaxValue {
			return Problem{Line: raw.line, Column: header[i], Msg: fmt.Sprintf("%d characters; at most %d", n, MaxValue)}, true
		}
		if nulchar.In(v) {
			return Problem{Line: raw.line, Column: header[i], Msg: nulchar.Refusal}, true
		}
	}
	if raw.phoneErr != nil {
		msg := raw.phoneErr.Error()
		switch v := raw.cells[cols.cell]; {
		case v == "":
			msg = "no number"
		case excelShortened.MatchString(v):
			msg = fmt.Sprintf("%q is a number a spreadsheet shortened to scientific notation, losing its digits; "+
				"format the column as Text (or Number, 0 decimals) in the spreadsheet and save the file again", v)
		}
		return Problem{Line: raw.line, Column: header[cols.cell], Msg: msg}, true
	}
	return Problem{}, false
}

// SortProblems puts problems found at different times into line order,
// keeping the order of two on one line: ragged rows (found while reading)
// and bad values (found after) here, and the rows the server's importers
// refuse on top of Read's.
func SortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
}
