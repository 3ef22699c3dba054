//go:build !windows

package main

import (
	"strings"
	"testing"
)

func TestOneServePerDataDirectory(t *testing.T) {
	dir := t.TempDir()
	release, err := lockServe(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockServe(dir); err == nil || !strings.Contains(err.Error(), "another textbankd serve is running") {
		t.Fatalf("second serve on one data directory: %v", err)
	}
	if r, err := lockServe(t.TempDir()); err != nil {
		t.Fatalf("a server on another directory: %v", err)
	} else {
		r()
	}
	release()
	again, err := lockServe(dir)
	if err != nil {
		t.Fatalf("after the first server stopped: %v", err)
	}
	again()
}
