package loadtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// seeded is the campaign a run texts in.
type seeded struct {
	joinCode string
	action   string
	run      string // names this run's accounts
	accounts bool   // the volunteers' accounts exist: they log in
	campaign string // its name
}

func (s seeded) email(i int) string     { return fmt.Sprintf("load-%s-%d@example.org", s.run, i) }
func (s seeded) password() string       { return "load test volunteer " + s.run }
func (s seeded) volunteer(i int) string { return fmt.Sprintf("Volunteer %d", i) }

// seedCampaign writes an organization, a campaign with 8 sending numbers
// and one action of n contacts, as the organizer commands would, and
// accounts volunteers' accounts (0: they sign up).
func seedCampaign(ctx context.Context, st store.Store, n, accounts int) (seeded, error) {
	now := time.Now().UTC()
	run := fmt.Sprintf("%06d", rand.IntN(1000000))
	s := seeded{joinCode: "9" + run[1:], action: newID(), run: run, accounts: accounts > 0, campaign: "Load test " + run}
	var hash []byte
	if accounts > 0 {
		var err error
		if hash, err = bcrypt.GenerateFromPassword([]byte(s.password()), bcrypt.MinCost); err != nil {
			return seeded{}, err
		}
	}
	org, camp := newID(), newID()
	admin := store.User{ID: newID(), Name: "Load Organizer", Email: "load-organizer-" + run + "@example.org", PasswordHash: "-", CreatedAt: now}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, admin); err != nil {
			return err
		}
		for i := range accounts {
			if err := tx.CreateUser(ctx, store.User{ID: newID(), Name: s.volunteer(i), Email: s.email(i),
				PasswordHash: string(hash), CreatedAt: now}); err != nil {
				return fmt.Errorf("volunteer %d: %w", i, err)
			}
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: org, Name: "Load test " + run, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: camp, OrganizationID: org, Name: s.campaign,
			JoinCode: s.joinCode, Public: false, Active: true, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, store.Action{ID: s.action, CampaignID: camp, Type: api.ActionP2P, Title: "Load test",
			Scripts:      []string{"Hi {first_name|friend}, it's {volunteer_first_name}. Will you vote on Tuesday?"},
			TextingHours: store.TextingHours{Start: "00:00", End: "24:00"}, BatchSize: 50, AllowFreeText: true,
			CreatorID: admin.ID, CreatedAt: now}); err != nil {
			return err
		}
		// Fictional numbers (numbers.go): the campaign stays behind.
		phones, err := sendingPhones(ctx, tx, 8)
		if err != nil {
			return err
		}
		for i, phone := range phones {
			if err := tx.AddSendingNumber(ctx, camp, phone, now); err != nil {
				return fmt.Errorf("sending number %d: %w", i, err)
			}
		}
		cs := make([]store.Contact, n)
		for i := range cs {
			cs[i] = store.Contact{ID: newID(), ActionID: s.action, FirstName: fmt.Sprintf("Load%d", i),
				Phone: contactPhone(i), CreatedAt: now.Add(time.Duration(i) * time.Microsecond)}
		}
		return tx.InsertContacts(ctx, cs, nil)
	})
	if err != nil {
		return seeded{}, fmt.Errorf("seed the load test campaign: %w", err)
	}
	return s, nil
}

// volunteer is one simulated desktop app. With several servers it reaches
// them through one address in production (a reverse proxy); here it holds
// a client per server and starts on its own, and when that one does not
// answer at all it repeats the request, same mutation ids, on the next, as
// the proxy would route the app's retry to a live server.
type volunteer struct {
	servers       []*api.Client
	cur           int
	cursor        int64
	failedOver    int
	outOfContacts bool // the pool was empty before the deadline
}

// do runs call on the volunteer's server, moving to the next when it is
// unanswered, until one answers or every one was tried twice.
func (v *volunteer) do(call func(c *api.Client) error) error {
	var err error
	for range 2 * len(v.servers) {
		if err = call(v.servers[v.cur]); err == nil || !unanswered(err) || len(v.servers) == 1 {
			return err
		}
		v.cur = (v.cur + 1) % len(v.servers)
		v.failedOver++
	}
	return err
}

// unanswered says the server gave no answer the app could read (it is
// gone, or died mid-answer), as opposed to answering with an error: only
// then does a volunteer repeat the request on another server, as the app
// repeats an outbox push it got no answer to.
func unanswered(err error) bool {
	var ae *api.APIError
	return err != nil && !errors.As(err, &ae) && !errors.Is(err, context.Canceled)
}

// pushTries bounds a send's pushes while the server fails it (about 6 s
// in all); the app's outbox would go on.
const pushTries = 8

// serverFailed says the push failed on the server's side (a 5xx, or no
// answer at all), which the app's outbox retries, as opposed to an answer
// about the request.
func serverFailed(err error) bool {
	var ae *api.APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500
	}
	return unanswered(err)
}

