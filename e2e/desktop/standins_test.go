package desktop

import (
	"image"
	"image/color"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// watcher plays the tray host: it records the items that register.
type watcher struct {
	mu    sync.Mutex
	items []string // unique bus names of registered items
}

func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	w.mu.Lock()
	w.items = append(w.items, string(sender))
	w.mu.Unlock()
	return nil
}

func (w *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

func (w *watcher) item() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.items) == 0 {
		return ""
	}
	return w.items[len(w.items)-1]
}

func (s *session) serveTrayHost(t testing.TB) *watcher {
	t.Helper()
	w := &watcher{}
	if err := s.bus.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if reply, err := s.bus.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the watcher name: %v %v", reply, err)
	}
	return w
}

// tooltip reads the tray item's tooltip title.
func (s *session) tooltip(item string) string {
	v, err := s.bus.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		return ""
	}
	parts, ok := v.Value().([]any)
	if !ok || len(parts) < 3 {
		return ""
	}
	title, _ := parts[2].(string)
	return title
}

// trayTitle reads the tray item's Title property.
func (s *session) trayTitle(item string) string {
	v, err := s.bus.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.Title")
	if err != nil {
		return ""
	}
	title, _ := v.Value().(string)
	return title
}

// trayPixmap reads the tray item's first IconPixmap as an image (the
// StatusNotifierItem format: width, height, ARGB32 in network byte order).
func (s *session) trayPixmap(item string) *image.NRGBA {
	v, err := s.bus.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
	if err != nil {
		return nil
	}
	var px []struct {
		W, H int32
		Data []byte
	}
	if err := dbus.Store([]any{v.Value()}, &px); err != nil || len(px) == 0 {
		return nil
	}
	w, h, d := int(px[0].W), int(px[0].H), px[0].Data
	if w <= 0 || h <= 0 || len(d) != w*h*4 {
		return nil
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		img.Pix[i*4], img.Pix[i*4+1], img.Pix[i*4+2], img.Pix[i*4+3] = d[i*4+1], d[i*4+2], d[i*4+3], d[i*4]
	}
	return img
}

// badgeText counts the pixels of text on a badge in the top right quarter
// of img: white ones with badge red both left and right of them in their
// row. A plain red dot, with or without a white ring, has none.
func badgeText(img *image.NRGBA) int {
	b := img.Bounds()
	red := func(c color.NRGBA) bool { return c.A == 255 && c.R > 180 && c.G < 90 && c.B < 90 }
	white := func(c color.NRGBA) bool { return c.A == 255 && c.R > 240 && c.G > 240 && c.B > 240 }
	n := 0
	for y := b.Min.Y; y < b.Dy()/2; y++ {
		first, last := -1, -1
		for x := b.Dx() / 2; x < b.Max.X; x++ {
			if red(img.NRGBAAt(x, y)) {
				if first < 0 {
					first = x
				}
				last = x
			}
		}
		for x := first + 1; first >= 0 && x < last; x++ {
			if white(img.NRGBAAt(x, y)) {
				n++
			}
		}
	}
	return n
}

// notification is one Notify call the stand-in daemon received.
type notification struct {
	ID      uint32
	Summary string
	Body    string
	Actions []string
	Sender  string
}

// daemon plays the notification server.
type daemon struct {
	mu    sync.Mutex
	notes []notification
}

func (d *daemon) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body", "sound"}, nil
}

func (d *daemon) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "stand-in", "textbank tests", "1", "1.2", nil
}

func (d *daemon) Notify(sender dbus.Sender, app string, replaces uint32, icon, summary, body string, actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	id := uint32(len(d.notes) + 1)
	d.notes = append(d.notes, notification{ID: id, Summary: summary, Body: body, Actions: actions, Sender: string(sender)})
	return id, nil
}

func (d *daemon) CloseNotification(uint32) *dbus.Error { return nil }

func (d *daemon) find(match func(notification) bool) (notification, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, n := range d.notes {
		if match(n) {
			return n, true
		}
	}
	return notification{}, false
}

func (s *session) serveNotifications(t testing.TB) *daemon {
	t.Helper()
	d := &daemon{}
	if err := s.bus.Export(d, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := s.bus.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the notifications name: %v %v", reply, err)
	}
	return d
}

// click sends ActionInvoked for a notification, as a daemon does when the
// volunteer clicks it.
func (s *session) click(t testing.TB, n notification, action string) {
	t.Helper()
	if err := s.bus.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", n.ID, action); err != nil {
		t.Fatal(err)
	}
}
