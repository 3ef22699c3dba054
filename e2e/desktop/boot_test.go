package desktop

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestCachedStartPaintsFromBootData starts the built app signed in, with a
// synced cache and the campaign server down: index.html carries the cached
// inbox (app/boot.go, "boot data in the page") and the window paints its
// rows from it (the ready marker counts them), with nothing from the
// network.
func TestCachedStartPaintsFromBootData(t *testing.T) {
	bin := appBinary(t)
	s := newSession(t)
	vol := newCachedVolunteer(t, 50)
	vol.stop()
	a := s.start(t, bin, "--server", vol.serverURL, "--data", vol.dataDir, "--log-level", "debug")
	bootLine := regexp.MustCompile(`boot data in the page.*bytes=(\d+)`)
	waitUntil(t, 60*time.Second, "the first screen to be ready", func() bool {
		return readyLine.MatchString(ansi.ReplaceAllString(a.log(), ""))
	})
	log := ansi.ReplaceAllString(a.log(), "")
	m := bootLine.FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("index.html was served without the boot data:\n%s", log)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1000 {
		t.Fatalf("boot data of %s bytes cannot hold %d conversations", m[1], vol.threads)
	}
	rows, _ := strconv.Atoi(readyLine.FindStringSubmatch(log)[1])
	if rows < 50 {
		t.Fatalf("the first screen showed %d conversations, want the cache's first page (>= 50)", rows)
	}
}