func joinVolunteers(ctx context.Context, urls []string, s seeded, n int) ([]*volunteer, error) {
	vols := make([]*volunteer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range vols {
		wg.Add(1)
		// The HTTP client's connections, made here and kept, are the
		// volunteers' work.
		go as(roleVolunteers, func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			v := &volunteer{cur: i % len(urls)}
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}, Timeout: time.Minute}
			for _, u := range urls {
				v.servers = append(v.servers, api.NewClient(u, hc))
			}
			c := v.servers[v.cur]
			var res api.AuthResponse
			var err error
			if s.accounts {
				res, err = c.Login(ctx, api.LoginRequest{Email: s.email(i), Password: s.password()})
			} else {
				res, err = c.Signup(ctx, api.SignupRequest{Name: s.volunteer(i), Email: s.email(i), Password: s.password()})
			}
			if err != nil {
				errs[i] = fmt.Errorf("volunteer %d signs in: %w", i, err)
				return
			}
			// A session is the database's: every server knows the token.
			for _, c := range v.servers {
				c.SetToken(res.Token)
			}
			if _, err := c.Join(ctx, s.joinCode); err != nil {
				errs[i] = fmt.Errorf("volunteer %d joins: %w", i, err)
				return
			}
			vols[i] = v
		})
	}
	wg.Wait()
	return vols, errors.Join(errs...)
}

// syncEvery is how many sends a volunteer makes between pulls: the app
// pulls when the server's event stream says its feed moved, which after
// a send it does at once; every few sends keeps the pulls app-like
// without one per click.
const syncEvery = 5

// run texts until the deadline: a batch, then each contact with one push
// of one send (a click), pulling sync every few sends. A request under way
// at the deadline is finished, so every accepted text is known.
func (v *volunteer) run(ctx context.Context, deadline time.Time, action string, r *recorder) {
	work := context.WithoutCancel(ctx)
	sent := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var bt api.BatchResponse
		err := v.do(func(c *api.Client) (err error) { bt, err = c.Batch(work, action); return err })
		var ae *api.APIError
		if errors.As(err, &ae) && ae.Err.Code == api.CodePoolEmpty || err == nil && len(bt.Assigned) == 0 {
			v.outOfContacts = true
			return
		}
		if err != nil {
			r.fail(kindSend, fmt.Errorf("batch: %w", err))
			return
		}
		for _, a := range bt.Assigned {
			if !time.Now().Before(deadline) || ctx.Err() != nil {
				return
			}
			mid := newID()
			t0 := time.Now()
			muts := []api.Mutation{{ID: newID(), Type: api.MutSendInitial,
				ActionID: a.ActionID, ContactID: a.ContactID, MessageID: mid, CreatedAt: t0}}
			var res api.MutationsResponse
			err := v.do(func(c *api.Client) (err error) { res, err = c.PushMutations(work, muts); return err })
			// The app's outbox keeps a push the server failed and sends it
			// again, the same mutation ids, until it is answered.
			for try := 1; serverFailed(err) && try < pushTries; try++ {
				time.Sleep(50 * time.Millisecond << (try - 1))
				err = v.do(func(c *api.Client) (err error) { res, err = c.PushMutations(work, muts); return err })
			}
			r.add(kindSend, time.Since(t0))
			switch {
			case err != nil:
				r.fail(kindSend, err)
			case res.Results[0].Status == api.ResultApplied:
				r.accept(mid)
			default:
				r.reject()
			}
			if sent++; sent%syncEvery == 0 {
				v.pull(work, r)
			}
		}
	}
}

func (v *volunteer) pull(ctx context.Context, r *recorder) {
	for {
		t0 := time.Now()
		var page api.SyncResponse
		err := v.do(func(c *api.Client) (err error) { page, err = c.Sync(ctx, v.cursor, 500); return err })
		r.add(kindSync, time.Since(t0))
		if err != nil {
			r.fail(kindSync, err)
			return
		}
		v.cursor = page.Cursor
		if !page.More {
			return
		}
	}
}

// baseline measures a bare net/http handler that decodes a small JSON
// body and inserts one row into SQLite per request (same WAL settings),
// driven by as many clients as there were volunteers.
func baseline(ctx context.Context, dir string, clients int, d time.Duration) (float64, error) {
	db, err := sql.Open("sqlite3", filepath.Join(dir, "baseline.db")+"?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("baseline table: %w", err)
	}
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
		if _, err := db.Exec(`INSERT INTO t (id, body, created_at) VALUES (?, ?, ?)`, m.Mutations[0].ID, "Hi", time.Now().String()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[{"id":"x","status":"applied"}]}`))
	}))
	go as(roleBaseline, func() { _ = hs.Serve(ln) })
	defer hs.Close()
	rate, err := pushAway(ctx, "http://"+ln.Addr().String(), clients, d)
	if err != nil {
		return 0, fmt.Errorf("baseline: %w", err)
	}
	return rate, nil
}

// pushAway has clients push one first text a request to url, each as fast
// as it is answered, for d, and answers the pushes answered per second:
// the baseline's drive, and that of any bare handler measured beside it.
func pushAway(ctx context.Context, url string, clients int, d time.Duration) (float64, error) {
	var done atomic.Int64
	var firstErr atomic.Value
	end := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go as(roleBaseline, func() {
			defer wg.Done()
			c := api.NewClient(url, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}})
			for time.Now().Before(end) && ctx.Err() == nil {
				if _, err := c.PushMutations(ctx, []api.Mutation{{ID: newID(), Type: api.MutSendInitial}}); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, err
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
}
