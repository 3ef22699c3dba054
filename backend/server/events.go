package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// hub pokes the open event streams of a user. A poke carries no data: the
// stream reads the user's newest version itself, so pokes may coalesce.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func newHub() *hub {
	return &hub{subs: map[string]map[chan struct{}]struct{}{}}
}

func (h *hub) subscribe(userID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[userID] == nil {
		h.subs[userID] = map[chan struct{}]struct{}{}
	}
	h.subs[userID][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[userID], ch)
		if len(h.subs[userID]) == 0 {
			delete(h.subs, userID)
		}
		h.mu.Unlock()
	}
}

func (h *hub) notify(userID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[userID] {
		select {
		case ch <- struct{}{}:
		default: // a poke is already pending; that one will read the newest version
		}
	}
}

// notifyAll pokes every open stream.
func (h *hub) notifyAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.subs {
		for ch := range subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// handleEvents streams "change" events: one at once with the newest
// version, then one after every commit that touched the user's feed, with a
// ping comment in between so proxies and clients see the line alive.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	poke, cancel := s.hub.subscribe(u.ID)
	defer cancel()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	// The stream outlives the server's write timeout, if one is set.
	_ = rc.SetWriteDeadline(time.Time{})

	sent := int64(-1)
	sendVersion := func() error {
		var v int64
		if err := s.store.View(ctx, func(tx store.Tx) error {
			var err error
			v, err = tx.LatestSeq(ctx, u.ID)
			return err
		}); err != nil {
			return err
		}
		if v == sent {
			return nil
		}
		data, _ := json.Marshal(api.Event{Version: v})
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", api.EventChange, data); err != nil {
			return err
		}
		sent = v
		return rc.Flush()
	}
	if err := sendVersion(); err != nil {
		s.log.Debug().Err(err).Msg("event stream closed")
		return nil
	}
	ticker := time.NewTicker(s.ping)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.done:
			return nil
		case <-poke:
			if err := sendVersion(); err != nil {
				s.log.Debug().Err(err).Msg("event stream closed")
				return nil
			}
		case <-ticker.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return nil
			}
			if err := rc.Flush(); err != nil {
				return nil
			}
		}
	}
}
