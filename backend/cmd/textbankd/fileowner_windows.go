package main

import "io/fs"

// fileOwner names who owns a file; Windows has no owner in fs.FileInfo.
func fileOwner(fs.FileInfo) string { return "" }
