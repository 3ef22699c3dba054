package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync/atomic"
	"time"
)

// StreamPing is how often the server writes a keep-alive comment on an
// event stream (server.Config.PingInterval's default), so that a silent
// stream can be told from a quiet one.
const StreamPing = 15 * time.Second

// DefaultStreamIdle is how long an event stream may stay silent before it
// counts as lost: three keep-alives missed. A network that drops under an
// open stream sends no reset, and a read would wait for TCP keep-alive
// (minutes) while the window said "Online".
const DefaultStreamIdle = 3 * StreamPing

// EventChange is the SSE event name the server uses for Event.
const EventChange = "change"

// EventAdmin is the SSE event a campaign's admins get when what its Admin
// section shows changed (data: AdminEvent).
const EventAdmin = "admin"

// Event is one live event the app acts on. From a "change" event, Version
// is the newest version the caller can see: the client pulls when it is
// past its cursor. From an "admin" event, AdminCampaignID names the
// campaign whose Admin section changed (Version is 0 then): the app reads
// that section again if it shows it.
type Event struct {
	Version         int64  `json:"version"`
	AdminCampaignID string `json:"-"`
}

// AdminEvent is the data of an "admin" event.
type AdminEvent struct {
	CampaignID string `json:"campaignId"`
}

// EventReplaced is the last event of a stream the server ends because the
// user opened more streams than it keeps (a newer one took its place).
const EventReplaced = "replaced"

// ErrStreamReplaced is what Stream returns after EventReplaced: asking
// again at once would only end another of the user's streams.
var ErrStreamReplaced = errors.New("the campaign server ended this event stream for a newer one of the same account")

// maxSSELine bounds one line of the stream, so a broken server cannot make
// the app buffer without limit.
const maxSSELine = 1 << 20

// Events holds GET /api/v1/events open and calls fn for every change and
// admin event.
// It returns when the stream ends (nil), fails (ErrUnreachable, APIError) or
// ctx is done (ctx.Err()).
func (c *Client) Events(ctx context.Context, fn func(Event)) error {
	return c.Stream(ctx, nil, fn)
}

// Stream is Events with onOpen, called once the server has accepted the
// stream: the sync engine pulls then, so nothing that happened while the
// stream was down is missed.
func (c *Client) Stream(ctx context.Context, onOpen func(), fn func(Event)) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(sctx, http.MethodGet, c.base+PathEvents, nil)
	if err != nil {
		return fmt.Errorf("build events request: %w", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		// Something else answered in the server's place (a Wi-Fi sign-in
		// page's 200): no stream is open, and nothing may be pulled as if
		// one were.
		return &garbledError{method: http.MethodGet, path: PathEvents,
			cause: fmt.Errorf("answered %q, not an event stream", resp.Header.Get("Content-Type"))}
	}
	if onOpen != nil {
		onOpen()
	}
	// Anything read (an event, a keep-alive) shows the server is there;
	// silence for idle ends the stream as unreachable.
	idle := c.StreamIdle()
	var silent atomic.Bool
	watch := time.AfterFunc(idle, func() {
		silent.Store(true)
		cancel()
	})
	defer watch.Stop()
	replaced := false
	err = ReadSSE(&heardFrom{r: resp.Body, watch: watch, idle: idle}, func(name string, data []byte) {
		switch name {
		case EventReplaced:
			replaced = true
		case EventAdmin:
			var ev AdminEvent
			if json.Unmarshal(data, &ev) != nil || ev.CampaignID == "" {
				return // skipped: the Admin section's own refresh covers it
			}
			fn(Event{AdminCampaignID: ev.CampaignID})
		case EventChange, "":
			var ev Event
			if json.Unmarshal(data, &ev) != nil {
				return // a malformed event is skipped; the poll timer covers it
			}
			fn(ev)
		}
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if silent.Load() {
		return &unreachableError{url: c.base, cause: fmt.Errorf("event stream: nothing from the server for %s", idle)}
	}
	if err != nil {
		return &unreachableError{url: c.base, cause: fmt.Errorf("event stream: %w", err)}
	}
	if replaced {
		return ErrStreamReplaced
	}
	return nil
}

// heardFrom re-arms the stream's silence watch on every read that brought
// something.
type heardFrom struct {
	r     io.Reader
	watch *time.Timer
	idle  time.Duration
}

func (h *heardFrom) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.watch.Reset(h.idle)
	}
	return n, err
}

// ReadSSE parses a text/event-stream (the WHATWG rules that matter here):
// "event:" names the event, "data:" lines are joined with "\n", a blank line
// dispatches, lines starting with ":" are comments, other fields are
// ignored. An event with no data is not dispatched. It returns nil at EOF.
func ReadSSE(r io.Reader, dispatch func(name string, data []byte)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxSSELine)
	sc.Split(sseLines)
	var (
		name    string
		data    bytes.Buffer
		hasData bool
	)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			if hasData {
				dispatch(name, bytes.Clone(data.Bytes()))
			}
			name, hasData = "", false
			data.Reset()
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			name = string(value)
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.Write(value)
			hasData = true
		}
	}
	return sc.Err()
}

// sseLines splits a stream at CRLF, LF or a lone CR: the three line ends the
// event-stream format allows (a lone CR inside a field would otherwise end
// up in an event's name or data).
func sseLines(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	i := bytes.IndexAny(data, "\r\n")
	switch {
	case i < 0 && atEOF:
		return len(data), data, nil
	case i < 0:
		return 0, nil, nil
	case data[i] == '\n':
		return i + 1, data[:i], nil
	case i+1 < len(data) && data[i+1] == '\n':
		return i + 2, data[:i], nil
	case i+1 < len(data) || atEOF:
		return i + 1, data[:i], nil
	default:
		return 0, nil, nil // a CR last in the buffer may be half of a CRLF
	}
}
