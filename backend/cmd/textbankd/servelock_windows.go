package main

import "os"

// lockServe is not enforced on Windows: run one `textbankd serve` per
// --data directory there (docs/OPERATIONS.md).
func lockServe(dataDir, what string) (release func(), err error) {
	return func() {}, nil
}

// lockServeFile is lockServe: no lock file to describe.
func lockServeFile(dataDir, what string) (release func(), lock os.FileInfo, err error) {
	return func() {}, nil, nil
}

// serveRunning cannot tell on Windows, where serve takes no lock.
func serveRunning(dataDir string) bool { return false }

// serveLockName is the serve lock's file on other systems.
const serveLockName = "textbankd.lock"
