package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
)

// The connection drops mid-batch: the volunteer keeps sending, the texts
// wait, and Text Again says plainly that they are kept (not the push's
// "push 4 mutations: ... dial tcp", nor "could not reach", which read as
// lost). When the server is back each text goes out once and the count
// reaches zero.
func TestConnectionDropsMidBatch(t *testing.T) {
	ctx := context.Background()
	serverDir := t.TempDir()
	inst := startDemoIn(t, serverDir, "127.0.0.1:0")
	addr, action := strings.TrimPrefix(inst.URL, "http://"), inst.Info.ActionID
	c, _ := joined(t, inst, t.TempDir())
	if _, err := c.TextAgain(ctx, action); err != nil {
		t.Fatal(err)
	}
	q, err := c.Queue(ctx, action)
	if err != nil || len(q.Items) < 6 {
		t.Fatalf("queue %+v %v", q, err)
	}
	for _, it := range q.Items[:2] {
		if err := c.SendInitial(ctx, action, it.ContactID); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the first texts sent", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })

	stop(t, inst)
	eventually(t, "offline", 10*time.Second, func() bool { return c.Status(ctx).Connection == client.ConnectionOffline })
	var phones []string
	for _, it := range q.Items[2:6] {
		phones = append(phones, it.Phone)
		if err := c.SendInitial(ctx, action, it.ContactID); err != nil {
			t.Fatalf("send offline: %v", err)
		}
	}
	if st := c.Status(ctx); st.Pending != 4 || st.Connection != client.ConnectionOffline || !strings.Contains(st.Problem, "kept") {
		t.Fatalf("status offline %+v", st)
	}
	_, err = c.TextAgain(ctx, action)
	if err == nil {
		t.Fatal("Text Again offline succeeded")
	}
	for _, technical := range []string{"push", "mutation", "dial", "tcp", "could not reach", "http://"} {
		if strings.Contains(err.Error(), technical) {
			t.Fatalf("Text Again offline says %q (has %q)", err, technical)
		}
	}
	if !strings.Contains(err.Error(), "kept") {
		t.Fatalf("Text Again offline does not say the texts are kept: %q", err)
	}

	back := startDemoIn(t, serverDir, addr)
	t.Cleanup(func() { stop(t, back) })
	eventually(t, "online and drained", 15*time.Second, func() bool {
		st := c.Status(ctx)
		return st.Connection == client.ConnectionOnline && st.Pending == 0 && st.Problem == ""
	})
	if _, err := c.TextAgain(ctx, action); err != nil {
		t.Fatalf("Text Again back online: %v", err)
	}
	for _, p := range phones {
		sentOnce(t, back.Network, p)
	}
}

// syncCut fails the app's pulls (GET /api/v1/sync) at the transport while
// cut, as a connection lost between two calls does.
type syncCut struct{ cut atomic.Bool }

func (s *syncCut) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.cut.Load() && r.URL.Path == "/api/v1/sync" {
		return nil, errors.New("network is unreachable")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// The connection drops right after Text Again got a batch (or Stop for now
// released one), before the contacts load: the window's words for an
// unreachable server replace everything after "cannot reach the campaign
// server at URL:", so the message must name it before the engine's own
// "pull after version N:", which would otherwise stay on screen.
func TestLoadingAfterTextAgainOfflineSaysUnreachableFirst(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	cut := &syncCut{}
	c := clientThrough(t, inst.URL, cut)
	signInAndJoin(t, c)
	cut.cut.Store(true)
	_, againErr := c.TextAgain(ctx, inst.Info.ActionID)
	_, releaseErr := c.Release(ctx, inst.Info.ActionID)
	for what, err := range map[string]error{"Text Again": againErr, "Release": releaseErr} {
		if err == nil || !errors.Is(err, api.ErrUnreachable) {
			t.Fatalf("%s: %v", what, err)
		}
		msg := err.Error()
		at := strings.Index(msg, "cannot reach the campaign server at "+inst.URL+": ")
		if at < 0 || strings.Contains(msg[:at], "pull") {
			t.Fatalf("%s: %q does not say the server is unreachable before the sync's own words", what, msg)
		}
	}
}
