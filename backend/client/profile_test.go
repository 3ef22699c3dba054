package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/demo"
)

// TestRenameRendersTheNewName: a volunteer renamed in the app sees the new
// name in the send screen's texts at once, the texts sent carry it, the
// status names it, and the app remembers it when it starts again.
// Offline the rename is refused in words, and nothing changes.
func TestRenameRendersTheNewName(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	action := inst.Info.ActionID
	if _, err := c.TextAgain(ctx, action); err != nil {
		t.Fatal(err)
	}
	first := strings.Fields(demo.VolunteerName)[0]
	q, err := c.Queue(ctx, action)
	if err != nil || len(q.Items) < 2 || !strings.Contains(q.Items[0].Body, first) {
		t.Fatalf("queue before the rename %+v %v, want texts with %q", q.Items, err, first)
	}
	if _, err := c.Rename(ctx, "   "); err == nil {
		t.Fatal("a blank name was accepted")
	}
	u, err := c.Rename(ctx, "Zelda Zimmer")
	if err != nil || u.Name != "Zelda Zimmer" {
		t.Fatalf("rename: %+v %v", u, err)
	}
	q, err = c.Queue(ctx, action)
	if err != nil || !strings.Contains(q.Items[0].Body, "Zelda") || strings.Contains(q.Items[0].Body, first) {
		t.Fatalf("queue after the rename %+v %v, want texts with Zelda", q.Items, err)
	}
	if st := c.Status(ctx); st.User == nil || st.User.Name != "Zelda Zimmer" {
		t.Fatalf("status after the rename names %+v", st.User)
	}
	if err := c.SendInitial(ctx, action, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	// Sent (not refused as script_changed), carrying the new name.
	phone := q.Items[0].Phone
	eventually(t, "the text sent", 10*time.Second, func() bool { return sentTo(inst.Network, phone) == 1 })
	for _, m := range inst.Network.Sent() {
		if m.To == phone && !strings.Contains(m.Body, "Zelda") {
			t.Fatalf("sent %q, want the new name", m.Body)
		}
	}
	c.Close()
	again, _ := newClient(t, inst.URL, dir)
	if st := again.Status(ctx); st.User == nil || st.User.Name != "Zelda Zimmer" {
		t.Fatalf("after a restart the status names %+v", st.User)
	}
	stop(t, inst)
	_, err = again.Rename(ctx, "Someone Else")
	if err == nil || !strings.Contains(err.Error(), "Your name was not changed") || !strings.Contains(err.Error(), "online") {
		t.Fatalf("rename offline: %v", err)
	}
	if st := again.Status(ctx); st.User.Name != "Zelda Zimmer" {
		t.Fatalf("a refused rename changed the name to %q", st.User.Name)
	}
	if _, err := again.ChangePassword(ctx, demo.VolunteerPassword, "a brand new passphrase"); err == nil ||
		!strings.Contains(err.Error(), "Your password was not changed") {
		t.Fatalf("password change offline: %v", err)
	}
}

// TestRenamedElsewhere: a volunteer renamed on another computer (or by an
// organizer) is told in the sync feed: the app here renders its next texts
// with the new name before any is sent, and none is refused for it.
func TestRenamedElsewhere(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	hereDir := t.TempDir()
	here, _ := newClient(t, inst.URL, hereDir)
	signInAndJoin(t, here)
	other, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, other)
	action := inst.Info.ActionID
	if _, err := here.TextAgain(ctx, action); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Rename(ctx, "Zelda Zimmer"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the app here to learn the new name from its sync", 10*time.Second, func() bool {
		st := here.Status(ctx)
		return st.User != nil && st.User.Name == "Zelda Zimmer"
	})
	q, err := here.Queue(ctx, action)
	if err != nil || len(q.Items) < 2 {
		t.Fatalf("queue here %+v %v", q.Items, err)
	}
	for _, it := range q.Items {
		if !strings.Contains(it.Body, "Zelda") {
			t.Fatalf("queue item %s after learning the name: %q", it.ContactID, it.Body)
		}
	}
	first := q.Items[0]
	if err := here.SendInitial(ctx, action, first.ContactID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first text sent, not refused", 10*time.Second, func() bool { return sentTo(inst.Network, first.Phone) == 1 })
	// A restart remembers the name: the cache stored it with the round.
	here.Close()
	again, _ := newClient(t, inst.URL, hereDir)
	if st := again.Status(ctx); st.User == nil || st.User.Name != "Zelda Zimmer" {
		t.Fatalf("after a restart the status names %+v", st.User)
	}
}

// TestChangePasswordNamesTheFieldFoundWrong: an empty current password, a
// short new one, a wrong current one and a new one the server refuses are
// each answered with the field and its words (no error), and nothing is
// changed; a right one ends the other sign-ins and signs in with the new.
func TestChangePasswordNamesTheFieldFoundWrong(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	other, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, other)
	for _, tc := range []struct {
		current, next, field, words string
	}{
		{"", "a brand new passphrase", "current", "enter your current password"},
		{demo.VolunteerPassword, "short", "new", "the new password must be at least"},
		{"not the password", "a brand new passphrase", "current", "the current password is not right"},
		{demo.VolunteerPassword, "my " + demo.VolunteerEmail + " pass", "new", "must not contain your email address"},
	} {
		res, err := c.ChangePassword(ctx, tc.current, tc.next)
		if err != nil || res.Field != tc.field || !strings.Contains(res.Problem, tc.words) || res.SignedOut != 0 {
			t.Fatalf("ChangePassword(%q, %q) = %+v, %v; want field %q saying %q", tc.current, tc.next, res, err, tc.field, tc.words)
		}
	}
	res, err := c.ChangePassword(ctx, demo.VolunteerPassword, "a brand new passphrase")
	if err != nil || res.Field != "" || res.SignedOut != 1 {
		t.Fatalf("the right change: %+v, %v; want the other computer signed out", res, err)
	}
}
