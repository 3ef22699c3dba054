package postgres

import (
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// Checks PostgreSQL makes itself. A held statement whose success a count
// decides (a claim that must claim its contact, an insert that must store
// its row) used to be checked in Go, on its answer; but an answer comes
// back only after everything sent with it has run, a COMMIT included, so
// a group holding one paid a round trip of its own to commit (pipe.commit).
// Written so that PostgreSQL refuses the statement when the check fails,
// aborting the transaction, the COMMIT behind it is never run, and rides
// along. The refusals are PostgreSQL's own errors, not a function of ours:
// a function call per statement cost the writer more than the round trip
// saved (PERFORMANCE-LOG.md, "Fifteenth round").
const (
	// codeTooFew is division_by_zero: countChecked's statements divide by
	// the rows they wrote, and none of them divides otherwise.
	codeTooFew = "22012"
	// codeTaken is unique_violation: a held insert is written without ON
	// CONFLICT DO NOTHING (insertHeld).
	codeTaken = "23505"
)

// checkedPrefix opens, and checkedSuffix ends, every statement that
// checks its own count (countChecked, assignSQL): routes.go reads what
// they wrap as the write it is.
const (
	checkedPrefix = `WITH w AS (`
	checkedSuffix = ` FROM w`
)

// unwrapChecked is the write a statement checking its own count wraps, or
// the statement as it is.
func unwrapChecked(sql string) string {
	if strings.HasPrefix(sql, checkedPrefix) && strings.HasSuffix(sql, checkedSuffix) {
		return strings.TrimPrefix(sql, checkedPrefix)
	}
	return sql
}

// countChecked wraps a write (an INSERT or UPDATE without RETURNING, by a
// key: it writes one row or none) so that PostgreSQL refuses it with
// codeTooFew if it writes none. (Statements that must write n rows divide
// by (count(*) = n)::int instead: assignSQL, setStatusesHeldSQL.)
func countChecked(sql string) string {
	return checkedPrefix + sql + ` RETURNING 1) SELECT 1 / count(*)` + checkedSuffix
}

// heldInserts caches insertHeld's statements by the engine-neutral query.
var heldInserts sync.Map

// insertHeld is an INSERT ... ON CONFLICT DO NOTHING (q, engine-neutral)
// without the ON CONFLICT clause: held, it must store its row, and
// PostgreSQL refuses it with codeTaken if the row collides.
func insertHeld(q string) string {
	if v, ok := heldInserts.Load(q); ok {
		return v.(string)
	}
	s := rebind(q)
	i := strings.LastIndex(s, " ON CONFLICT DO NOTHING")
	if i < 0 || strings.TrimSpace(s[i+len(" ON CONFLICT DO NOTHING"):]) != "" {
		// Held with its clause, a collision would store nothing and say
		// nothing: a programming error, failing its fn (and the tests).
		panic("postgres: a held insert must end with ON CONFLICT DO NOTHING: " + q)
	}
	s = s[:i]
	heldInserts.Store(q, s)
	return s
}

// refusal is a held statement's check that PostgreSQL refused: the
// statement's own error (what a count checked in Go would have said), and
// PostgreSQL's, which says that the transaction is aborted.
type refusal struct {
	err error
	pg  *pgconn.PgError
}

func (r refusal) Error() string   { return r.err.Error() }
func (r refusal) Unwrap() []error { return []error{r.err, r.pg} }

// refusedAs names a refusal with SQLSTATE code err, and any other error
// nothing (it is reported as PostgreSQL's).
func refusedAs(code string, err error) func(string) error {
	return func(got string) error {
		if got == code {
			return err
		}
		return nil
	}
}
