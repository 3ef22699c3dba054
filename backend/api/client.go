package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client is the app's HTTP client for textbankd's /api/v1. It is safe for
// concurrent use; SetToken may be called at any time.
type Client struct {
	base string
	http *http.Client

	mu         sync.RWMutex
	token      string
	streamIdle time.Duration // 0: DefaultStreamIdle
	busyBudget time.Duration // 0: busyBudget
}

// SetStreamIdle sets how long an event stream may stay silent before Stream
// gives it up as unreachable (tests use a short one); 0 restores the default.
func (c *Client) SetStreamIdle(d time.Duration) {
	c.mu.Lock()
	c.streamIdle = d
	c.mu.Unlock()
}

// StreamIdle is the silence Stream tolerates.
func (c *Client) StreamIdle() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.streamIdle <= 0 {
		return DefaultStreamIdle
	}
	return c.streamIdle
}

// NewClient talks to the server at baseURL (e.g. "http://127.0.0.1:8787").
// A nil httpClient means http.DefaultClient; pass one with a timeout for
// ordinary calls, since Events holds its request open.
func NewClient(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), http: httpClient}
}

// BaseURL is the server this client talks to.
func (c *Client) BaseURL() string { return c.base }

// SetToken sets the bearer token sent with every request ("" for none).
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

func (c *Client) currentToken() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

func (c *Client) Signup(ctx context.Context, req SignupRequest) (AuthResponse, error) {
	var out AuthResponse
	err := c.do(ctx, http.MethodPost, PathSignup, req, &out)
	return out, err
}

func (c *Client) Login(ctx context.Context, req LoginRequest) (AuthResponse, error) {
	var out AuthResponse
	err := c.do(ctx, http.MethodPost, PathLogin, req, &out)
	return out, err
}

// Me returns the signed-in user; an invalid token is an APIError 401.
func (c *Client) Me(ctx context.Context) (User, error) {
	var out User
	err := c.do(ctx, http.MethodGet, PathMe, nil, &out)
	return out, err
}

// Rename gives the signed-in account a new name and returns the account.
func (c *Client) Rename(ctx context.Context, name string) (User, error) {
	var out User
	err := c.do(ctx, http.MethodPatch, PathMe, RenameRequest{Name: name}, &out)
	return out, err
}

// ChangePassword gives the signed-in account a new password; its other
// sign-ins end.
func (c *Client) ChangePassword(ctx context.Context, req PasswordChangeRequest) (PasswordChangeResponse, error) {
	var out PasswordChangeResponse
	err := c.do(ctx, http.MethodPost, PathPassword, req, &out)
	return out, err
}

// Logout revokes the current token on the server.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, PathLogout, nil, nil)
}

func (c *Client) SearchCampaigns(ctx context.Context, q string) ([]Campaign, error) {
	var out CampaignSearchResponse
	err := c.do(ctx, http.MethodGet, PathCampaigns+"?q="+url.QueryEscape(q), nil, &out)
	return out.Campaigns, err
}

func (c *Client) Join(ctx context.Context, code string) (Campaign, error) {
	var out JoinResponse
	err := c.do(ctx, http.MethodPost, PathJoin, JoinRequest{Code: code}, &out)
	return out.Campaign, err
}

func (c *Client) JoinByID(ctx context.Context, campaignID string) (Campaign, error) {
	var out JoinResponse
	err := c.do(ctx, http.MethodPost, PathJoin, JoinRequest{CampaignID: campaignID}, &out)
	return out.Campaign, err
}

// Batch asks for the next batch of contacts to text (Text Again).
func (c *Client) Batch(ctx context.Context, actionID string) (BatchResponse, error) {
	var out BatchResponse
	err := c.do(ctx, http.MethodPost, pathOf(PathBatches, actionID), struct{}{}, &out)
	return out, err
}

