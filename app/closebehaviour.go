package app

// CloseBehaviour is what Wails (v2.15) does with the window's close button
// on one system, and so what its OnBeforeClose means there.
type CloseBehaviour struct {
	// HideWindowOnClose is options.App.HideWindowOnClose: Wails hides on a
	// close by itself and does not call OnBeforeClose for it.
	HideWindowOnClose bool
	// BeforeCloseQuits: OnBeforeClose then only ever means a real quit, to
	// be allowed rather than turned into a hide to the tray.
	BeforeCloseQuits bool
	// ShowUnhidesApp: Wails' hide on close hid the whole app, so bringing
	// the window back must unhide the app too (runtime.Show).
	ShowUnhidesApp bool
}

// CloseBehaviourFor answers for runtime.GOOS. Only macOS differs.
//
// On macOS Wails sends one message, "Q", to Frontend.Quit and so to
// OnBeforeClose from three places (v2/internal/frontend/desktop/darwin):
// the close button (WindowDelegate.m windowShouldClose:), the app menu's
// Quit, Cmd-Q (WailsContext.m Quit), and applicationShouldTerminate: in
// AppDelegate.m, which the Dock's Quit and a log out, restart or shut down
// reach. Hiding to the tray there refused them all. With HideWindowOnClose,
// windowShouldClose: does [NSApp hide:nil] and returns before sending "Q",
// so OnBeforeClose hears only the quits. The close button still hides the
// window (the app, as Cmd-H does; the Dock icon and the tray bring it back).
//
// Windows and Linux stay as they were: there OnBeforeClose hears only the
// close button (windows/frontend.go OnClose, WM_CLOSE; linux/window.c
// close_button_pressed on delete-event; neither handles a session's end),
// and the shell must hear it to hide by itself, show the tray notice, and
// quit instead when no tray host is there (Linux without one).
func CloseBehaviourFor(goos string) CloseBehaviour {
	if goos == "darwin" {
		return CloseBehaviour{HideWindowOnClose: true, BeforeCloseQuits: true, ShowUnhidesApp: true}
	}
	return CloseBehaviour{}
}
