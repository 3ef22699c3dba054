package api

import "testing"

// pathOf fills a pattern's ids in order, each escaped as one segment, and
// a pattern given the wrong number of ids is a mistake it does not hide.
func TestPathOf(t *testing.T) {
	if got, want := pathOf(PathAdminThread, "c 1", "t/1"), "/api/v1/campaigns/c%201/admin/threads/t%2F1"; got != want {
		t.Errorf("pathOf = %q, want %q", got, want)
	}
	if got := pathOf(PathSync); got != PathSync {
		t.Errorf("pathOf(PathSync) = %q", got)
	}
	for _, ids := range [][]string{{"c1"}, {"c1", "t1", "x"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("pathOf(PathAdminThread, %q) did not panic", ids)
				}
			}()
			pathOf(PathAdminThread, ids...)
		}()
	}
}
