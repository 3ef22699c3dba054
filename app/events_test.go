package app

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// The window's BusyCall type (frontend/src/backend.ts) names the calls Go
// tells of a busy server's retries for: a name Go does not send would never
// show its "Server busy" line, and one Go sends that the window does not
// know would be a call whose retries nobody shows. Both lists must agree.
func TestBusyCallsMatchTheWindow(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/backend.ts")
	if err != nil {
		t.Fatal(err)
	}
	union := regexp.MustCompile(`export type BusyCall = ([^;]+);`).FindSubmatch(src)
	if union == nil {
		t.Fatal("frontend/src/backend.ts has no `export type BusyCall = ...;`")
	}
	var window []string
	for _, m := range regexp.MustCompile(`'([^']+)'`).FindAllSubmatch(union[1], -1) {
		window = append(window, string(m[1]))
	}
	goSide := []string{CallSignUp, CallSignIn, CallJoin, CallTextAgain, CallRelease, CallMark, CallOptBackIn}
	slices.Sort(window)
	slices.Sort(goSide)
	if !slices.Equal(window, goSide) {
		t.Errorf("the window's BusyCall %v, Go's Call constants %v: want the same names", window, goSide)
	}
}
