//go:build !windows

package main

import (
	"bytes"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// TestDatabaseOfAnotherUser: an organizer command (or serve) run as a user
// who may not write the SQLite file (root's copy of a restored backup, a
// login user beside the server's) says which file, whose it is and what
// to do, rather than "adopt old migration record: unable to open database
// file".
func TestDatabaseOfAnotherUser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs textbankd")
	}
	bin := textbankdBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	db := filepath.Join(data, store.FileName)
	cmd := exec.Command(bin, "numbers", "list", "--data", data)
	if os.Getuid() == 0 {
		// root may write anything: run as nobody, who may read the
		// directories but not the 0600 file root owns.
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Skip("no user nobody to run as")
		}
		uid, _ := strconv.Atoi(nobody.Uid)
		gid, _ := strconv.Atoi(nobody.Gid)
		for _, d := range []string{filepath.Dir(dir), dir, data} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		// The built binary sits in a directory only root may enter.
		exe, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Path = filepath.Join(dir, "textbankd")
		if err := os.WriteFile(cmd.Path, exe, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	} else if err := os.Chmod(db, 0o400); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("numbers list on a database it may not write succeeded")
	}
	got := stderr.String()
	me, _ := user.Current()
	owner := "uid " + strconv.Itoa(os.Getuid())
	if me != nil {
		owner = me.Username
	}
	// The data directory is this user's too: the advice names its owner,
	// the user serve runs as.
	for _, want := range []string{"cannot write " + db, "owned by " + owner, "must belong to the user textbankd serve runs as, the data directory's owner " + owner,
		"sudo -u " + owner + " textbankd ..."} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr %q lacks %q", got, want)
		}
	}
	if owner != "textbank" && strings.Contains(got, "sudo -u textbank ") {
		t.Errorf("stderr suggests a user who owns nothing here: %q", got)
	}
	if strings.Contains(got, "adopt old migration record") {
		t.Errorf("stderr still reads as a migration problem: %q", got)
	}
}
