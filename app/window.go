package app

import (
	"context"
	"os"

	"github.com/emersion/go-autostart"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsWindow is the Window of a running Wails app.
type WailsWindow struct{ Ctx context.Context }

// Show brings the window back and to the front.
func (w WailsWindow) Show() {
	runtime.WindowShow(w.Ctx)
	runtime.WindowUnminimise(w.Ctx)
}

func (w WailsWindow) Hide()                      { runtime.WindowHide(w.Ctx) }
func (w WailsWindow) SetTitle(t string)          { runtime.WindowSetTitle(w.Ctx, t) }
func (w WailsWindow) Emit(name string, data any) { runtime.EventsEmit(w.Ctx, name, data) }
func (w WailsWindow) Quit()                      { runtime.Quit(w.Ctx) }

// LoginItem registers this executable to start at login, hidden in the
// tray (--hidden): an XDG autostart entry on Linux, the Run key on Windows,
// a LaunchAgent on macOS.
func LoginItem(extraArgs ...string) (Autostart, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return &autostart.App{
		Name:        "textbank",
		DisplayName: "Textbank",
		Exec:        append([]string{exe, "--hidden"}, extraArgs...),
		Icon:        "textbank",
	}, nil
}
