package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/textbank/textbank/backend/notify"
)

const (
	fdoName = "org.freedesktop.Notifications"
	fdoPath = "/org/freedesktop/Notifications"
)

// DBusNotifier speaks the freedesktop notification spec directly rather
// than through Wails, whose Linux notifications treat a dismissed
// notification as a click (and so would pop the window up whenever the
// volunteer waves a notification away).
type DBusNotifier struct {
	conn    *dbus.Conn
	actions bool // the server shows action buttons

	mu       sync.Mutex
	byDBusID map[uint32]notify.Note
	byNoteID map[string]uint32
	onAction func(action string, note notify.Note)
	signals  chan *dbus.Signal
}

// NewDBusNotifier connects to the session bus and asks the notification
// server what it can do; it fails when there is no notification server.
func NewDBusNotifier() (*DBusNotifier, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, fmt.Errorf("connect to the session bus: %w", err)
	}
	var caps []string
	if err := conn.Object(fdoName, fdoPath).Call(fdoName+".GetCapabilities", 0).Store(&caps); err != nil {
		conn.Close()
		return nil, fmt.Errorf("no notification server answers: %w", err)
	}
	n := &DBusNotifier{conn: conn, byDBusID: map[uint32]notify.Note{}, byNoteID: map[string]uint32{}, signals: make(chan *dbus.Signal, 16)}
	for _, c := range caps {
		if c == "actions" {
			n.actions = true
		}
	}
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(fdoPath), dbus.WithMatchInterface(fdoName)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("listen for notification clicks: %w", err)
	}
	conn.Signal(n.signals)
	go n.listen()
	return n, nil
}

// Notify implements Notifier.
func (n *DBusNotifier) Notify(note notify.Note, sound bool) error {
	var actions []string
	if n.actions {
		actions = []string{"default", "Open", ActionOpen, "Open"}
		if note.ThreadID != "" {
			actions = append(actions, ActionRead, "Mark as read")
		}
	}
	hints := map[string]dbus.Variant{
		"desktop-entry": dbus.MakeVariant("textbank"),
		"category":      dbus.MakeVariant("im.received"),
	}
	if sound {
		hints["sound-name"] = dbus.MakeVariant("message-new-instant")
	} else {
		hints["suppress-sound"] = dbus.MakeVariant(true)
	}
	n.mu.Lock()
	replaces := n.byNoteID[note.ID]
	n.mu.Unlock()
	var id uint32
	err := n.conn.Object(fdoName, fdoPath).Call(fdoName+".Notify", 0,
		"Textbank", replaces, "textbank", note.Title, note.Body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		return fmt.Errorf("show notification: %w", err)
	}
	n.mu.Lock()
	delete(n.byDBusID, replaces)
	n.byDBusID[id] = note
	n.byNoteID[note.ID] = id
	n.mu.Unlock()
	return nil
}

// OnAction implements Notifier.
func (n *DBusNotifier) OnAction(f func(action string, note notify.Note)) {
	n.mu.Lock()
	n.onAction = f
	n.mu.Unlock()
}

func (n *DBusNotifier) listen() {
	for sig := range n.signals {
		if len(sig.Body) < 2 {
			continue
		}
		id, ok := sig.Body[0].(uint32)
		if !ok {
			continue
		}
		n.mu.Lock()
		note, known := n.byDBusID[id]
		if known {
			delete(n.byDBusID, id)
			if n.byNoteID[note.ID] == id {
				delete(n.byNoteID, note.ID)
			}
		}
		f := n.onAction
		n.mu.Unlock()
		if !known || sig.Name != fdoName+".ActionInvoked" || f == nil {
			continue // closed, expired or dismissed: nothing to do
		}
		action, _ := sig.Body[1].(string)
		if action == "default" {
			action = ActionOpen
		}
		f(action, note)
	}
}

// WithdrawAll implements Notifier: each note still known (shown, not yet
// clicked, closed or expired) is closed.
func (n *DBusNotifier) WithdrawAll() error {
	n.mu.Lock()
	ids := make([]uint32, 0, len(n.byDBusID))
	for id := range n.byDBusID {
		ids = append(ids, id)
	}
	clear(n.byDBusID)
	clear(n.byNoteID)
	n.mu.Unlock()
	// Bounded: a notification server that hangs must not hold up the
	// sign-out (this runs on the client's event path).
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var errs []error
	for _, id := range ids {
		if err := n.conn.Object(fdoName, fdoPath).CallWithContext(ctx, fdoName+".CloseNotification", 0, id).Err; err != nil {
			errs = append(errs, fmt.Errorf("close notification %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// Close implements Notifier.
func (n *DBusNotifier) Close() {
	n.conn.RemoveSignal(n.signals)
	n.conn.Close()
	close(n.signals)
}
