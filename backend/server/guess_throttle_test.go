package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// gatedReads holds every read a request makes, once armed, until the gate
// opens: a login is then stopped after the throttle has let it in and
// before its password is checked, as a slow hash stops it.
type gatedReads struct {
	store.Store
	armed   atomic.Bool
	arrived atomic.Int32
	gate    chan struct{}
}

func (g *gatedReads) View(ctx context.Context, fn func(store.Tx) error) error {
	// Requests only: the dispatcher and the feed watcher read too.
	if g.armed.Load() && ctx.Value(http.ServerContextKey) != nil {
		g.arrived.Add(1)
		select {
		case <-g.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return g.Store.View(ctx, fn)
}

// TokenUser answers who a token belongs to around the gate, so that only
// the reads a handler makes once signed in are held.
func (g *gatedReads) TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error) {
	if tr, ok := g.Store.(interface {
		TokenUser(context.Context, string) (store.User, store.TokenTimes, error)
	}); ok {
		return tr.TokenUser(ctx, hash)
	}
	var (
		u    store.User
		last store.TokenTimes
	)
	err := g.Store.View(ctx, func(tx store.Tx) error {
		var err error
		u, last, err = tx.TokenUser(ctx, hash)
		return err
	})
	return u, last, err
}

// postLogin is login for goroutines: it reports instead of failing.
func postLogin(f *fixture, email, password string) (int, http.Header, error) {
	raw, _ := json.Marshal(api.LoginRequest{Email: email, Password: password})
	resp, err := f.ts.Client().Post(f.ts.URL+"/api/v1/login", "application/json", bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

type loginAnswer struct {
	status int
	err    error
}

// TestLoginGuessesInFlightCount: 30 wrong passwords sent at once for one
// account. The throttle lets 10 through to the password check and refuses
// the rest at once; while those 10 are being checked the right password is
// refused too, and once they have failed it still is.
func TestLoginGuessesInFlightCount(t *testing.T) {
	g := &gatedReads{gate: make(chan struct{})}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { g.Store = st; return g }})
	_, u := f.user("vera")
	g.armed.Store(true)
	const n = 30
	answers := make(chan loginAnswer, n)
	for i := range n {
		go func() {
			status, _, err := postLogin(f, u.Email, fmt.Sprintf("wrong password %d", i))
			answers <- loginAnswer{status, err}
		}()
	}
	// Wait until every guess is either held before its check or answered.
	count := map[int]int{}
	answered := 0
	deadline := time.After(20 * time.Second)
	for int(g.arrived.Load())+answered < n {
		select {
		case a := <-answers:
			if a.err != nil {
				t.Fatal(a.err)
			}
			count[a.status]++
			answered++
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("%d guesses held, %d answered (%v), want %d in all", g.arrived.Load(), answered, count, n)
		}
	}
	if held := g.arrived.Load(); held != 10 || count[429] != n-10 {
		close(g.gate)
		t.Fatalf("%d of %d simultaneous guesses let through to the password check (answers so far %v), want 10", held, n, count)
	}
	// With 10 guesses in flight the right password is refused, unchecked.
	right := make(chan loginAnswer, 1)
	go func() {
		status, _, err := postLogin(f, u.Email, "correct horse battery")
		right <- loginAnswer{status, err}
	}()
	select {
	case a := <-right:
		if a.err != nil || a.status != 429 {
			t.Fatalf("right password with 10 guesses in flight: %d %v, want 429", a.status, a.err)
		}
	case <-time.After(10 * time.Second):
		close(g.gate)
		t.Fatalf("right password with 10 guesses in flight was let through to the check (held %d)", g.arrived.Load())
	}
	g.armed.Store(false)
	close(g.gate)
	for answered < n {
		a := <-answers
		if a.err != nil {
			t.Fatal(a.err)
		}
		count[a.status]++
		answered++
	}
	if count[401] != 10 || count[429] != n-10 {
		t.Fatalf("answers %v, want 10 × 401 and %d × 429", count, n-10)
	}
	status, h, err := postLogin(f, u.Email, "correct horse battery")
	if err != nil || status != 429 || h.Get("Retry-After") == "" {
		t.Fatalf("right password after 10 failures: %d %v Retry-After %q, want 429", status, err, h.Get("Retry-After"))
	}
}

// TestLoginParallelGuessesWithRealHashes: the same with nothing but a
// password hash slow enough (bcrypt cost 10, tens of milliseconds) for
// guesses sent at once to overlap.
func TestLoginParallelGuessesWithRealHashes(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes at cost 10")
	}
	f := newFixture(t)
	// The checks take turns (hashgate.go): ten at cost 10, one at a time,
	// can outlast the usual wait under the race detector on a busy machine.
	f.srv.SetHashWait(2 * time.Minute)
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse battery"), 10)
	if err != nil {
		t.Fatal(err)
	}
	u := store.User{ID: uuid.NewString(), Name: "Slow Hash", Email: "slow@example.org", PasswordHash: string(hash), CreatedAt: baseTime}
	f.update(func(tx store.Tx) error { return tx.CreateUser(context.Background(), u) })
	const n = 40
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		count = map[int]int{}
		errs  []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, _, err := postLogin(f, u.Email, fmt.Sprintf("wrong password %d", i))
			mu.Lock()
			defer mu.Unlock()
			count[status]++
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	if count[401] > 10 || count[401]+count[429] != n {
		t.Fatalf("answers to %d simultaneous wrong passwords: %v, want at most 10 checked (401), the rest 429", n, count)
	}
	if status, _, err := postLogin(f, u.Email, "correct horse battery"); err != nil || status != 429 {
		t.Fatalf("right password after the flood: %d %v, want 429", status, err)
	}
}

