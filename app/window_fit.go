package app

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WindowSize is a width and height in the desktop's own pixels.
type WindowSize struct{ Width, Height int }

// screenMargin is kept free around a window sized to its screen: the Wails
// runtime tells the screen's size, not its work area, and the title bar,
// a panel or a taskbar take this much of it on common desktops.
var screenMargin = WindowSize{Width: 32, Height: 96}

// FitWindow is the start size on a screen: want where it fits, else as much
// of the screen as the margin leaves, and never under min (a screen smaller
// than that gets min, the smallest window the app is laid out for).
func FitWindow(want, min, screen WindowSize) WindowSize {
	fit := func(want, min, screen, margin int) int {
		if screen <= 0 || want <= screen-margin {
			return want
		}
		return max(screen-margin, min)
	}
	return WindowSize{
		Width:  fit(want.Width, min.Width, screen.Width, screenMargin.Width),
		Height: fit(want.Height, min.Height, screen.Height, screenMargin.Height),
	}
}

// FitToScreen shrinks the window to its screen at start: a 1200x780 window
// on a 1024x700 screen was centred as if it fitted, its left and top edges
// (the sidebar, the search) off the screen.
func (w WailsWindow) FitToScreen(want, min WindowSize) {
	screens, err := runtime.ScreenGetAll(w.Ctx)
	if err != nil || len(screens) == 0 {
		return
	}
	screen := screens[0]
	for _, s := range screens {
		if s.IsCurrent {
			screen = s
			break
		}
	}
	got := FitWindow(want, min, WindowSize{Width: screen.Size.Width, Height: screen.Size.Height})
	if got == want {
		return
	}
	runtime.WindowSetSize(w.Ctx, got.Width, got.Height)
	// Placed by the size just set: WindowCenter measured the window before the resize took, and
	// left it in the top left corner.
	runtime.WindowSetPosition(w.Ctx, max((screen.Size.Width-got.Width)/2, 0), max((screen.Size.Height-got.Height)/2, 0))
}
