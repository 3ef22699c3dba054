// Package benchbase holds what the BenchmarkTable* benchmarks of the cache
// and of the server share: realistic contact names, percentiles, and the raw
// SQLite baselines every figure is compared with in the same run.
package benchbase

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/cache"
)

var (
	firstNames = strings.Fields(`Ada Alan Grace Edsger Barbara Donald Margaret Ken Dennis Frances Radia Linus
		John Mary Maria James Robert Patricia Jennifer Michael Linda William Elizabeth David Susan Richard Jessica
		Joseph Sarah Thomas Karen Charles Nancy Christopher Lisa Daniel Betty Matthew Sandra Anthony Ashley Mark
		Kimberly Paul Emily Steven Donna Andrew Michelle Joshua Carol Kevin Amanda Brian Melissa George Deborah
		Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy Gary
		Kathleen Nicholas Angela Eric Shirley Jonathan Brenda Stephen Emma Larry Anna Justin Pamela Scott Nicole
		Brandon Samantha Benjamin Katherine Samuel Christine Gregory Helen Alexander Debra Patrick Rachel Frank
		Carolyn Raymond Janet Jack Maria Dennis Catherine Jerry Heather Tyler Diane Aaron Olivia Jose Julie`)
	lastNames = strings.Fields(`Lovelace Turing Hopper Dijkstra Liskov Knuth Hamilton Thompson Ritchie Allen
		Perlman Torvalds Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
		Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
		Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson
		Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards
		Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed
		Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz
		Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez`)
)

// Name is the i-th contact's name: about 15,000 distinct first/last pairs,
// so a search by part of a name finds tens to thousands of threads, as in
// a real campaign.
func Name(r *rand.Rand) string {
	return firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
}

// Phone is the i-th contact's number (E.164, unique per i). Line numbers
// 0100-0199 are skipped: the demo's contacts hold 555-01xx numbers (the
// range set aside for fiction), and a fixture seeded beside the demo
// collided with one at i = 60,109.
func Phone(i int) string {
	line := i % 9900
	if line >= 100 {
		line += 100
	}
	return fmt.Sprintf("+1%03d555%04d", 200+i/9900%800, line)
}

// Searches are what a volunteer types: a first-name prefix, the middle of
// a last name, a full name, the last four digits and a whole number.
func Searches(r *rand.Rand, n int) []string {
	out := make([]string, 0, n)
	for len(out) < n {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		i := r.IntN(n * 10)
		switch len(out) % 5 {
		case 0:
			out = append(out, strings.ToLower(first[:3]))
		case 1:
			out = append(out, last[1:min(len(last), 5)])
		case 2:
			out = append(out, first+" "+last)
		case 3:
			out = append(out, Phone(i)[8:])
		case 4:
			out = append(out, Phone(i)[2:])
		}
	}
	return out
}

// Percentile is the p-th percentile (0 < p <= 100) of the samples.
func Percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Samples are the times of repeated runs of one operation: wall clock, and
// the CPU time of the thread that ran it where the kernel's task clock can
// be read (Linux). A wall time far above its CPU time was spent waiting for
// a core, not working.
type Samples struct {
	Wall, CPU []time.Duration
}

// Time runs fn once on one OS thread and records its times.
func (s *Samples) Time(fn func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	clock, ok := openThreadClock()
	if ok {
		defer clock.close()
	}
	c0 := clock.read()
	start := time.Now()
	err := fn()
	s.Wall = append(s.Wall, time.Since(start))
	if ok {
		s.CPU = append(s.CPU, clock.read()-c0)
	}
	return err
}

// Report puts the p99 and p50 of s and of base into the benchmark's result
// (p99-ms, p50-ms, each with its base- twin), and the p99 of their CPU
// times (cpu-p99-ms) where both have them. On a loaded machine the p99 is
// mostly waiting for a core; the p50 then shows the typical cost, and the
// CPU p99 the cost of the slowest runs themselves.
func (s *Samples) Report(b *testing.B, base *Samples) {
	b.ReportMetric(Ms(Percentile(s.Wall, 99)), "p99-ms")
	b.ReportMetric(Ms(Percentile(base.Wall, 99)), "base-p99-ms")
	b.ReportMetric(Ms(Percentile(s.Wall, 50)), "p50-ms")
	b.ReportMetric(Ms(Percentile(base.Wall, 50)), "base-p50-ms")
	if len(s.CPU) > 0 && len(base.CPU) > 0 {
		b.ReportMetric(Ms(Percentile(s.CPU, 99)), "cpu-p99-ms")
		b.ReportMetric(Ms(Percentile(base.CPU, 99)), "base-cpu-p99-ms")
	}
}

// Run is one timed run of a bulk operation: wall clock and the CPU time of
// the whole process (0 where it cannot be measured).
type Run struct{ Wall, CPU time.Duration }

// TimeRun times fn.
func TimeRun(fn func() error) (Run, error) {
	c0, ok0 := processCPU()
	start := time.Now()
	err := fn()
	r := Run{Wall: time.Since(start)}
	if c1, ok1 := processCPU(); ok0 && ok1 {
		r.CPU = c1 - c0
	}
	return r, err
}

