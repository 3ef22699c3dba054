//go:build !windows

package main

import (
	"fmt"
	"io/fs"
	"os/user"
	"strconv"
	"syscall"
)

// fileOwner names who owns a file, and its mode, for an error about it.
func fileOwner(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	name := "uid " + strconv.FormatUint(uint64(st.Uid), 10)
	if u, err := user.LookupId(strconv.FormatUint(uint64(st.Uid), 10)); err == nil {
		name = u.Username
	}
	return fmt.Sprintf(" (owned by %s, mode %04o)", name, fi.Mode().Perm())
}
