package main

import "io/fs"

// fileOwner names who owns a file; Windows has no owner in fs.FileInfo.
func fileOwner(fs.FileInfo) string { return "" }

// fileOwnerName: Windows has no owner in fs.FileInfo.
func fileOwnerName(fs.FileInfo) string { return "" }

// dirAccess is left to the operations themselves on Windows, whose ACLs
// access(2) does not see.
func dirAccess(string) error { return nil }

// currentUserName: only used in messages of dirAccess's refusals.
func currentUserName() string { return "" }
