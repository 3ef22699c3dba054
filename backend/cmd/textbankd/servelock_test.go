//go:build !windows

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOneServePerDataDirectory(t *testing.T) {
	dir := t.TempDir()
	release, _, err := lockServe(dir, "the database")
	if err != nil {
		t.Fatal(err)
	}
	// The refusal names the directory and the process that holds it.
	want := fmt.Sprintf("another textbankd serve is running on the database in %s (process %d holds %s)", dir, os.Getpid(), filepath.Join(dir, serveLockName))
	if _, _, err := lockServe(dir, "the database"); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("second serve on one data directory: %v; want %q", err, want)
	}
	if r, _, err := lockServe(t.TempDir(), "the database"); err != nil {
		t.Fatalf("a server on another directory: %v", err)
	} else {
		r()
	}
	release()
	again, _, err := lockServe(dir, "the database")
	if err != nil {
		t.Fatalf("after the first server stopped: %v", err)
	}
	again()
}