// ReportRate puts n items per second of run and of base into the result
// as unit and base-unit, and per CPU second as cpu-unit (see Samples for
// why both).
func ReportRate(b *testing.B, n int, unit string, run, base Run) {
	b.ReportMetric(float64(n)/run.Wall.Seconds(), unit)
	b.ReportMetric(float64(n)/base.Wall.Seconds(), "base-"+unit)
	if run.CPU > 0 && base.CPU > 0 {
		b.ReportMetric(float64(n)/run.CPU.Seconds(), "cpu-"+unit)
		b.ReportMetric(float64(n)/base.CPU.Seconds(), "base-cpu-"+unit)
	}
}

// Ms is a duration in milliseconds, the unit the table's latencies use.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// OpenRaw opens a cache file with a plain database/sql handle and the cache's
// own connection settings, for baselines that bypass the cache's code.
func OpenRaw(path string) (*sql.DB, error) {
	return cache.OpenDB(path), nil
}

// derivedTables are filled by triggers from the others; a raw copy leaves
// them to the triggers, as the cache does.
var derivedTables = map[string]bool{"thread_counts": true, "goose_db_version": true, "meta": true}

// RawInsert measures the floor of applying sync pages: every row the cache
// at srcPath holds (threads, messages, search keys...) inserted into a fresh
// cache schema (same indexes and triggers) with prepared INSERTs, committing
// every rowsPerTx rows as sync commits a page. It returns the time taken.
func RawInsert(ctx context.Context, srcPath, dstDir string, rowsPerTx int) (Run, error) {
	c, err := cache.Open(ctx, dstDir)
	if err != nil {
		return Run{}, err
	}
	if err := c.Close(); err != nil {
		return Run{}, err
	}
	src, err := OpenRaw(srcPath)
	if err != nil {
		return Run{}, err
	}
	defer src.Close()
	dst, err := OpenRaw(filepath.Join(dstDir, cache.FileName))
	if err != nil {
		return Run{}, err
	}
	defer dst.Close()
	dst.SetMaxOpenConns(1)
	tables, err := tableNames(ctx, src)
	if err != nil {
		return Run{}, err
	}
	// Load first so the clock runs on inserting only.
	type table struct {
		name, insert string
		rows         [][]any
	}
	var loaded []table
	for _, tbl := range tables {
		name := tbl.name
		cols, rows, err := readAll(ctx, src, name, tbl.virtual)
		if err != nil {
			return Run{}, err
		}
		loaded = append(loaded, table{name: name, rows: rows,
			insert: fmt.Sprintf("INSERT INTO %s(%s) VALUES (%s)", name, strings.Join(cols, ", "),
				strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))})
	}
	runtime.GC()
	return TimeRun(func() error {
		for _, t := range loaded {
			for from := 0; from < len(t.rows); from += rowsPerTx {
				if err := insertRows(ctx, dst, t.insert, t.rows[from:min(from+rowsPerTx, len(t.rows))]); err != nil {
					return fmt.Errorf("raw insert into %s: %w", t.name, err)
				}
			}
		}
		return nil
	})
}

type tableName struct {
	name    string
	virtual bool // a full-text table: copied through its own INSERT, not its shadow tables
}

func tableNames(ctx context.Context, db *sql.DB) ([]tableName, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []tableName
	for rows.Next() {
		var t tableName
		if err := rows.Scan(&t.name, &t.virtual); err != nil {
			return nil, err
		}
		all = append(all, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []tableName
	for _, t := range all {
		shadow := slices.ContainsFunc(all, func(v tableName) bool { return v.virtual && strings.HasPrefix(t.name, v.name+"_") })
		if !derivedTables[t.name] && !shadow {
			out = append(out, t)
		}
	}
	return out, nil
}

func readAll(ctx context.Context, db *sql.DB, table string, virtual bool) ([]string, [][]any, error) {
	q := "SELECT * FROM " + table
	if virtual {
		q = "SELECT docid, * FROM " + table
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		out = append(out, vals)
	}
	return cols, out, rows.Err()
}

func insertRows(ctx context.Context, db *sql.DB, insert string, rows [][]any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Floor is the floor of any list query: reading n thread rows by rowid
// range straight from SQLite with a prepared statement. Its samples are
// taken one at a time, interleaved with the measured query's, so that both
// meet the same machine.
type Floor struct {
	stmt *sql.Stmt
	n    int
	max  int64
	r    *rand.Rand
}

// NewFloor prepares the floor's read of n rows from db's threads.
func NewFloor(ctx context.Context, db *sql.DB, n int) (*Floor, error) {
	f := &Floor{n: n, r: rand.New(rand.NewPCG(1, 2))}
	if err := db.QueryRowContext(ctx, `SELECT MAX(rowid) FROM threads`).Scan(&f.max); err != nil {
		return nil, err
	}
	var err error
	f.stmt, err = db.PrepareContext(ctx, `SELECT id, action_id, action_type, contact_name, contact_phone, last_message_body,
		last_message_at, unread, needs_attention, archived, opted_out FROM threads WHERE rowid > ? ORDER BY rowid LIMIT ?`)
	return f, err
}

// Close releases the prepared statement.
func (f *Floor) Close() error { return f.stmt.Close() }

// Read reads the floor's rows once from a random place, timed into s when
// s is not nil.
func (f *Floor) Read(ctx context.Context, s *Samples) error {
	from := f.r.Int64N(f.max)
	read := func() error {
		rows, err := f.stmt.QueryContext(ctx, from, f.n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, a, t, name, phone, body string
			var at int64
			var u, na, ar, oo int
			if err := rows.Scan(&id, &a, &t, &name, &phone, &body, &at, &u, &na, &ar, &oo); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if s == nil {
		return read()
	}
	return s.Time(read)
}
