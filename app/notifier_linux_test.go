package app

import (
	"bufio"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/textbank/textbank/backend/notify"
)

// notifications plays the freedesktop notification server on a private bus.
type notifications struct {
	mu     sync.Mutex
	next   uint32
	closed []uint32
}

func (d *notifications) GetCapabilities() ([]string, *dbus.Error) { return []string{"actions"}, nil }

func (d *notifications) Notify(_ string, replaces uint32, _, _, _ string, _ []string, _ map[string]dbus.Variant, _ int32) (uint32, *dbus.Error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if replaces != 0 {
		return replaces, nil
	}
	d.next++
	return d.next, nil
}

func (d *notifications) CloseNotification(id uint32) *dbus.Error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = append(d.closed, id)
	return nil
}

// TestDBusWithdrawAll: the notes shown are closed on the notification
// server, each once, and a second withdrawal has nothing left to close.
func TestDBusWithdrawAll(t *testing.T) {
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatalf("start a private session bus (Debian's dbus-daemon): %v", err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(addr))
	server, err := dbus.Connect(strings.TrimSpace(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	d := &notifications{}
	if err := server.Export(d, fdoPath, fdoName); err != nil {
		t.Fatal(err)
	}
	if reply, err := server.RequestName(fdoName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", fdoName, reply, err)
	}

	n, err := NewDBusNotifier()
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for _, note := range []notify.Note{{ID: "t1", Title: "Ada", ThreadID: "t1"}, {ID: "t2", Title: "Bob", ThreadID: "t2"}, {ID: "t1", Title: "Ada again", ThreadID: "t1"}} {
		if err := n.Notify(note, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.WithdrawAll(); err != nil {
		t.Fatal(err)
	}
	if err := n.WithdrawAll(); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	closed := slices.Sorted(slices.Values(d.closed))
	d.mu.Unlock()
	if !slices.Equal(closed, []uint32{1, 2}) {
		t.Fatalf("closed %v, want notes 1 and 2 once each (the third replaced the first)", closed)
	}
}
