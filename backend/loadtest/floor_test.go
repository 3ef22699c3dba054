package loadtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// BenchmarkTableSendFloor measures how much of the load driver's gap to
// its baseline the schema's row writes explain: a bare handler that makes
// only the rows of one first text (the contact's claim, the thread, the
// message, its feed row, the mutation record) and then, as the dispatcher
// would after the provider answered, the message's status and its feed
// row, on textbankd's own SQLite schema and settings, group-committed as
// the server commits; none of the server's checks, syncs, hand-outs,
// replies or provider calls. Beside the one-insert baseline in the same
// run, both driven by 200 clients.
func BenchmarkTableSendFloor(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		ctx := context.Background()
		floor, err := sendFloor(ctx, dir, 200, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		base, err := baseline(ctx, dir, 200, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("floor %.0f/s, baseline %.0f/s, ratio %.2f", floor, base, floor/base)
		b.ReportMetric(floor, "sends/s")
		b.ReportMetric(base, "base-sends/s")
	}
}

func sendFloor(ctx context.Context, dir string, clients int, d time.Duration) (float64, error) {
	path := filepath.Join(dir, "floor.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	contacts := 80000
	seed, err := seedCampaign(ctx, st, contacts, 1)
	st.Close()
	if err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", path+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_txlock=immediate&_foreign_keys=on&_cache_size=-32768")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var user, camp, org string
	if err := db.QueryRowContext(ctx, `SELECT u.id, c.id, c.organization_id FROM users u, campaigns c WHERE u.email = ?`, seed.email(0)).Scan(&user, &camp, &org); err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, `UPDATE contacts SET state = 'assigned', assigned_to = ?`, user); err != nil {
		return 0, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, phone FROM contacts`)
	if err != nil {
		return 0, err
	}
	type contact struct{ id, phone string }
	var pool []contact
	for rows.Next() {
		var c contact
		if err := rows.Scan(&c.id, &c.phone); err != nil {
			return 0, err
		}
		pool = append(pool, c)
	}
	rows.Close()
	var next atomic.Int64
	// Statements prepared once, as the server's are: before any
	// transaction, since the one connection cannot prepare while a
	// transaction holds it.
	stmts := map[string]*sql.Stmt{}
	for _, q := range floorSQL {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return 0, fmt.Errorf("prepare %q: %w", q, err)
		}
		defer st.Close()
		stmts[q] = st
	}
	prep := func(q string) *sql.Stmt { return stmts[q] }

	type req struct {
		c    contact
		m    api.Mutation
		fp   []byte // the mutation's fingerprint, made by the handler as textbankd's is
		done chan error
	}
	queue := make(chan *req, 1024)
	write := func(group []*req) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		now := store.TimeText(time.Now())
		for _, r := range group {
			if _, err := tx.Stmt(prep(claimSQL)).Exec(r.c.id, user); err != nil {
				return err
			}
			if _, err := tx.Stmt(prep(threadSQL)).Exec(
				r.c.id, seed.action, camp, org, user, "Load", r.c.phone, "+12025550100", now, now, now); err != nil {
				return err
			}
			if _, err := tx.Stmt(prep(messageSQL)).Exec(r.m.MessageID, r.c.id, "Hi Load, it's Volunteer. Will you vote on Tuesday?", user, now); err != nil {
				return err
			}
			if _, err := tx.Stmt(prep(firstFeedSQL)).Exec(user, r.m.MessageID, now); err != nil {
				return err
			}
			if _, err := tx.Stmt(prep(mutationSQL)).Exec(
				r.m.ID, user, r.m.Type, r.fp, `{"id":"`+r.m.ID+`","status":"applied"}`, now); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	// The dispatcher's record of each text sent: a group after each
	// accepted group, on the same one writer.
	sentQ := make(chan []string, 64)
	record := func(ids []string) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		now := store.TimeText(time.Now())
		for _, id := range ids {
			if _, err := tx.Stmt(prep(sentSQL)).Exec("SM"+id, now, id); err != nil {
				return err
			}
			if _, err := tx.Stmt(prep(sentFeedSQL)).Exec(user, id, now); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	var recordErr atomic.Value
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		for ids := range sentQ {
			if err := record(ids); err != nil {
				recordErr.CompareAndSwap(nil, err)
			}
		}
	}()
	go func() {
		defer close(sentQ)
		for r := range queue {
			group := []*req{r}
		more:
			for len(group) < 128 {
				select {
				case r2, ok := <-queue:
					if !ok {
						break more
					}
					group = append(group, r2)
				default:
					break more
				}
			}
			err := write(group)
			ids := make([]string, 0, len(group))
			for _, r := range group {
				r.done <- err
				ids = append(ids, r.m.MessageID)
			}
			if err == nil {
				sentQ <- ids
			}
		}
	}()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	hs := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m api.MutationsRequest
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil || len(m.Mutations) != 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		i := next.Add(1) - 1
		if int(i) >= len(pool) {
			http.Error(w, "pool empty", http.StatusConflict)
			return
		}
		// The message id is made here: the drive is the baseline's, whose
		// pushes name none.
		mut := m.Mutations[0]
		mut.MessageID = newID()
		content, err := json.Marshal(mut)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fp := sha256.Sum256(content)
		q := &req{c: pool[i], m: mut, fp: fp[:], done: make(chan error, 1)}
		queue <- q
		if err := <-q.done; err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(api.MutationsResponse{Results: []api.MutationResult{{ID: m.Mutations[0].ID, Status: api.ResultApplied}}})
	}))
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	rate, err := pushAway(ctx, "http://"+ln.Addr().String(), clients, d)
	close(queue)
	<-recorded // the texts' records are part of the work; not of the rate's time
	if err != nil {
		return 0, fmt.Errorf("floor: %w", err)
	}
	if err, _ := recordErr.Load().(error); err != nil {
		return 0, fmt.Errorf("floor: record sent: %w", err)
	}
	return rate, nil
}

// The floor's statements: a first text's rows, then its record as sent.
const (
	claimSQL  = `UPDATE contacts SET state = 'texted' WHERE id = ? AND state = 'assigned' AND assigned_to = ?`
	threadSQL = `INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_name, contact_phone,
				sending_number, last_message_at, last_outbound_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	messageSQL = `INSERT INTO messages (id, thread_id, direction, body, status, initial, sender_id, created_at)
				VALUES (?, ?, 'out', ?, 'queued', 1, ?, ?)`
	firstFeedSQL = `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES (?, 'first_text', ?, ?)`
	mutationSQL  = `INSERT INTO mutations (id, user_id, type, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	sentSQL      = `UPDATE messages SET status = 'sent', provider_id = ?, sent_at = ? WHERE id = ?`
	sentFeedSQL  = `INSERT INTO feed (user_id, kind, entity_id, created_at) VALUES (?, 'message', ?, ?)`
)

var floorSQL = []string{claimSQL, threadSQL, messageSQL, firstFeedSQL, mutationSQL, sentSQL, sentFeedSQL}