// Release hands the caller's unsent contacts in the action back to the
// pool: those of contactIDs, or every one when contactIDs is empty.
func (c *Client) Release(ctx context.Context, actionID string, contactIDs []string) (ReleaseResponse, error) {
	var out ReleaseResponse
	err := c.do(ctx, http.MethodPost, pathOf(PathRelease, actionID), ReleaseRequest{ContactIDs: contactIDs}, &out)
	return out, err
}

// Contacts reads the contacts of the caller's conversations named by ids
// (at most MaxContactsLookup).
func (c *Client) Contacts(ctx context.Context, ids []string) (ContactsResponse, error) {
	var out ContactsResponse
	err := c.do(ctx, http.MethodPost, PathContacts, ContactsRequest{IDs: ids}, &out)
	return out, err
}

// Sync reads the changes after cursor, at most limit of them (0: server default).
func (c *Client) Sync(ctx context.Context, cursor int64, limit int) (SyncResponse, error) {
	q := url.Values{"cursor": {strconv.FormatInt(cursor, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out SyncResponse
	err := c.doOnce(ctx, http.MethodGet, PathSync+"?"+q.Encode(), nil, &out)
	return out, err
}

func (c *Client) PushMutations(ctx context.Context, muts []Mutation) (MutationsResponse, error) {
	var out MutationsResponse
	err := c.doOnce(ctx, http.MethodPost, PathMutations, MutationsRequest{Mutations: muts}, &out)
	return out, err
}

// Asking again after a busy answer (503 server_busy): the server refused
// the request before doing anything with it (at its connection cap, or its
// sign-in queue full), so any call may be asked again, whatever its method.
// A volunteer pressing Sign in, Join or Text Again waits a few seconds more
// rather than reading "busy" at the first refusal; past busyTries, or once
// a retry would begin past busyBudget of the call (a sign-in that waited its
// whole turn in the server's queue, 15 s, is not queued twice more), the
// words are shown. Sync and PushMutations are asked once: the sync engine retries
// them on its own timer, which honours Retry-After and shows "Server busy".
// A read refused for the user's reads in flight is asked again the same
// way (readsInFlight).
const (
	busyTries   = 3
	busyMaxWait = 2 * time.Second // per wait, whatever Retry-After says
	busyNoHint  = time.Second     // per wait, when the answer gave no Retry-After
	busyBudget  = 10 * time.Second
)

// busyHook is the context key of OnBusyRetry's func.
type busyHook struct{}

// OnBusyRetry returns ctx carrying fn, which a call made with it calls each
// time the server answered busy and the call waits to ask again, with the
// wait: where a window shows a call's progress, it shows "Server busy,
// trying again" then.
func OnBusyRetry(ctx context.Context, fn func(wait time.Duration)) context.Context {
	return context.WithValue(ctx, busyHook{}, fn)
}

// busyGaveUp is a call still refused as busy (or a read still refused for
// the user's reads in flight) after its tries: its words say so plainly,
// where the server's would offer to try again in a moment that the app has
// already spent. It is still the server's answer (errors.Is ErrServerBusy
// for a busy one, errors.As *APIError).
type busyGaveUp struct {
	err   error
	tries int
}

func (e *busyGaveUp) Error() string {
	if e.tries == 1 {
		return "The campaign server is still busy after a long wait. Try again in a minute."
	}
	return fmt.Sprintf("The campaign server is still busy after %d tries. Try again in a minute.", e.tries)
}
func (e *busyGaveUp) Unwrap() error { return e.err }

// do sends one JSON request and decodes a 2xx answer into out, asking again
// while the server answers busy (busyTries, within busyBudget).
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	began := time.Now()
	budget := busyBudget
	if c.busyBudget > 0 {
		budget = c.busyBudget
	}
	for try := 1; ; try++ {
		err := c.doOnce(ctx, method, path, in, out)
		if !errors.Is(err, ErrServerBusy) && !readsInFlight(method, err) {
			return err
		}
		wait := busyWait(err)
		if try == busyTries || time.Since(began)+wait > budget {
			return &busyGaveUp{err: err, tries: try}
		}
		if fn, ok := ctx.Value(busyHook{}).(func(time.Duration)); ok {
			fn(wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// readsInFlight: a read (GET) refused 429 too_many_requests with a wait
// no longer than busyMaxWait, as the server refuses a user's Admin section
// reads while 2 of their reads are being answered (it read nothing for
// this one): asked again as a busy answer is, since the user's other reads
// are done within a second, and the window would otherwise say "try again
// in 1 second" each time its refresh meets a pull. A longer wait (a
// proxy's request limit) is the words the user reads, not retried early.
func readsInFlight(method string, err error) bool {
	var ae *APIError
	return method == http.MethodGet && errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests &&
		ae.Err.Code == CodeTooManyRequests && ae.RetryAfter > 0 && ae.RetryAfter <= busyMaxWait
}

// busyWait is how long to wait before asking again after err, a busy
// answer: its Retry-After (busyNoHint without one), at most busyMaxWait,
// spread over its second half so that the apps a busy server turned away
// together do not all come back in the same instant.
func busyWait(err error) time.Duration {
	d := busyNoHint
	var ae *APIError
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		d = ae.RetryAfter
	}
	d = min(d, busyMaxWait)
	return d/2 + rand.N(d/2+1)
}

// doOnce sends one JSON request and decodes a 2xx answer into out.
func (c *Client) doOnce(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode %s %s request: %w", method, path, err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("build %s %s request: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(&capped{r: resp.Body, left: maxAnswerBody}).Decode(out); err != nil {
		// A body cut off mid-way is the network failing, not the server
		// saying something we cannot read.
		if errors.Is(err, io.ErrUnexpectedEOF) && ctx.Err() == nil {
			return &unreachableError{url: c.base, cause: err}
		}
		return &garbledError{method: method, path: path, cause: err}
	}
	return nil
}

// maxAnswerBody bounds a success answer the app reads: the largest the
// API sends (a sync page, SyncPageBytes at most but for one version's
// changes; a conversation of thousands of texts for an admin) is a few
// megabytes, and a server that streams
// without end, a hostile one the volunteer was pointed at or a broken
// proxy, must not take the app's memory (SECURITY.md).
const maxAnswerBody = 64 << 20

// A sync page passes SyncPageBytes only when its first version's changes
// alone do (a few MB at most, SyncPageBytes says why), and its size is
// counted by estimate: the cap keeps a wide margin over the budget (this
// fails to compile if SyncPageBytes grows past a quarter of the cap).
const _ = uint(maxAnswerBody - 4*SyncPageBytes)

// errAnswerTooLarge: the answer went past maxAnswerBody; it is garbled,
// not the network failing.
var errAnswerTooLarge = fmt.Errorf("the answer is larger than %d MB, more than the API ever sends", maxAnswerBody>>20)

// capped reads at most left bytes of r, then fails with errAnswerTooLarge
// (a LimitReader would end it as a body cut short, read as offline).
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errAnswerTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// send adds the token and turns transport failures into ErrUnreachable; a
// cancelled context stays a context error, since nobody is offline then.
// A deadline that passed is the server not answering in time (a network
// that dropped under an open connection hangs rather than refuses): that is
// unreachable too, so the window says "can't reach the campaign server"
// instead of "context deadline exceeded", and sync calls it offline.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	if tok := c.currentToken(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var refused *RefusedError
		if errors.As(err, &refused) {
			return nil, refused
		}
		if ctxErr := req.Context().Err(); errors.Is(ctxErr, context.DeadlineExceeded) {
			return nil, &unreachableError{url: c.base, cause: ctxErr}
		} else if ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, ctxErr)
		}
		return nil, &unreachableError{url: c.base, cause: unwrapURLError(err)}
	}
	return resp, nil
}

// ReassignTargets lists who the caller can hand the action's threads to:
// the campaign's admins, the action's creator first.
func (c *Client) ReassignTargets(ctx context.Context, actionID string) ([]User, error) {
	var out UsersResponse
	err := c.do(ctx, http.MethodGet, pathOf(PathReassignTargets, actionID), nil, &out)
	return out.Users, err
}
