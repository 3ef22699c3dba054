package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/inbox"
)

// BootPageSize is the first page of each campaign's inbox put into the
// page; the window's list pages by the same size (frontend
// features/inbox/hooks.ts pageSize, which says why 50) and ignores a boot
// of another size.
const BootPageSize = 50

// bootCampaigns bounds how many campaigns' first pages go into the page: a
// volunteer is in one or two; the window opens on one of them.
const bootCampaigns = 4

// bootWait is how long the window's first request waits for the boot data.
// It is read from the cache (tens of ms) while WebKit starts (hundreds), so
// it is normally ready long before; past this the page goes without it and
// asks for its data itself.
const bootWait = time.Second

// BootData is the first screen's data, exactly what the window's first
// calls (Settings.Get, Account.Status, Account.Campaigns, Inbox.Settings,
// and per campaign Account.Actions, Inbox.Counts and Inbox.Threads("all",
// campaign, "", 0, BootPageSize)) would answer, delivered inside index.html
// so the cached inbox paints without a round trip to Go (the sidebar's
// actions and the Automatic Archive Setting included: asked for by the
// first render, they were two round trips and two more renders before the
// inbox said ready).
type BootData struct {
	PageSize      int                               `json:"pageSize"`
	Settings      *SettingsView                     `json:"settings,omitempty"`
	Status        client.Status                     `json:"status"`
	Campaigns     []api.Campaign                    `json:"campaigns"`
	InboxSettings *client.Settings                  `json:"inboxSettings,omitempty"`
	Actions       map[string][]api.Action           `json:"actions"`
	Counts        map[string]client.Counts          `json:"counts"`
	Threads       map[string][]client.ThreadSummary `json:"threads"`
}

// bootSource is the part of the client the boot data is read from (the
// local cache only: none of these waits for the network).
type bootSource interface {
	Status(ctx context.Context) client.Status
	Campaigns(ctx context.Context) ([]api.Campaign, error)
	Settings(ctx context.Context) (client.Settings, error)
	Actions(ctx context.Context, campaignID string) ([]api.Action, error)
	Counts(ctx context.Context, campaignID string) (client.Counts, error)
	Threads(ctx context.Context, filter, campaignID, query string, offset, limit int) ([]client.ThreadSummary, error)
}

// ReadBoot reads the first screen's data from the cache. Signed out, or
// for a campaign whose rows cannot be read, it holds less (the window then
// asks for the rest itself).
func ReadBoot(ctx context.Context, src bootSource) BootData {
	b := BootData{PageSize: BootPageSize, Actions: map[string][]api.Action{}, Counts: map[string]client.Counts{}, Threads: map[string][]client.ThreadSummary{}}
	b.Status = src.Status(ctx)
	if !b.Status.SignedIn {
		return b
	}
	camps, err := src.Campaigns(ctx)
	if err != nil {
		return b
	}
	b.Campaigns = camps
	if settings, err := src.Settings(ctx); err == nil {
		b.InboxSettings = &settings
	}
	for i, c := range camps {
		if i == bootCampaigns {
			break
		}
		if actions, err := src.Actions(ctx, c.ID); err == nil {
			b.Actions[c.ID] = actions
		}
		counts, err := src.Counts(ctx, c.ID)
		if err != nil {
			continue
		}
		rows, err := src.Threads(ctx, string(inbox.All), c.ID, "", 0, BootPageSize)
		if err != nil {
			continue
		}
		b.Counts[c.ID], b.Threads[c.ID] = counts, rows
	}
	return b
}

// BootPage serves index.html with the first screen's data inside it.
type BootPage struct {
	settings func() (SettingsView, error)
	log      zerolog.Logger

	done chan struct{}
	data BootData
	once sync.Once
}

// NewBootPage starts reading the boot data at once, in the background (the
// caller goes on to start the window); settings is the Settings screen's
// view (read when the page is asked for, when the tray's presence is known).
func NewBootPage(ctx context.Context, src bootSource, settings func() (SettingsView, error), log zerolog.Logger) *BootPage {
	p := &BootPage{settings: settings, log: log, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		start := time.Now()
		p.data = ReadBoot(ctx, src)
		rows := 0
		for _, r := range p.data.Threads {
			rows += len(r)
		}
		log.Debug().Int("rows", rows).Dur("took", time.Since(start)).Msg("boot data read")
	}()
	return p
}

// Middleware is the AssetServer middleware: the window's first request for
// index.html (the built one, or the dev server's) gets the boot data put
// into it; every other request, and every later index.html (a reload asks
// Go afresh: the data is old by then), passes through untouched.
func (p *BootPage) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isPage(r) || !p.first() {
			next.ServeHTTP(w, r)
			return
		}
		page := &pageRecorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(page, r)
		body := page.body.Bytes()
		if page.code == http.StatusOK && strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
			if js, ok := p.json(); ok {
				body = InjectBoot(body, js)
				p.log.Debug().Int("bytes", len(js)).Msg("boot data in the page")
			}
		}
		for k, v := range page.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(page.code)
		_, _ = w.Write(body)
	})
}

// isPage reports whether r asks for index.html.
func isPage(r *http.Request) bool {
	return r.Method == http.MethodGet && (r.URL.Path == "/" || r.URL.Path == "" || r.URL.Path == "/index.html")
}

// PlainPage is an AssetServer middleware that asks the handler behind it
// for index.html uncompressed. The page is rewritten on its way out (the
// boot data by BootPage, Wails' own scripts by its asset server, which does
// not decode what it splices into), so a frontend server that gzips it
// (vite preview does past 1 KB, as `wails dev -frontenddevserverurl` of a
// production build) handed the browser undecodable bytes. Other assets
// keep the browser's Accept-Encoding.
func PlainPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isPage(r) && r.Header.Get("Accept-Encoding") != "" {
			r = r.Clone(r.Context())
			r.Header.Del("Accept-Encoding")
		}
		next.ServeHTTP(w, r)
	})
}

// first reports whether this is the first index.html asked for.
func (p *BootPage) first() bool {
	first := false
	p.once.Do(func() { first = true })
	return first
}

// json is the boot data, once read (or false after bootWait).
func (p *BootPage) json() ([]byte, bool) {
	select {
	case <-p.done:
	case <-time.After(bootWait):
		p.log.Warn().Dur("waited", bootWait).Msg("boot data not read in time; the window asks for it")
		return nil, false
	}
	data := p.data
	if v, err := p.settings(); err == nil {
		data.Settings = &v
	}
	js, err := json.Marshal(data) // escapes <, > and &: nothing in it can close the script
	if err != nil {
		p.log.Warn().Err(err).Msg("boot data unencodable; the window asks for it")
		return nil, false
	}
	return js, true
}

// pageRecorder keeps index.html as the next handler wrote it.
type pageRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *pageRecorder) Header() http.Header         { return r.header }
func (r *pageRecorder) WriteHeader(code int)        { r.code = code }
func (r *pageRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// InjectBoot puts js into index as <script id="textbank-boot"
// type="application/json"> before </head> (index unchanged without one).
func InjectBoot(index, js []byte) []byte {
	at := bytes.Index(index, []byte("</head>"))
	if at < 0 {
		return index
	}
	var out bytes.Buffer
	out.Grow(len(index) + len(js) + 64)
	out.Write(index[:at])
	out.WriteString(`<script id="textbank-boot" type="application/json">`)
	out.Write(js)
	out.WriteString("</script>\n")
	out.Write(index[at:])
	return out.Bytes()
}
