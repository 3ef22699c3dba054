package app

import (
	"context"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WailsWindow is the Window of a running Wails app.
type WailsWindow struct{ Ctx context.Context }

// Show brings the window back and to the front.
func (w WailsWindow) Show() {
	if CloseBehaviourFor(goruntime.GOOS).ShowUnhidesApp {
		// The close button hid the app ([NSApp hide:]): a window ordered
		// front inside a hidden app stays unseen until the app is unhidden.
		runtime.Show(w.Ctx)
	}
	runtime.WindowShow(w.Ctx)
	runtime.WindowUnminimise(w.Ctx)
}

func (w WailsWindow) Hide()                      { runtime.WindowHide(w.Ctx) }
func (w WailsWindow) SetTitle(t string)          { runtime.WindowSetTitle(w.Ctx, t) }
func (w WailsWindow) Emit(name string, data any) { runtime.EventsEmit(w.Ctx, name, data) }
func (w WailsWindow) Quit()                      { runtime.Quit(w.Ctx) }
