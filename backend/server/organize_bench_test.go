package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/contactcsv"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// BenchmarkTableContactImport100k imports 100,000 CSV rows (VAN spelling,
// two custom columns) into an action on a real SQLite file: decode, header
// mapping, E.164 for every number, duplicate and opt-out checks, one
// transaction. The baseline inserts the same number of rows, already
// parsed, through one prepared statement into a bare table in the same kind
// of file: what SQLite alone costs.
func BenchmarkTableContactImport100k(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	src := contactcsv.Synthetic(n)
	dir := b.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "import.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	admin := store.User{ID: "admin", Name: "Ann Admin", Email: "admin@example.org", PasswordHash: "x", CreatedAt: time.Now()}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, admin) }); err != nil {
		b.Fatal(err)
	}
	o, err := server.NewOrganizer(server.OrganizerConfig{Store: st, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		b.Fatal(err)
	}
	file, err := campaignfile.Parse([]byte(strings.Replace(orgFile, "[precinct]", "[precinct, polling_place]", 1)))
	if err != nil {
		b.Fatal(err)
	}
	res, err := o.CreateCampaign(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	base := rawInsertRate(b, filepath.Join(dir, "raw.db"), n)

	b.ResetTimer()
	start, cpu := time.Now(), server.ProcessCPU()
	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(src)})
	elapsed, cpuUsed := time.Since(start), server.ProcessCPU()-cpu
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if imp.Imported != n {
		b.Fatalf("imported %d of %d", imp.Imported, n)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(base, "base-rows/s")
	b.ReportMetric(elapsed.Seconds(), "s")
	// CPU seconds over both cores: the wall time on an idle machine is
	// about this divided by the cores the phone parsing spreads over.
	b.ReportMetric(cpuUsed.Seconds(), "cpu-s")
}

// rawInsertRate inserts n rows through one prepared statement in one
// transaction and returns rows per second.
func rawInsertRate(b *testing.B, path string, n int) float64 {
	db, err := sql.Open("sqlite3", path+"?_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE contacts (id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, phone TEXT, fields TEXT)`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO contacts VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := stmt.Exec(fmt.Sprintf("id-%d", i), "First", "Last", fmt.Sprintf("+1212555%04d", i%10000), `{"precinct":"P1"}`); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return float64(n) / time.Since(start).Seconds()
}
