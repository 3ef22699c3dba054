package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pipe is a transaction's connection that holds back the statements whose
// answer nothing waits for (the write lock, savepoints, feed rows) and sends
// them in one batch with the next statement that needs an answer: one round
// trip instead of several. The server's writes run one group at a time, so
// a group commit lasts as many round trips as it sends (PERFORMANCE-LOG.md,
// "Load driver"); every one held back is throughput.
//
// A held statement's error is the error of the statement it rode with (or
// of flush), wrapped with what the held one was for, or, for a statement
// checking itself that PostgreSQL refused, the statement's own error
// (checks.go); PostgreSQL aborts the transaction at the first error, so
// nothing after it took effect.
type pipe struct {
	c         querier
	held      []held
	seq       int  // the next held statement's number
	sent      bool // something went out: the transaction has begun
	committed bool
	// fn is the number of the UpdateEach fn now running, given to what it
	// holds; failedFn is the fn whose held statement failed, -1 if none
	// did (UpdateEach, which lets a fn's held statements ride with the
	// next fn's, tells by it whose error an error is).
	fn, failedFn int
	failedErr    error               // failedFn's error
	sentHook     func(sqls []string) // Store.sent
	// spAt is where in held the running fn's savepoint goes if the fn
	// sends anything (-1: none waits); spTaken says it went out. In an
	// optimistic group (eachOnce) a fn that only holds statements needs no
	// savepoint: if it fails it sent nothing to undo, and if a statement it
	// held fails the whole group runs again, careful. Most fns are such
	// (a first text checked ahead, a provider's answer), and a savepoint
	// costs two statements and a subtransaction.
	spAt    int
	spTaken bool
	// onStmt, if set, is told of every statement held or sent (tx.wrote).
	onStmt func(sql string)
}

// savepointIfSent makes the running fn's savepoint go out with whatever
// the fn sends first, ahead of the fn's own held statements.
func (p *pipe) savepointIfSent() {
	p.spAt, p.spTaken = len(p.held), false
}

// savepointDone ends the running fn's pending savepoint and says whether
// it went out (its RELEASE, or ROLLBACK TO, is then owed).
func (p *pipe) savepointDone() bool {
	taken := p.spTaken
	p.spAt, p.spTaken = -1, false
	return taken
}

// unsent says nothing, not even a pending savepoint, waits to go out.
func (p *pipe) unsent() bool { return len(p.held) == 0 && p.spAt < 0 }

// querier is what a pipe sends through: a pooled connection, on which the
// transaction is begun by a held BEGIN (so that it rides with the first
// statement, and the COMMIT with the last ones).
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

type held struct {
	seq  int
	fn   int    // pipe.fn when it was held
	what string // for the error: "append 3 rows to the feed"
	sql  string
	args []any
	// check turns an answer PostgreSQL took for success into the
	// statement's error; nil: none. Only COMMIT has one, and it must stay
	// so: a check in Go sees the answer after everything sent with it has
	// run, the COMMIT included, which would commit what the check refuses.
	// A statement whose success a count decides checks itself (checks.go).
	check func(pgconn.CommandTag) error
	// refused turns PostgreSQL's refusal of a statement that checks itself
	// (checks.go) into the statement's error; nil: not such a refusal.
	refused func(code string) error
	// scan, if set, reads the statement's rows when its answer comes back
	// (holdQuery), and closes them. PostgreSQL's refusal of the statement
	// comes through the rows; in a write transaction scan must not fail
	// otherwise, since by then everything sent with the statement has run,
	// COMMIT perhaps included (an error that is not PostgreSQL's is taken
	// for a lost connection). A read-only transaction's deferred reads
	// (DeferReads) may: their error is the read's, and nothing was written.
	scan func(pgx.Rows) error
}

// hold queues a statement to go with the next one sent.
func (p *pipe) hold(what, sql string, args ...any) {
	p.holdHeld(held{what: what, sql: sql, args: args})
}

// holdRefusable queues a statement that checks its own count
// (countChecked): PostgreSQL refuses it when the check fails, and refused
// names that failure by its SQLSTATE.
func (p *pipe) holdRefusable(what, sql string, refused func(code string) error, args ...any) {
	p.holdHeld(held{what: what, sql: sql, args: args, refused: refused})
}

// holdQuery queues a statement whose rows scan reads when they come back:
// its caller needs them only once the transaction has committed (a held
// claim), or once it flushes (a read-only transaction's deferred reads).
func (p *pipe) holdQuery(what, sql string, scan func(pgx.Rows) error, args ...any) {
	p.holdHeld(held{what: what, sql: sql, args: args, scan: scan})
}

// holdHeld queues h as the running fn's next statement.
func (p *pipe) holdHeld(h held) {
	p.told(h.sql)
	h.seq, h.fn = p.seq, p.fn
	p.held = append(p.held, h)
	p.seq++
}

// mark numbers the next statement held; heldSince says whether any held
// from mark on is still unsent, and dropFrom takes those back (what a fn
// held before it failed).
func (p *pipe) mark() int { return p.seq }

