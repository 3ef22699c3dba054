package main

// lockServe is not enforced on Windows: run one `textbankd serve` per
// --data directory there (docs/OPERATIONS.md).
func lockServe(dataDir string) (release func(), err error) {
	return func() {}, nil
}
