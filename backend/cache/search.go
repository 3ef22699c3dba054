package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// searchKey is what a search is finally checked against (LIKE): the name in
// lower case and the number as bare digits, so "555 0101" finds "+15550101".
func searchKey(name, phone string) string {
	return strings.ToLower(name) + " | " + digits(phone)
}

// searchTokens are a thread's full-text tokens: every suffix of every word
// of its name and of its number's digits, so any substring of a word is a
// token prefix.
func searchTokens(name, phone string) string {
	var out []string
	add := func(word string) {
		r := []rune(word)
		for i := range r {
			out = append(out, string(r[i:]))
		}
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(name), notWordRune) {
		add(w)
	}
	add(digits(phone))
	slices.Sort(out)
	return strings.Join(slices.Compact(out), " ")
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// search is what the volunteer typed, ready for the two ways of finding it.
type search struct {
	like  string // LIKE pattern over threads.search
	match string // FTS query over thread_search; "" when q has no word to look up
	tiny  bool   // one or two characters: the full-text index would list most threads
}

// parseSearch: a query of digits and phone punctuation searches numbers,
// anything else names.
func parseSearch(q string) (search, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return search{}, false
	}
	isNumber := strings.IndexFunc(q, func(r rune) bool {
		return !(unicode.IsDigit(r) || strings.ContainsRune("+-() .", r))
	}) < 0
	if isNumber && digits(q) != "" {
		q = digits(q)
	} else {
		q = strings.ToLower(q)
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	s := search{like: "%" + r.Replace(q) + "%", tiny: len([]rune(q)) <= 2}
	words := strings.FieldsFunc(q, notWordRune)
	if len(words) > 0 {
		// Words are letters and digits only, so nothing in them is FTS
		// syntax (operators are upper case; q is lower case).
		for i, w := range words {
			words[i] = w + "*"
		}
		s.match = strings.Join(words, " ")
	}
	return s, true
}

// rebuildSearch indexes every thread for search, once, after the migration
// that added the index.
func rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'search_index'`).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && state != "rebuild") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read search index state: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM thread_search`); err != nil {
		return fmt.Errorf("clear search index: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, contact_name, contact_phone FROM threads`)
	if err != nil {
		return fmt.Errorf("index threads for search: %w", err)
	}
	type entry struct {
		rowid  int64
		tokens string
	}
	var all []entry
	for rows.Next() {
		var e entry
		var name, phone string
		if err := rows.Scan(&e.rowid, &name, &phone); err != nil {
			rows.Close()
			return fmt.Errorf("index threads for search: %w", err)
		}
		e.tokens = searchTokens(name, phone)
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index threads for search: %w", err)
	}
	for _, e := range all {
		if _, err := tx.ExecContext(ctx, `INSERT INTO thread_search(docid, tokens) VALUES (?, ?)`, e.rowid, e.tokens); err != nil {
			return fmt.Errorf("index threads for search: %w", err)
		}
	}
	return setMeta(ctx, tx, "search_index", "ok")
}