// wantStatus checks an answer's status and, for an error, its code.
func wantStatus(t *testing.T, what string, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("%s: %d %s, want %d %s", what, rec.Code, rec.Body, status, code)
	}
	if code != "" && !strings.Contains(rec.Body.String(), `"code":"`+code+`"`) {
		t.Fatalf("%s: %s, want code %s", what, rec.Body, code)
	}
}

// wantCodeThrottled checks a 429 too_many_attempts with its Retry-After
// and its words for the volunteer.
func wantCodeThrottled(t *testing.T, what string, rec *httptest.ResponseRecorder, retryAfter int) {
	t.Helper()
	wantStatus(t, what, rec, 429, api.CodeTooManyAttempts)
	var body api.ErrorBody
	mustJSON(t, rec.Body.Bytes(), &body)
	mins := (retryAfter + 59) / 60
	if want := fmt.Sprintf("Too many join codes tried; wait %d minutes and try again", mins); body.Error.Message != want {
		t.Fatalf("%s: message %q, want %q", what, body.Error.Message, want)
	}
	if got := rec.Header().Get("Retry-After"); got != strconv.Itoa(retryAfter) {
		t.Fatalf("%s: Retry-After %q, want %d", what, got, retryAfter)
	}
}

// TestJoinCodeGuessesThrottled: wrong join codes, by join or by search,
// count per user and per address; the 11th is refused on both endpoints
// until the window has passed. A right code works under the limit (and
// neither counts nor clears the count), searching by name and bad input
// are untouched.
func TestJoinCodeGuessesThrottled(t *testing.T) {
	f := newFixture(t)
	pub := f.campaign(campaignOpts{name: "Open Doors", code: "123456", numbers: 1})
	f.campaign(campaignOpts{name: "Quiet Room", code: "654321", private: true})
	h := f.srv.Handler()
	c, _ := f.user("guesser")
	a := f.from(h, c, "203.0.113.7:4000")

	// 5 wrong codes by join, the right one, 4 wrong by search.
	for i := range 5 {
		wantStatus(t, fmt.Sprintf("wrong join %d", i+1), a.join(fmt.Sprintf("90000%d", i)), 404, api.CodeCampaignUnknown)
	}
	wantStatus(t, "right private code", a.join("654321"), 200, "")
	wantStatus(t, "right public code by search", a.search("123456"), 200, "")
	for i := range 4 {
		rec := a.search(fmt.Sprintf("80000%d", i))
		wantStatus(t, fmt.Sprintf("wrong search %d", i+1), rec, 200, "")
		if strings.Contains(rec.Body.String(), `"name"`) {
			t.Fatalf("a wrong code found %s", rec.Body)
		}
	}
	// Names and issues are not guesses, however many.
	for range 15 {
		wantStatus(t, "search by name", a.search("Open"), 200, "")
	}
	// Bad input is refused as before and not counted.
	wantStatus(t, "five digits", a.join("12345"), 400, api.CodeInvalidJoinCode)
	wantStatus(t, "letters", a.join("12a456"), 400, api.CodeInvalidJoinCode)
	wantStatus(t, "nothing", a.do("POST", "/api/v1/campaigns/join", api.JoinRequest{}), 400, api.CodeInvalidJoinCode)
	wantStatus(t, "long search", a.search(strings.Repeat("x", 201)), 400, api.CodeInvalidField)

	// The 10th wrong guess is answered; the 11th is refused, on both
	// endpoints, right code or not.
	wantStatus(t, "10th wrong guess", a.join("900009"), 404, api.CodeCampaignUnknown)
	wantCodeThrottled(t, "11th guess by join", a.join("900010"), 900)
	wantCodeThrottled(t, "right code by join", a.join("654321"), 900)
	wantCodeThrottled(t, "11th guess by search", a.search("900011"), 900)
	wantCodeThrottled(t, "right code by search", a.search("654321"), 900)
	// Bad input still gets its own answer; names and public ids still work.
	wantStatus(t, "five digits when throttled", a.join("12345"), 400, api.CodeInvalidJoinCode)
	wantStatus(t, "search by name when throttled", a.search("Quiet"), 200, "")
	wantStatus(t, "public campaign by id when throttled", a.do("POST", "/api/v1/campaigns/join",
		api.JoinRequest{CampaignID: pub.campaign.ID}), 200, "")

	// Keyed by user: the same user from another address is refused.
	wantCodeThrottled(t, "same user, other address", f.from(h, c, "198.51.100.9:4000").join("654321"), 900)
	// Keyed by address: another user from that address is refused; from
	// their own address they are not affected at all.
	other, _ := f.user("other")
	wantCodeThrottled(t, "other user, same address", f.from(h, other, "203.0.113.7:5000").search("654321"), 900)
	b := f.from(h, other, "198.51.100.9:4000")
	wantStatus(t, "other user, own address, wrong code", b.join("900000"), 404, api.CodeCampaignUnknown)
	wantStatus(t, "other user, own address, right code", b.join("654321"), 200, "")

	// Retry-After counts down; once the first failures are 15 minutes old
	// the user may guess again.
	f.clock.Advance(10 * time.Minute)
	wantCodeThrottled(t, "after 10 minutes", a.join("654321"), 300)
	f.clock.Advance(5 * time.Minute)
	wantStatus(t, "after 15 minutes", a.join("654321"), 200, "")
}

