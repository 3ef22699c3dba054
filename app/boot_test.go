package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// cacheStub answers as a signed-in client's cache would; broken names a
// campaign whose rows cannot be read.
type cacheStub struct {
	signedIn bool
	camps    []api.Campaign
	broken   string
	limits   []int
}

func (s *cacheStub) Status(context.Context) client.Status { return client.Status{SignedIn: s.signedIn} }
func (s *cacheStub) Campaigns(context.Context) ([]api.Campaign, error) {
	return s.camps, nil
}
func (s *cacheStub) Settings(context.Context) (client.Settings, error) {
	return client.Settings{AutoArchive: true}, nil
}
func (s *cacheStub) Actions(_ context.Context, id string) ([]api.Action, error) {
	if id == s.broken {
		return nil, errors.New("cache unreadable")
	}
	return []api.Action{{ID: id + "-a1"}}, nil
}
func (s *cacheStub) Counts(_ context.Context, id string) (client.Counts, error) {
	return client.Counts{"all": len(id)}, nil
}
func (s *cacheStub) Threads(_ context.Context, filter, id, query string, offset, limit int) ([]client.ThreadSummary, error) {
	s.limits = append(s.limits, limit)
	if id == s.broken {
		return nil, errors.New("cache unreadable")
	}
	if filter != "all" || query != "" || offset != 0 {
		return nil, errors.New("not the first page of the inbox")
	}
	return []client.ThreadSummary{{ID: id + "-t1"}}, nil
}

const index = `<!doctype html><html><head><title>Textbank</title><script type="module" src="./assets/index.js"></script></head><body><div id="root"></div></body></html>`

func TestReadBootFirstPageOfEachCampaign(t *testing.T) {
	src := &cacheStub{signedIn: true, camps: []api.Campaign{{ID: "c1"}, {ID: "c2"}, {ID: "c3"}, {ID: "c4"}, {ID: "c5"}}, broken: "c2"}
	b := ReadBoot(context.Background(), src)
	if !b.Status.SignedIn || len(b.Campaigns) != 5 || b.PageSize != BootPageSize {
		t.Fatalf("boot = %+v", b)
	}
	if got := b.Threads["c1"]; len(got) != 1 || got[0].ID != "c1-t1" || b.Counts["c1"]["all"] != 2 {
		t.Fatalf("c1: rows %v counts %v", got, b.Counts["c1"])
	}
	if got := b.Actions["c1"]; len(got) != 1 || got[0].ID != "c1-a1" || b.InboxSettings == nil || !b.InboxSettings.AutoArchive {
		t.Fatalf("c1: actions %v, inbox settings %v", got, b.InboxSettings)
	}
	if _, ok := b.Actions["c2"]; ok {
		t.Fatal("c2's unreadable actions are in the boot data")
	}
	// A campaign whose rows cannot be read is left for the window to ask for, counts too.
	if _, ok := b.Threads["c2"]; ok {
		t.Fatal("c2's unreadable rows are in the boot data")
	}
	if _, ok := b.Counts["c2"]; ok {
		t.Fatal("c2's counts are in the boot data without its rows")
	}
	if _, ok := b.Threads["c5"]; ok {
		t.Fatalf("more than %d campaigns' pages read", bootCampaigns)
	}
	for _, l := range src.limits {
		if l != BootPageSize {
			t.Fatalf("page of %d rows asked for, want %d", l, BootPageSize)
		}
	}
}

func TestReadBootSignedOutReadsNothingMore(t *testing.T) {
	src := &cacheStub{camps: []api.Campaign{{ID: "c1"}}}
	b := ReadBoot(context.Background(), src)
	if b.Status.SignedIn || b.Campaigns != nil || len(b.Threads) != 0 || len(src.limits) != 0 {
		t.Fatalf("signed out boot = %+v (threads asked %d times)", b, len(src.limits))
	}
}

var bootScript = regexp.MustCompile(`<script id="textbank-boot" type="application/json">(.*?)</script>`)

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return string(body)
}

func TestBootPageServesIndexWithTheData(t *testing.T) {
	src := &cacheStub{signedIn: true, camps: []api.Campaign{{ID: "c1", Name: "</script><b>Vote & win"}}}
	settings := func() (SettingsView, error) { return SettingsView{Version: "9.9"}, nil }
	p := NewBootPage(context.Background(), src, settings, zerolog.Nop())
	// The asset handler: index.html for the page, anything else by name.
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || r.URL.Path == "/index.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, index)
			return
		}
		_, _ = io.WriteString(w, "asset "+r.URL.Path)
	})
	h := p.Middleware(next)

	if got := get(t, h, "/assets/index.js"); got != "asset /assets/index.js" {
		t.Fatalf("an asset went elsewhere: %q", got)
	}
	page := get(t, h, "/")
	m := bootScript.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no boot data in the page:\n%s", page)
	}
	// A campaign name cannot end the script early: the JSON has no raw < or >.
	if strings.ContainsAny(m[1], "<>") {
		t.Fatalf("raw markup in the boot JSON: %s", m[1])
	}
	var b BootData
	if err := json.Unmarshal([]byte(m[1]), &b); err != nil {
		t.Fatal(err)
	}
	if b.Campaigns[0].Name != "</script><b>Vote & win" || len(b.Threads["c1"]) != 1 || b.Settings == nil || b.Settings.Version != "9.9" {
		t.Fatalf("boot data = %+v", b)
	}
	if !strings.HasSuffix(page, `</script>
</head><body><div id="root"></div></body></html>`) || !strings.HasPrefix(page, index[:strings.Index(index, "</head>")]) {
		t.Fatalf("the rest of index.html changed:\n%s", page)
	}
	// A reload gets the plain page (the window then asks Go for fresh data).
	if again := get(t, h, "/index.html"); again != index {
		t.Fatalf("second request = %q", again)
	}
}

func TestInjectBootWithoutHeadLeavesThePage(t *testing.T) {
	in := []byte("<p>no head</p>")
	if got := InjectBoot(in, []byte(`{}`)); string(got) != string(in) {
		t.Fatalf("got %q", got)
	}
}

func TestBootPageLeavesAnythingButAnHTMLPageAlone(t *testing.T) {
	src := &cacheStub{signedIn: true, camps: []api.Campaign{{ID: "c1"}}}
	p := NewBootPage(context.Background(), src, func() (SettingsView, error) { return SettingsView{}, nil }, zerolog.Nop())
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<html><head></head></html>")
	})
	rec := httptest.NewRecorder()
	p.Middleware(next).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "textbank-boot") {
		t.Fatalf("a missing index.html came back %d %q", rec.Code, rec.Body.String())
	}
}

// TestPlainPageAsksForAnUncompressedPage: index.html is rewritten on its way
// (by BootPage and by Wails' asset server), so the frontend server behind is never
// asked for a compressed one (vite preview gzips it past 1 KB, and the
// rewritten bytes then failed to decode in the browser); other assets keep
// the browser's Accept-Encoding.
func TestPlainPageAsksForAnUncompressedPage(t *testing.T) {
	seen := map[string]string{}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen[r.URL.Path] = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, index)
	})
	h := PlainPage(next)
	for _, path := range []string{"/", "/index.html", "/assets/index.js"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if seen["/"] != "" || seen["/index.html"] != "" || seen["/assets/index.js"] != "gzip, deflate" {
		t.Fatalf("Accept-Encoding passed on: %q", seen)
	}
}
