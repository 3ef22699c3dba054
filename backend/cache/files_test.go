package cache

import (
	"errors"
	"testing"
)

// A file another program holds open for a moment (Windows: an antivirus,
// the indexer) is tried again, a little later each time, up to busyTries;
// any other failure is said at once.
func TestRetryBusy(t *testing.T) {
	errBusy, errOther := errors.New("sharing violation"), errors.New("no such directory")
	busy := func(err error) bool { return errors.Is(err, errBusy) }
	for _, tc := range []struct {
		name       string
		fails      []error // what the tries answer before a success
		wantErr    error
		wantPauses []int
	}{
		{"at once", nil, nil, nil},
		{"busy a moment", []error{errBusy, errBusy, errBusy}, nil, []int{1, 2, 3}},
		{"another failure", []error{errOther}, errOther, nil},
		{"busy, then another failure", []error{errBusy, errOther}, errOther, []int{1}},
		{"busy throughout", []error{errBusy, errBusy, errBusy, errBusy, errBusy, errBusy, errBusy, errBusy, errBusy, errBusy, errBusy}, errBusy,
			[]int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			var pauses []int
			err := retryBusy(func() error {
				tries++
				if tries <= len(tc.fails) {
					return tc.fails[tries-1]
				}
				return nil
			}, busy, func(try int) { pauses = append(pauses, try) })
			if !errors.Is(err, tc.wantErr) || err != nil && tc.wantErr == nil {
				t.Errorf("retryBusy = %v, want %v", err, tc.wantErr)
			}
			if len(pauses) != len(tc.wantPauses) {
				t.Fatalf("paused after tries %v, want %v", pauses, tc.wantPauses)
			}
			for i := range pauses {
				if pauses[i] != tc.wantPauses[i] {
					t.Fatalf("paused after tries %v, want %v", pauses, tc.wantPauses)
				}
			}
			if tc.wantErr == errBusy && tries != busyTries {
				t.Errorf("tried %d times, want %d", tries, busyTries)
			}
		})
	}
}
