package phone

import "testing"

// checkBound fails the test when c remembers more than its bound.
func (c *recent[V]) checkBound(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	n := len(c.m)
	c.mu.Unlock()
	if n > c.max {
		t.Fatalf("%d answers remembered, bound %d", n, c.max)
	}
}
