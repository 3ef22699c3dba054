package main

import "os"

// lockServe is not enforced on Windows: run one `textbankd serve` per
// --data directory there (docs/OPERATIONS.md).
// There is no lock file to describe.
func lockServe(dataDir, what string) (release func(), lock os.FileInfo, err error) {
	return func() {}, nil, nil
}

// serveRunning cannot tell on Windows, where serve takes no lock.
func serveRunning(dataDir string) bool { return false }

// serveLockName is the serve lock's file on other systems.
const serveLockName = "textbankd.lock"
