package app

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The log names contacts (in refusals' words) and the volunteer's account:
// like the cache beside it, it is for the volunteer alone, also when a log
// directory and file made before (by an older Textbank, a copy, a restore)
// were open to every user of the computer.
func TestLogFileIsTheUsersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps files to their owner by ACL, not by mode")
	}
	dir := t.TempDir()
	logDir := filepath.Join(dir, "logs")
	if err := os.Mkdir(logDir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(logDir, "textbank.log")
	if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The umask may have narrowed what was asked for: set it as a careless copy would.
	for p, mode := range map[string]os.FileMode{logDir: 0o755, path: 0o644} {
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	_, closeLog, err := NewLogger(dir, "info")
	if err != nil {
		t.Fatal(err)
	}
	defer closeLog()
	for p, want := range map[string]os.FileMode{logDir: 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s is mode %04o, want %04o", p, got, want)
		}
	}
}
