package server

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestSignInScreenSaysTheTokenLife: the app's sign-in screen tells a
// volunteer signed out why, in words written by hand in the frontend (the
// app cannot ask the server it is signed out of). They must say what
// tokenEnd does; a change to either lifetime fails here, not in a
// volunteer's puzzlement.
func TestSignInScreenSaysTheTokenLife(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/features/session/SignIn.tsx")
	if err != nil {
		t.Fatal(err)
	}
	screen := strings.Join(strings.Fields(string(src)), " ") // JSX wraps lines anywhere
	want := fmt.Sprintf("sign-ins end after %d days unused or %d days after signing in", tokenIdle/day, tokenLifetime/day)
	if !strings.Contains(screen, want) {
		t.Errorf("SignIn.tsx does not say %q (tokenIdle %v, tokenLifetime %v)", want, tokenIdle, tokenLifetime)
	}
}
