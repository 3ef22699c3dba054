package api

import "time"

// SetBusyBudget shortens how long a call keeps asking a busy server again,
// so a test of the budget need not wait 10 s.
func SetBusyBudget(c *Client, d time.Duration) { c.busyBudget = d }
