package quiethours

import "fmt"

// Words says the window as volunteers read it on the action's page
// ("9 AM–9 PM", "8:30 AM–midnight"; the app's clockLabel, frontend
// lib/hours.ts, writes the same), so a refusal beside that page names the
// hours in the same words. A malformed window is said as written.
func Words(h Hours) string {
	start, end, err := bounds(h)
	if err != nil {
		return h.Start + "-" + h.End
	}
	return clockWords(start) + "–" + clockWords(end)
}

// clockWords says a minute of the day: 540 is "9 AM", 810 "1:30 PM",
// 0 and 1440 "midnight", 720 "noon".
func clockWords(m int) string {
	h, min := m/60, m%60
	switch {
	case min == 0 && (h == 0 || h == 24):
		return "midnight"
	case min == 0 && h == 12:
		return "noon"
	}
	suffix := "AM"
	if h >= 12 && h < 24 {
		suffix = "PM"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if min == 0 {
		return fmt.Sprintf("%d %s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d %s", h12, min, suffix)
}
