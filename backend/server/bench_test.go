package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// Send benchmarks: app-like volunteers, each with its own HTTP client,
// push first texts one at a time (a volunteer clicks Send; the app pushes
// it at once) through the real API to a server over a real SQLite file,
// with the dispatcher sending through the simulated network meanwhile.
const (
	benchVolunteers = 32
	benchPerVol     = 50
)

type benchServer struct {
	st       *store.SQLite
	path     string
	srv      *server.Server
	ts       *httptest.Server
	org      string
	campaign string
	action   string
	stop     func()
}

func newBenchServer(b *testing.B, contacts int) *benchServer {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	netw := simnet.New(simnet.Config{Mix: simnet.Mix{simnet.Silent: 1}}, zerolog.Nop())
	clock := func() time.Time { return baseTime }
	srv, err := server.New(server.Config{Store: st, Provider: netw, Now: clock, Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost,
		SignupsPerHour: benchVolunteers})
	if err != nil {
		b.Fatal(err)
	}
	netw.Attach(srv)
	ts := httptest.NewServer(srv.Handler())
	dctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { srv.RunDispatcher(dctx); close(done) }()
	bs := &benchServer{st: st, srv: srv, ts: ts, path: path, org: uuid.NewString(), campaign: uuid.NewString(), action: uuid.NewString()}
	bs.stop = func() { cancel(); <-done; ts.Close(); netw.Close(); st.Close() }
	b.Cleanup(bs.stop)
	err = st.Update(ctx, func(tx store.Tx) error {
		admin := store.User{ID: uuid.NewString(), Name: "Admin", Email: "admin@example.org", PasswordHash: "x", CreatedAt: baseTime}
		if err := tx.CreateUser(ctx, admin); err != nil {
			return err
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: bs.org, Name: "Org", CreatedAt: baseTime}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: bs.campaign, OrganizationID: bs.org, Name: "Bench", JoinCode: "777777", Public: true, Active: true, CreatedAt: baseTime}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, store.Action{ID: bs.action, CampaignID: bs.campaign, Type: api.ActionP2P, Title: "Bench",
			Scripts: []string{"Hi {first_name|friend}, it's {volunteer_first_name}. Will you vote?"}, TextingHours: store.TextingHours{Start: "09:00", End: "21:00"},
			BatchSize: benchPerVol, AllowFreeText: true, CreatorID: admin.ID, CreatedAt: baseTime}); err != nil {
			return err
		}
		for i := range 8 {
			if err := tx.AddSendingNumber(ctx, bs.campaign, fmt.Sprintf("+1202555%04d", i), baseTime); err != nil {
				return err
			}
		}
		for i := range contacts {
			if err := tx.CreateContact(ctx, store.Contact{ID: appID(), ActionID: bs.action, FirstName: fmt.Sprintf("C%d", i),
				Phone: fmt.Sprintf("+1212%07d", 2000000+i), CreatedAt: baseTime.Add(time.Duration(i) * time.Microsecond)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return bs
}

// seedFirstTexts stores n first texts sent an hour ago to other numbers
// of the same organization: the 6-hour window every send checks. Rows go
// in with plain SQL in one statement per table, to keep the setup short.
func (bs *benchServer) seedFirstTexts(b *testing.B, n int) {
	b.Helper()
	ctx := context.Background()
	owner := store.User{ID: uuid.NewString(), Name: "Earlier", Email: "earlier@example.org", PasswordHash: "x", CreatedAt: baseTime}
	if err := bs.st.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, owner) }); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite3", bs.path+"?_busy_timeout=10000&_foreign_keys=on")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	at := baseTime.Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000000000Z")
	nums := `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) `
	stmts := []string{
		nums + `INSERT INTO contacts (id, action_id, first_name, phone, state, created_at)
			SELECT 'old' || i, ?, 'Old', printf('+1718%07d', 2000000 + i), 'texted', ? FROM n`,
		nums + `INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number,
			last_message_at, last_outbound_at, created_at)
			SELECT 'old' || i, ?, ?, ?, ?, printf('+1718%07d', 2000000 + i), '+12025550000', ?, ?, ? FROM n`,
		nums + `INSERT INTO messages (id, thread_id, direction, body, status, provider_id, initial, sender_id, created_at)
			SELECT 'oldm' || i, 'old' || i, 'out', 'Hi', 'delivered', 'SMold' || i, 1, ?, ? FROM n`,
	}
	args := [][]any{
		{n - 1, bs.action, at},
		{n - 1, bs.action, bs.campaign, bs.org, owner.ID, at, at, at},
		{n - 1, owner.ID, at},
	}
	for i, q := range stmts {
		if _, err := db.ExecContext(ctx, q, args[i]...); err != nil {
			b.Fatal(err)
		}
	}
}

// appID is an id as the app and the contact import make them: UUIDv7,
// time-ordered (the baseline's rows get the same).
func appID() string { return uuid.Must(uuid.NewV7()).String() }

// volunteers signs up and joins benchVolunteers volunteers and hands each
// a batch; the returned clients hold their contacts.
func (bs *benchServer) volunteers(b *testing.B) ([]*api.Client, [][]api.Assignment) {
	b.Helper()
	ctx := context.Background()
	clients := make([]*api.Client, benchVolunteers)
	batches := make([][]api.Assignment, benchVolunteers)
	for i := range clients {
		c := api.NewClient(bs.ts.URL, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}})
		res, err := c.Signup(ctx, api.SignupRequest{Name: fmt.Sprintf("Vol %d", i), Email: fmt.Sprintf("v%d-%s@example.org", i, uuid.NewString()[:6]), Password: "correct horse battery"})
		if err != nil {
			b.Fatal(err)
		}
		c.SetToken(res.Token)
		if _, err := c.Join(ctx, "777777"); err != nil {
			b.Fatal(err)
		}
		bt, err := c.Batch(ctx, bs.action)
		if err != nil {
			b.Fatal(err)
		}
		clients[i], batches[i] = c, bt.Assigned
	}
	return clients, batches
}

