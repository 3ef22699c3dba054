package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestEndedTokenUndeletedStaysEnded: the deletion of a token past its end
// (at its next use, or by the hourly purge) answers nobody and is not
// synced, so a power cut can undo it (docs/OPERATIONS.md, section 6). The
// row comes back as it was, still past its end: the next request with it
// is refused as ended and deletes it again, and it opens nothing. (An
// undone record of use makes a token older, never younger.)
func TestEndedTokenUndeletedStaysEnded(t *testing.T) {
	f := newFixture(t)
	c, u := f.user("vera")
	tok := f.token(c)
	signedIn := f.clock.Now()
	f.clock.Advance(30*24*time.Hour + time.Minute)
	wantRefused := func(when, code string) {
		t.Helper()
		if status, body := f.raw("GET", "/api/v1/me", tok, nil); status != 401 || !strings.Contains(string(body), code) {
			t.Fatalf("%s: %d %s, want 401 %s", when, status, body, code)
		}
	}
	wantRefused("ended", api.CodeSessionExpired)
	// The deletion undone: the row as the sign-in wrote it.
	sum := sha256.Sum256([]byte(tok))
	ctx := context.Background()
	if err := f.st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateToken(ctx, hex.EncodeToString(sum[:]), u.ID, signedIn)
	}); err != nil {
		t.Fatal(err)
	}
	wantRefused("ended, its deletion undone", api.CodeSessionExpired)
	wantRefused("deleted again", api.CodeUnauthorized)
}
