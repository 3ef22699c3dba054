package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

type sseEvent struct {
	Name string
	Data string
}

func parse(t testing.TB, in string) []sseEvent {
	var out []sseEvent
	if err := api.ReadSSE(strings.NewReader(in), func(name string, data []byte) {
		out = append(out, sseEvent{name, string(data)})
	}); err != nil {
		t.Fatalf("ReadSSE: %v", err)
	}
	return out
}

func TestReadSSE(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []sseEvent
	}{
		{"one event", "event: change\ndata: {\"version\":3}\n\n", []sseEvent{{"change", `{"version":3}`}}},
		{"comments ignored", ": ping\n\n: hello\nevent: change\ndata: x\n\n", []sseEvent{{"change", "x"}}},
		{"multi-line data", "data: a\ndata: b\n\n", []sseEvent{{"", "a\nb"}}},
		{"crlf", "event: change\r\ndata: y\r\n\r\n", []sseEvent{{"change", "y"}}},
		{"no space after colon", "event:change\ndata:z\n\n", []sseEvent{{"change", "z"}}},
		{"unterminated event dropped", "event: change\ndata: z", nil},
		{"event without data dropped", "event: change\n\n", nil},
		{"unknown fields ignored", "id: 4\nretry: 10\ndata: q\n\n", []sseEvent{{"", "q"}}},
		{"name resets between events", "event: a\ndata: 1\n\ndata: 2\n\n", []sseEvent{{"a", "1"}, {"", "2"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := parse(t, tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v want %+v", got, tc.want)
			}
		})
	}
}

func FuzzReadSSE(f *testing.F) {
	f.Add("event: change\ndata: {\"version\":1}\n\n")
	f.Add(": c\n\ndata:\n\n")
	f.Add("data: a\r\ndata: b\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		events := parse(t, in)
		// Re-encoding what was parsed must parse to the same thing: the
		// parser neither invents nor loses events.
		var buf bytes.Buffer
		for _, ev := range events {
			if strings.ContainsAny(ev.Name, "\r\n") {
				t.Fatalf("event name %q holds a line break", ev.Name)
			}
			if ev.Name != "" {
				fmt.Fprintf(&buf, "event: %s\n", ev.Name)
			}
			for _, line := range strings.Split(ev.Data, "\n") {
				fmt.Fprintf(&buf, "data: %s\n", line)
			}
			buf.WriteString("\n")
		}
		again := parse(t, buf.String())
		if len(again) != len(events) {
			t.Fatalf("re-parse: %d events, want %d", len(again), len(events))
		}
		for i := range events {
			if again[i].Name != events[i].Name {
				t.Fatalf("event %d name %q became %q", i, events[i].Name, again[i].Name)
			}
			// A data line ending in "\r\r" loses one "\r" on re-parse: that is
			// the line-ending rule, not a changed event.
			if again[i].Data != events[i].Data && !strings.Contains(events[i].Data, "\r") {
				t.Fatalf("event %d data %q became %q", i, events[i].Data, again[i].Data)
			}
		}
	})
}

func TestEventsStream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"error":{"code":"unauthorized","message":"Sign in again"}}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ": hello\n\nevent: change\ndata: {\"version\":5}\n\nevent: other\ndata: {\"version\":9}\n\ndata: not json\n\n"+
			"event: admin\ndata: {\"campaignId\":\"c1\"}\n\nevent: admin\ndata: {}\n\nevent: admin\ndata: nope\n\nevent: change\ndata: {\"version\":6}\n\n")
	}))
	defer srv.Close()

	t.Run("events then end", func(t *testing.T) {
		c := api.NewClient(srv.URL, srv.Client())
		c.SetToken("tok")
		var got []api.Event
		opened := false
		err := c.Stream(context.Background(), func() { opened = true }, func(ev api.Event) { got = append(got, ev) })
		if err != nil {
			t.Fatal(err)
		}
		// An admin event names its campaign; one without (or not JSON) is skipped.
		want := []api.Event{{Version: 5}, {AdminCampaignID: "c1"}, {Version: 6}}
		if !opened || !reflect.DeepEqual(got, want) {
			t.Fatalf("opened %v events %+v, want %+v", opened, got, want)
		}
	})
	t.Run("refused stream", func(t *testing.T) {
		c := api.NewClient(srv.URL, srv.Client())
		err := c.Events(context.Background(), func(api.Event) { t.Fatal("no event expected") })
		if !api.IsCode(err, api.CodeUnauthorized) || err.Error() != "Sign in again" {
			t.Fatalf("got %v", err)
		}
	})
}

func TestEventsReturnsOnCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- api.NewClient(srv.URL, srv.Client()).Events(ctx, func(api.Event) {}) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Events did not return after cancel")
	}
}

// A network that drops under an open stream sends nothing, not even a
// reset: the stream must not wait minutes for TCP to notice while the
// window says "Online". Silence past the idle limit is unreachable; a
// server's keep-alive comments keep the stream open.
func TestSilentStreamIsUnreachable(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		if r.Header.Get("X-Pings") != "" {
			for i := 0; i < 8; i++ {
				fmt.Fprint(w, ": ping\n\n")
				w.(http.Flusher).Flush()
				time.Sleep(40 * time.Millisecond)
			}
			return
		}
		fmt.Fprint(w, "event: change\ndata: {\"version\":5}\n\n")
		w.(http.Flusher).Flush()
		select { // the network is gone: nothing more arrives
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer func() {
		close(release) // before Close, which waits for the handler
		srv.Close()
	}()

	c := api.NewClient(srv.URL, srv.Client())
	c.SetStreamIdle(150 * time.Millisecond)
	var versions []int64
	done := make(chan error, 1)
	go func() {
		done <- c.Events(context.Background(), func(ev api.Event) { versions = append(versions, ev.Version) })
	}()
	select {
	case err := <-done:
		if !errors.Is(err, api.ErrUnreachable) || !reflect.DeepEqual(versions, []int64{5}) {
			t.Fatalf("silent stream: err %v, versions %v", err, versions)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a silent stream was held for 5 s")
	}

	// Pings 40 ms apart for 320 ms keep a 150 ms idle limit from firing.
	pinged := api.NewClient(srv.URL, &http.Client{Transport: headerTransport{"X-Pings", "1"}})
	pinged.SetStreamIdle(150 * time.Millisecond)
	if err := pinged.Events(context.Background(), func(api.Event) {}); err != nil {
		t.Fatalf("pinged stream: %v", err)
	}
}

type headerTransport struct{ name, value string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// TestStreamFromASignInPage: a 200 that is not an event stream (a Wi-Fi
// sign-in page in the server's place) opens no stream, so nothing is pulled
// as if one had, and says the answer could not be read, not offline.
func TestStreamFromASignInPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>data: {\"version\":5}\n\n</html>")
	}))
	defer srv.Close()
	c := api.NewClient(srv.URL, srv.Client())
	opened, events := false, 0
	err := c.Stream(context.Background(), func() { opened = true }, func(api.Event) { events++ })
	if !errors.Is(err, api.ErrGarbled) || errors.Is(err, api.ErrUnreachable) || opened || events != 0 {
		t.Fatalf("Stream = %v, opened %v, %d events; want ErrGarbled, not opened, none", err, opened, events)
	}
}
