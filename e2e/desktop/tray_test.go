package desktop

import (
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var unreadTooltip = regexp.MustCompile(`Textbank: ([1-9][0-9]*) unread repl`)

// The integration test: started hidden at login, Textbank registers
// its tray item, keeps syncing, shows the unread count in the tray when a
// reply arrives, raises a notification on org.freedesktop.Notifications
// whose click opens the window on that thread, and a second start brings
// the first to the front instead of running twice.
func TestTrayNotificationAndSingleInstance(t *testing.T) {
	bin := appBinary(t)
	s := newSession(t)
	host := s.serveTrayHost(t)
	notes := s.serveNotifications(t)

	first := s.start(t, bin, "--demo", "--hidden", "--demo-autoreply", "1", "--log-level", "debug")
	waitUntil(t, 30*time.Second, "the tray item to register", func() bool { return host.item() != "" || first.exited() })
	if first.exited() {
		t.Fatalf("app exited: %v", first.err)
	}
	item := host.item()
	waitUntil(t, 10*time.Second, "the tray tooltip to show the count", func() bool { return strings.HasPrefix(s.tooltip(item), "Textbank: ") })
	if s.windowViewable(t) {
		t.Fatal("started with --hidden but the window is on screen")
	}
	// Panels show no StatusNotifierItem title beside the icon, so the
	// count is a badge on the icon; the title stays the app's name.
	if got := s.trayTitle(item); got != "Textbank" {
		t.Errorf("tray title %q; want Textbank", got)
	}

	// The demo texted a contact; the answer arrives within seconds.
	waitUntil(t, 60*time.Second, "the unread count in the tray", func() bool { return unreadTooltip.MatchString(s.tooltip(item)) })
	t.Logf("tray tooltip: %q", s.tooltip(item))
	waitUntil(t, 10*time.Second, "the badge on the tray icon", func() bool {
		img := s.trayPixmap(item)
		return img != nil && badgeText(img) > 5
	})
	if got := s.trayTitle(item); got != "Textbank" {
		t.Errorf("tray title with unread replies %q; want Textbank", got)
	}

	reply, _ := notes.find(func(n notification) bool { return false })
	waitUntil(t, 30*time.Second, "a reply notification", func() bool {
		var ok bool
		reply, ok = notes.find(func(n notification) bool { return n.Summary != "" && !strings.Contains(n.Summary, "still running") })
		return ok
	})
	t.Logf("notification: %q / %q actions %v", reply.Summary, reply.Body, reply.Actions)
	if !strings.Contains(reply.Body, ": ") {
		t.Errorf("notification body %q: want the action and the text", reply.Body)
	}
	if !containsAll(reply.Actions, "default", "open", "read") {
		t.Errorf("notification actions %v: want Open and Mark as read (and the default click)", reply.Actions)
	}
	if s.windowViewable(t) {
		t.Fatal("the window came up before anyone clicked")
	}

	s.click(t, reply, "default")
	waitUntil(t, 15*time.Second, "the window to open after the click", func() bool { return s.windowViewable(t) })
	if !strings.Contains(first.log(), "opened from a notification") {
		t.Error("the app did not log opening from the notification")
	}

	// A second start exits and brings the first to the front.
	second := s.start(t, bin, "--demo")
	waitUntil(t, 20*time.Second, "the second instance to exit", second.exited)
	waitUntil(t, 10*time.Second, "the first instance to hear of it", func() bool {
		return strings.Contains(first.log(), "bringing the window to the front")
	})
	if first.exited() {
		t.Fatal("the first instance exited when a second one started")
	}

	// SIGTERM quits (rather than hiding in the tray) and exits cleanly.
	_ = first.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-first.done:
		if first.err != nil {
			t.Fatalf("exit after SIGTERM: %v", first.err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit within 15s of SIGTERM")
	}
}

func containsAll(list []string, want ...string) bool {
	have := map[string]bool{}
	for _, s := range list {
		have[s] = true
	}
	for _, w := range want {
		if !have[w] {
			return false
		}
	}
	return true
}