// measureSends pushes every assigned contact's first text, one per
// request, from all volunteers at once and returns accepted sends/s.
func measureSends(b *testing.B, clients []*api.Client, batches [][]api.Assignment) (perSec, cpuPerSend float64) {
	b.Helper()
	ctx := context.Background()
	var accepted atomic.Int64
	var wg sync.WaitGroup
	defer profileWindow(b)()
	cpu0 := server.ProcessCPU()
	start := time.Now()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, a := range batches[i] {
				resp, err := c.PushMutations(ctx, []api.Mutation{{ID: appID(), Type: api.MutSendInitial,
					ActionID: a.ActionID, ContactID: a.ContactID, MessageID: appID()}})
				if err != nil {
					b.Error(err)
					return
				}
				if resp.Results[0].Status == api.ResultApplied {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	n := int(accepted.Load())
	if n != benchVolunteers*benchPerVol {
		b.Fatalf("%d of %d sends accepted", n, benchVolunteers*benchPerVol)
	}
	return float64(n) / elapsed.Seconds(), cpuMicros(b, cpu0, n)
}

// beside its baseline's.
func reportSendMedians(b *testing.B, sends, bases, cpus, baseCPUs []float64) {
	b.ReportMetric(median(sends), "sends/s")
	b.ReportMetric(median(bases), "base-sends/s")
	b.ReportMetric(median(cpus), "cpu-us/send")
	b.ReportMetric(median(baseCPUs), "base-cpu-us/send")
}

// sendWindow measures one window of first texts on a server of its own,
// after seeded first texts of the organization (0: none), and stops the
// server before returning.
func sendWindow(b *testing.B, seeded int) (perSec, cpuPerSend float64) {
	bs := newBenchServer(b, benchVolunteers*benchPerVol)
	defer bs.stop()
	if seeded > 0 {
		bs.seedFirstTexts(b, seeded)
	}
	clients, batches := bs.volunteers(b)
	return measureSends(b, clients, batches)
}

// BenchmarkTableSends: first texts accepted per second on a fresh
// database, against the bare net/http + one-insert baseline; each window
// on a server of its own, stopped before its baseline runs, and the
// figures are the medians of benchWindows such pairs.
func BenchmarkTableSends(b *testing.B) {
	for b.Loop() {
		var sends, cpus, bases, baseCPUs []float64
		for range benchWindows {
			sent, cpu := sendWindow(b, 0)
			base, baseCPU := baselineInserts(b, benchVolunteers*benchPerVol)
			sends, cpus, bases, baseCPUs = append(sends, sent), append(cpus, cpu), append(bases, base), append(baseCPUs, baseCPU)
		}
		reportSendMedians(b, sends, bases, cpus, baseCPUs)
	}
}

// BenchmarkTableSends100k: the same after 100,000 first texts of the
// organization in the 6-hour window; the baseline is a fresh database
// measured in the same run. Every window is on a server of its own,
// stopped before the next starts (a server kept for several windows would
// carry its WAL, and its checkpoints, from one into the next, which fresh
// servers never do); the figures are the medians of benchWindows fresh
// windows, measured first, and benchWindows seeded ones.
func BenchmarkTableSends100k(b *testing.B) {
	for b.Loop() {
		var sends, cpus, bases, baseCPUs []float64
		for range benchWindows {
			base, baseCPU := sendWindow(b, 0)
			bases, baseCPUs = append(bases, base), append(baseCPUs, baseCPU)
		}
		for range benchWindows {
			sent, cpu := sendWindow(b, 100000)
			sends, cpus = append(sends, sent), append(cpus, cpu)
		}
		reportSendMedians(b, sends, bases, cpus, baseCPUs)
	}
}

// BenchmarkTableInbound: replies per second through Server.Receive (route,
// dedupe, store, feed) against an in-process one-insert-per-transaction
// baseline, 8 concurrent deliveries each.
func BenchmarkTableInbound(b *testing.B) {
	const threads, workers = 8000, 8
	for b.Loop() {
		bs := newBenchServer(b, 0)
		bs.seedFirstTexts(b, threads)
		ctx := context.Background()
		var next atomic.Int64
		var wg sync.WaitGroup
		cpu0 := server.ProcessCPU()
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= threads {
						return
					}
					err := bs.srv.Receive(ctx, sms.Inbound{ProviderID: fmt.Sprintf("SMin%d", i), From: fmt.Sprintf("+1718%07d", 2000000+i),
						To: "+12025550000", Body: "Yes, I'll vote", ReceivedAt: baseTime})
					if err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		replies := float64(threads) / time.Since(start).Seconds()
		cpu := cpuMicros(b, cpu0, threads)

		db, err := sql.Open("sqlite3", filepath.Join(b.TempDir(), "base.db")+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_txlock=immediate")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(`CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		next.Store(0)
		cpu0 = server.ProcessCPU()
		start = time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= threads {
						return
					}
					if _, err := db.Exec(`INSERT INTO t (id, body) VALUES (?, ?)`, fmt.Sprintf("SMin%d", i), "Yes"); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		base := float64(threads) / time.Since(start).Seconds()
		baseCPU := cpuMicros(b, cpu0, threads)
		db.Close()
		b.ReportMetric(replies, "replies/s")
		b.ReportMetric(base, "base-replies/s")
		b.ReportMetric(cpu, "cpu-us/reply")
		b.ReportMetric(baseCPU, "base-cpu-us/reply")
	}
}
