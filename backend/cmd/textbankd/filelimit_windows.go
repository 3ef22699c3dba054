package main

// openFileLimit: Windows has no limit on open sockets to read.
func openFileLimit() (uint64, bool) { return 0, false }
