package quiethours

import "testing"

// TestWords: the hours as the action's page says them, the refusals'
// words beside it.
func TestWords(t *testing.T) {
	for _, tc := range []struct {
		h    Hours
		want string
	}{
		{Hours{"09:00", "21:00"}, "9 AM–9 PM"},
		{Hours{"08:30", "20:45"}, "8:30 AM–8:45 PM"},
		{Hours{"00:00", "24:00"}, "midnight–midnight"},
		{Hours{"12:00", "12:05"}, "noon–12:05 PM"},
		{Hours{"00:15", "23:59"}, "12:15 AM–11:59 PM"},
		{Hours{"9:00", "21:00"}, "9:00-21:00"},
		{Hours{"21:00", "09:00"}, "21:00-09:00"},
	} {
		if got := Words(tc.h); got != tc.want {
			t.Errorf("Words(%v) = %q; want %q", tc.h, got, tc.want)
		}
	}
}
