//go:build !windows

package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// fileOwner names who owns a file, and its mode, for an error about it.
func fileOwner(fi fs.FileInfo) string {
	name := fileOwnerName(fi)
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (owned by %s, mode %04o)", name, fi.Mode().Perm())
}

// fileOwnerName is the name of a file's owner ("uid N" when the user
// database has none), or "" when fi carries no owner.
func fileOwnerName(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	uid := strconv.FormatUint(uint64(st.Uid), 10)
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return "uid " + uid
}

// dirAccess says whether this user may enter and list dir: access(2)
// answers for this user without touching anything, root and ACLs
// included. Writing is not asked: a user who may not write the database's
// files hears of them by name (checkWritable).
func dirAccess(dir string) error {
	const rOK, xOK = 0x4, 0x1
	if err := syscall.Access(dir, rOK|xOK); err != nil {
		return &fs.PathError{Op: "access", Path: dir, Err: err}
	}
	return nil
}

// currentUserName names who runs this command, for an error about access.
func currentUserName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(os.Getuid())
}
