package cache_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/cache"
)

// When the server last accepted the sign-in is stored with its clock's
// offset and read back as stored; a cache from before the offset was kept
// (the time alone, by the app's clock) reads with an offset of 0, and one
// from before either, as never stored.
func TestLastAcceptedKeepsTheOffset(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.LastAccepted(ctx); ok || err != nil {
		t.Fatalf("a new cache's acceptance: %t %v", ok, err)
	}
	want := cache.Accepted{At: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Offset: -31 * 24 * time.Hour}
	if err := c.NoteAccepted(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := c.LastAccepted(ctx); !ok || err != nil || !got.At.Equal(want.At) || got.Offset != want.Offset {
		t.Fatalf("read back %+v %t %v, want %+v", got, ok, err, want)
	}
	c.Close()

	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`DELETE FROM meta WHERE key = 'clock_offset'`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	c, err = cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, ok, err := c.LastAccepted(ctx); !ok || err != nil || !got.At.Equal(want.At) || got.Offset != 0 {
		t.Errorf("an older cache's acceptance: %+v %t %v, want %v and no offset", got, ok, err, want.At)
	}
}