// TestJoinCodeGuessesInFlightCount: guesses sent at once count before they
// are answered, as passwords do.
func TestJoinCodeGuessesInFlightCount(t *testing.T) {
	g := &gatedReads{gate: make(chan struct{})}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { g.Store = st; return g }})
	f.campaign(campaignOpts{name: "Quiet Room", code: "654321", private: true})
	c, _ := f.user("guesser")
	g.armed.Store(true)
	const n = 20
	answers := make(chan int, n)
	for i := range n {
		go func() {
			status, _ := f.raw("GET", fmt.Sprintf("/api/v1/campaigns?q=7000%02d", i), f.token(c), nil)
			answers <- status
		}()
	}
	count := map[int]int{}
	answered := 0
	deadline := time.After(20 * time.Second)
	for int(g.arrived.Load())+answered < n {
		select {
		case s := <-answers:
			count[s]++
			answered++
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("%d searches held, %d answered (%v)", g.arrived.Load(), answered, count)
		}
	}
	held := g.arrived.Load()
	g.armed.Store(false)
	close(g.gate)
	for answered < n {
		count[<-answers]++
		answered++
	}
	if count[200] != 10 || count[429] != n-10 {
		t.Fatalf("answers to %d simultaneous code searches: %v (held %d), want 10 × 200 and %d × 429", n, count, held, n-10)
	}
}

// TestACrowdBehindOneAddressIsNotThrottled: a phone bank's volunteers, or
// every client behind a reverse proxy, share one address. Many signing in
// and joining with the right code at the same moment are not guesses: the
// address counts failures only (it once counted requests in flight too, and
// the load test's 200 volunteers joining at once were refused).
func TestACrowdBehindOneAddressIsNotThrottled(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{name: "Phone Bank", code: "246810", private: true})
	const n = 30 // three times the limit
	clients := make([]*api.Client, n)
	emails := make([]string, n)
	for i := range n {
		var u api.User
		clients[i], u = f.user(fmt.Sprintf("crowd%d", i))
		emails[i] = u.Email
	}
	h := f.srv.Handler()
	joins := make(chan int, n)
	for i := range n {
		go func() { joins <- f.from(h, clients[i], "198.51.100.7:4000").join(cf.campaign.JoinCode).Code }()
	}
	for range n {
		if s := <-joins; s != http.StatusOK {
			t.Fatalf("a join with the right code from the shared address answered %d", s)
		}
	}
	logins := make(chan int, n)
	for i := range n {
		go func() {
			status, _, _ := postLogin(f, emails[i], "correct horse battery")
			logins <- status
		}()
	}
	for range n {
		if s := <-logins; s != http.StatusOK {
			t.Fatalf("a right sign-in among %d at once from one address answered %d", n, s)
		}
	}
}
