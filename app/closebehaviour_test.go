package app

import (
	"context"
	"testing"
)

func TestCloseBehaviourFor(t *testing.T) {
	for _, c := range []struct {
		goos string
		want CloseBehaviour
	}{
		// Wails hides on a close itself, so OnBeforeClose is only Cmd-Q, the Dock's Quit, a log out.
		{"darwin", CloseBehaviour{HideWindowOnClose: true, BeforeCloseQuits: true, ShowUnhidesApp: true}},
		// OnBeforeClose is the close button: the shell hides to the tray (or quits without one).
		{"windows", CloseBehaviour{}},
		{"linux", CloseBehaviour{}},
		{"freebsd", CloseBehaviour{}},
		{"", CloseBehaviour{}},
	} {
		if got := CloseBehaviourFor(c.goos); got != c.want {
			t.Errorf("%q: %+v, want %+v", c.goos, got, c.want)
		}
	}
}

// On macOS OnBeforeClose is Cmd-Q, the Dock's Quit or a log out (the close
// button no longer reaches it): it quits with the tray present, shows no tray
// notice, and a signal after it does not ask Wails to quit a second time.
func TestBeforeCloseQuitsWhereWailsHidesOnClose(t *testing.T) {
	r := newRig(t, true)
	r.shell.cfg.Close = CloseBehaviourFor("darwin")
	if r.shell.BeforeClose(context.Background()) {
		t.Fatal("Cmd-Q was turned into a hide to the tray")
	}
	r.shell.Quit()
	select {
	case n := <-r.notes.notes:
		t.Fatalf("a quit showed %+v", n)
	default:
	}
	r.win.mu.Lock()
	defer r.win.mu.Unlock()
	if r.win.hidden != 0 || r.win.quit != 0 {
		t.Fatalf("hidden %d, told to quit %d: want neither (Wails is quitting)", r.win.hidden, r.win.quit)
	}
}
