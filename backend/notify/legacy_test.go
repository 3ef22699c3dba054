package notify_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/notify"
)

// TestRemoveLegacyWatermark: the notify.json an older app left in the data
// folder goes at start, and the rest of the folder stays; a folder without
// one is no error, and one that cannot be removed is named.
func TestRemoveLegacyWatermark(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, notify.LegacyWatermark)
	kept := filepath.Join(dir, "settings.json")
	for _, p := range []string{old, kept} {
		if err := os.WriteFile(p, []byte(`{"last":"2026-12-01T10:00:00Z"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := notify.RemoveLegacyWatermark(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("notify.json after the start: %v, want it gone", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("settings.json after the start: %v, want it kept", err)
	}
	if err := notify.RemoveLegacyWatermark(dir); err != nil {
		t.Errorf("a start with no notify.json: %v, want no error", err)
	}

	// A notify.json that is a folder with something in it cannot go.
	if err := os.MkdirAll(filepath.Join(old, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := notify.RemoveLegacyWatermark(dir)
	if err == nil || !strings.Contains(err.Error(), old) {
		t.Errorf("a notify.json that cannot be removed: %v, want an error naming it", err)
	}
}
