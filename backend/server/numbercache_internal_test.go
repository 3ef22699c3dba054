package server

import (
	"fmt"
	"testing"
)

func TestNumberCacheAnswersAsNormalizeAndStaysBounded(t *testing.T) {
	var c numberCache
	calls := 0
	norm := func(raw string) string { calls++; return "+1" + raw }
	if got := c.normalize("2025550100", norm); got != "+12025550100" {
		t.Fatalf("first lookup = %q", got)
	}
	if got := c.normalize("2025550100", norm); got != "+12025550100" || calls != 1 {
		t.Fatalf("second lookup = %q after %d normalizations, want the cached answer after 1", got, calls)
	}
	for i := range maxNumberCache * 2 {
		c.normalize(fmt.Sprint(i), norm)
	}
	if len(c.m) > maxNumberCache {
		t.Fatalf("cache holds %d numbers, bound is %d", len(c.m), maxNumberCache)
	}
	if got := c.normalize("no-room-left", norm); got != "+1no-room-left" {
		t.Fatalf("lookup past the bound = %q", got)
	}
}