func (p *pipe) heldSince(mark int) bool {
	return len(p.held) > 0 && p.held[len(p.held)-1].seq >= mark
}

func (p *pipe) dropFrom(mark int) {
	for len(p.held) > 0 && p.held[len(p.held)-1].seq >= mark {
		p.held = p.held[:len(p.held)-1]
	}
}

// commit sends what is held and COMMIT. PostgreSQL answers COMMIT of a
// transaction an error aborted with ROLLBACK, not an error: that is one.
func (p *pipe) commit(ctx context.Context) error {
	p.holdHeld(held{what: "commit", sql: `COMMIT`, check: func(tag pgconn.CommandTag) error {
		if tag.String() != "COMMIT" {
			return fmt.Errorf("commit: the transaction was rolled back (%s)", tag)
		}
		return nil
	}})
	if err := p.flush(ctx); err != nil {
		return err
	}
	p.committed = true
	return nil
}

// flush sends what is held, if anything.
func (p *pipe) flush(ctx context.Context) error {
	if p.unsent() {
		return nil
	}
	br, err := p.send(ctx, nil)
	if err != nil {
		return err
	}
	return br.Close()
}

// send sends the held statements and then q (if not nil) in one batch, and
// reads the held ones' results; the caller reads q's and closes br.
func (p *pipe) send(ctx context.Context, q *pgx.QueuedQuery) (pgx.BatchResults, error) {
	if p.spAt >= 0 {
		sp := held{seq: -1, fn: p.fn, what: "savepoint", sql: `SAVEPOINT each`}
		p.held = append(p.held[:p.spAt], append([]held{sp}, p.held[p.spAt:]...)...)
		p.spAt, p.spTaken = -1, true
	}
	b := &pgx.Batch{}
	for _, h := range p.held {
		b.Queue(h.sql, h.args...)
	}
	if q != nil {
		b.QueuedQueries = append(b.QueuedQueries, q)
	}
	hs := p.held
	p.held = nil
	p.sent = true
	p.roundTrip(b.QueuedQueries...)
	br := p.c.SendBatch(ctx, b)
	for _, h := range hs {
		var tag pgconn.CommandTag
		var err error
		if h.scan != nil {
			rows, _ := br.Query() // its error is rows'
			err = h.scan(rows)
		} else {
			tag, err = br.Exec()
		}
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				// PostgreSQL refused it (an error with no answer, the
				// connection lost, is not the statement's).
				p.failedFn = h.fn
				if h.refused != nil {
					if rerr := h.refused(pe.Code); rerr != nil {
						_ = br.Close()
						p.failedErr = refusal{err: rerr, pg: pe}
						return nil, p.failedErr
					}
				}
			}
			_ = br.Close()
			p.failedErr = fmt.Errorf("%s: %w", h.what, err)
			return nil, p.failedErr
		}
		if h.check != nil {
			if err := h.check(tag); err != nil {
				// PostgreSQL ran the rest; the caller rolls it all back
				// (a savepoint's fn, or the whole transaction).
				p.failedFn, p.failedErr = h.fn, err
				_ = br.Close()
				return nil, err
			}
		}
	}
	return br, nil
}

func (p *pipe) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	p.told(sql)
	if p.unsent() {
		p.sent = true
		p.roundTrip(&pgx.QueuedQuery{SQL: sql})
		return p.c.Exec(ctx, sql, args...)
	}
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (p *pipe) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	p.told(sql)
	if p.unsent() {
		p.sent = true
		p.roundTrip(&pgx.QueuedQuery{SQL: sql})
		return p.c.Query(ctx, sql, args...)
	}
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (p *pipe) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	p.told(sql)
	if p.unsent() {
		p.sent = true
		p.roundTrip(&pgx.QueuedQuery{SQL: sql})
		return p.c.QueryRow(ctx, sql, args...)
	}
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return errRow{err}
	}
	return batchRow{row: br.QueryRow(), br: br}
}

func (p *pipe) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	p.told("COPY " + table.Sanitize())
	if err := p.flush(ctx); err != nil {
		return 0, err
	}
	p.sent = true
	p.roundTrip(&pgx.QueuedQuery{SQL: "COPY " + table.Sanitize()})
	return p.c.CopyFrom(ctx, table, cols, src)
}

// batchRows closes its batch with the rows, freeing the connection.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	_ = r.br.Close()
}

type batchRow struct {
	row pgx.Row
	br  pgx.BatchResults
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// told tells onStmt of a statement.
func (p *pipe) told(sql string) {
	if p.onStmt != nil {
		p.onStmt(sql)
	}
}

// roundTrip tells Store.sent (tests) of a round trip and its statements.
func (p *pipe) roundTrip(qs ...*pgx.QueuedQuery) {
	if p.sentHook == nil {
		return
	}
	sqls := make([]string, len(qs))
	for i, q := range qs {
		sqls[i] = q.SQL
	}
	p.sentHook(sqls)
}
