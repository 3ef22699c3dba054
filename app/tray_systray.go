package app

import (
	_ "embed"
	"sync"

	"fyne.io/systray"
)

var (
	//go:embed icons/tray.png
	trayIcon []byte
	//go:embed icons/tray-unread.png
	trayIconUnread []byte
)

// systrayIcons turns an unread count into the icon bytes this platform's
// systray takes (trayicon.go).
var systrayIcons = newTrayIcons(trayIconStyleHere, trayIcon, trayIconUnread)

// SystemTray draws the tray with fyne.io/systray, sharing the Wails main
// loop (RunWithExternalLoop): Start is called from Wails' OnStartup and
// Close from OnShutdown.
type SystemTray struct {
	actions TrayActions
	present func() bool

	start, end func()
	closeOnce  sync.Once

	mu                               sync.Mutex
	ready                            bool
	last                             *TrayState // drawn once the menu exists
	unread, pauseHour, pauseTomorrow *systray.MenuItem
	pauseOff, resume, open, quit     *systray.MenuItem
	iconKey                          string // the icon shown, from trayIcons.icon
}

// NewSystemTray registers the tray; nothing is shown before Start.
// present reports whether a tray host is there (see Tray.Present).
func NewSystemTray(actions TrayActions, present func() bool) *SystemTray {
	t := &SystemTray{actions: actions, present: present}
	t.start, t.end = systray.RunWithExternalLoop(t.onReady, nil)
	return t
}

// Start shows the icon; call it once the GUI main loop runs.
func (t *SystemTray) Start() { t.start() }

func (t *SystemTray) onReady() {
	t.mu.Lock()
	key, icon := systrayIcons.icon(0)
	systray.SetIcon(icon)
	t.iconKey = key
	systray.SetTitle(trayTitle(systrayIcons.style, TrayState{}))
	systray.SetTooltip("Textbank")
	t.open = systray.AddMenuItem("Open Textbank", "Show the Textbank window")
	t.unread = systray.AddMenuItem(unreadWords(0), "Show unread replies")
	systray.AddSeparator()
	pause := systray.AddMenuItem("Pause notifications", "")
	t.pauseHour = pause.AddSubMenuItem("For 1 hour", "")
	t.pauseTomorrow = pause.AddSubMenuItem("Until tomorrow", "")
	t.pauseOff = pause.AddSubMenuItem("Off", "No notifications until you turn them back on")
	t.resume = systray.AddMenuItem("Resume notifications", "")
	t.resume.Hide()
	systray.AddSeparator()
	t.quit = systray.AddMenuItem("Quit Textbank", "Stop Textbank; replies will wait on the server")
	t.ready = true
	if t.last != nil {
		t.drawLocked(*t.last)
	}
	t.mu.Unlock()
	systray.SetOnTapped(t.actions.Open)
	go t.loop()
}

func (t *SystemTray) loop() {
	for {
		select {
		case <-t.open.ClickedCh:
			t.actions.Open()
		case <-t.unread.ClickedCh:
			t.actions.OpenUnread()
		case <-t.pauseHour.ClickedCh:
			t.actions.Pause("hour")
		case <-t.pauseTomorrow.ClickedCh:
			t.actions.Pause("tomorrow")
		case <-t.pauseOff.ClickedCh:
			t.actions.Pause("off")
		case <-t.resume.ClickedCh:
			t.actions.Resume()
		case <-t.quit.ClickedCh:
			t.actions.Quit()
			return
		}
	}
}

// Present implements Tray.
func (t *SystemTray) Present() bool { return t.present() }

// Render implements Tray. A state rendered before the tray is ready is
// drawn when it is.
func (t *SystemTray) Render(st TrayState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last = &st
	if t.ready {
		t.drawLocked(st)
	}
}

func (t *SystemTray) drawLocked(st TrayState) {
	// macOS: the red-dot icon, and the count as the title. Linux and
	// Windows: the count as a badge on the icon (trayicon.go).
	if key, icon := systrayIcons.icon(st.Unread); key != t.iconKey {
		systray.SetIcon(icon)
		t.iconKey = key
	}
	systray.SetTitle(trayTitle(systrayIcons.style, st))
	systray.SetTooltip(st.Tooltip)
	t.unread.SetTitle(st.UnreadItem)
	if st.Paused != "" {
		t.resume.SetTitle("Resume notifications (" + lowerFirst(st.Paused) + ")")
		t.resume.Show()
	} else {
		t.resume.Hide()
	}
}

// Close implements Tray: it removes the icon.
func (t *SystemTray) Close() {
	t.closeOnce.Do(t.end)
}
