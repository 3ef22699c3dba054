//go:build !windows

package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestDataDirDeniedMessage: the refusal names the directory, its owner
// and mode, who was refused and the command that works, and wraps the
// permission error.
func TestDataDirDeniedMessage(t *testing.T) {
	denied := &fs.PathError{Op: "access", Path: "/var/lib/textbank", Err: syscall.EACCES}
	err := dataDirDeniedMsg("/var/lib/textbank", "textbank", 0o700, "alice", "entered or read", denied)
	for _, want := range []string{"data directory /var/lib/textbank (owned by textbank, mode 0700)", "by user alice",
		"may not be entered or read", "permission denied", "sudo -u textbank textbankd ..."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("%v does not wrap the permission error", err)
	}
	// Owned by root: likelier made by root without -o than served by
	// root, so the chown comes first.
	err = dataDirDeniedMsg("/var/lib/textbank", "root", 0o755, "textbank", "written", denied)
	if !strings.Contains(err.Error(), "if textbankd serve runs as textbank, the directory is to be theirs: chown -R textbank /var/lib/textbank") {
		t.Errorf("owned by root: %q", err)
	}
	// No owner known (no such field on this system): no "sudo -u " with
	// an empty name.
	err = dataDirDeniedMsg("/d", "", 0, "", "written", denied)
	if strings.Contains(err.Error(), "sudo -u") || !strings.Contains(err.Error(), "the user textbankd serve runs as") {
		t.Errorf("without an owner: %q", err)
	}
}

// TestDataDirDeniedFaked: with access refused (faked: tests run as root),
// an organizer command and serve say the directory is not theirs, not
// "create .../textbank.db: permission denied" or "open .../textbankd.lock".
func TestDataDirDeniedFaked(t *testing.T) {
	data := t.TempDir()
	if err := os.Chmod(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	accessDataDir = func(dir string) error { return &fs.PathError{Op: "access", Path: dir, Err: syscall.EACCES} }
	t.Cleanup(func() { accessDataDir = dirAccess })
	owner := fileOwnerName(mustStat(t, data))
	for _, args := range [][]string{{"campaign", "list", "--data", data}, {"serve", "--data", data, "--addr", "127.0.0.1:0"}} {
		code, _, errOut := runCLI(t, nil, "", args...)
		if code == 0 {
			t.Fatalf("%v succeeded", args)
		}
		for _, want := range []string{"data directory " + data + " (owned by " + owner + ", mode 0700)", "sudo -u " + owner + " textbankd"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%v: stderr %q lacks %q", args, errOut, want)
			}
		}
	}
}

func mustStat(t *testing.T, p string) fs.FileInfo {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestDataDirOfAnotherUser: for real, a 0700 data directory as serve
// makes it, and a command run by another user (nobody, when the test runs
// as root; else this user on a directory it closed to itself).
func TestDataDirOfAnotherUser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs textbankd")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", data); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	owner := fileOwnerName(mustStat(t, data))
	mode := "0700"
	var cred *syscall.Credential
	bin := textbankdBinary(t)
	if os.Getuid() == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Skip("no user nobody to run as")
		}
		uid, _ := strconv.Atoi(nobody.Uid)
		gid, _ := strconv.Atoi(nobody.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		// nobody reaches the data directory's parent, not into it.
		for _, d := range []string{filepath.Dir(dir), dir} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		// The built binary sits in a directory only root may enter.
		exe, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		bin = filepath.Join(dir, "textbankd")
		if err := os.WriteFile(bin, exe, 0o755); err != nil {
			t.Fatal(err)
		}
	} else {
		// Not root: this user's own directory, closed to it.
		if err := os.Chmod(data, 0o000); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(data, 0o700) })
		mode = "0000"
	}
	for _, args := range [][]string{{"campaign", "list", "--data", data}, {"serve", "--data", data, "--addr", "127.0.0.1:0"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Fatalf("%v on another user's data directory succeeded", args)
		}
		got := stderr.String()
		for _, want := range []string{"data directory " + data + " (owned by " + owner + ", mode " + mode + ")",
			"permission denied", "sudo -u " + owner + " textbankd"} {
			if !strings.Contains(got, want) {
				t.Errorf("%v: stderr %q lacks %q", args, got, want)
			}
		}
		if strings.Contains(got, "create "+data) || strings.Contains(got, "textbankd.lock") {
			t.Errorf("%v: stderr still names a file inside: %q", args, got)
		}
	}
	if cred == nil {
		return
	}
	// A directory nobody may enter but not write, with no database yet:
	// not "create .../textbank.db: permission denied" either.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "users", "list", "--data", empty)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	want := "data directory " + empty + " (owned by " + owner + ", mode 0755) may not be written by user nobody"
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("users list on a directory nobody may not write: %v, %q; want %q", err, out, want)
	}
	// serve there fails at its lock: the same words, not "open
	// .../textbankd.lock: open .../textbankd.lock: permission denied" (the
	// operator audit).
	cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", empty)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), want) || strings.Count(string(out), serveLockName) != 1 {
		t.Errorf("serve on a directory nobody may not write: %v, %q; want %q", err, out, want)
	}
	// nobody's own directory, with a lock root left there (root ran serve
	// once): the lock file is named, not the directory (the review).
	theirs := filepath.Join(dir, "theirs")
	if err := os.Mkdir(theirs, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(theirs, serveLockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(theirs, int(cred.Uid), int(cred.Gid)); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", theirs)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err = cmd.CombinedOutput()
	want = "cannot write " + filepath.Join(theirs, serveLockName) + " (owned by " + owner
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("serve with another user's lock: %v, %q; want %q", err, out, want)
	}
}

// TestMakeDataDirSaysWhere: a --data that cannot be made is named once,
// with where a relative one is (the default textbank-data from a unit
// started in /, the operator audit), and what to give instead.
func TestMakeDataDirSaysWhere(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	err := makeDataDir(filepath.Join("file", "textbank-data"), "the database")
	want := "cannot make the data directory file/textbank-data (" + filepath.Join(dir, "file", "textbank-data") + ") for the database: not a directory; give --data"
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Count(err.Error(), "textbank-data") != 2 {
		t.Fatalf("got %v\nwant %q...", err, want)
	}
}
