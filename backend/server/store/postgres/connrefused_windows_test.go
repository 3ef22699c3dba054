package postgres

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sys/windows"
)

// TestRefusedConnectionHintOnWindows: a dial refused on Windows fails with
// WSAECONNREFUSED, not the syscall.ECONNREFUSED other systems give, and
// got no hint of what to check.
func TestRefusedConnectionHintOnWindows(t *testing.T) {
	cfg, err := pgxpool.ParseConfig("postgres://tb@127.0.0.1:5433/tb")
	if err != nil {
		t.Fatal(err)
	}
	refused := fmt.Errorf("failed to connect: %w", &net.OpError{Op: "dial", Net: "tcp", Err: windows.WSAECONNREFUSED})
	if got := connectHint(refused, cfg).Error(); !strings.Contains(got, "nothing accepts connections at 127.0.0.1:5433: ") {
		t.Errorf("refused on Windows: %q, want the hint", got)
	}
}
