package app

import "testing"

func TestFitWindowShrinksAWindowLargerThanItsScreen(t *testing.T) {
	want, min := WindowSize{1200, 780}, WindowSize{640, 560} // main.go's
	for _, c := range []struct {
		name   string
		screen WindowSize
		got    WindowSize
	}{
		{"a screen with room keeps the size", WindowSize{1920, 1080}, WindowSize{1200, 780}},
		{"exactly the size and its margin", WindowSize{1232, 876}, WindowSize{1200, 780}},
		{"1280x800: the height fits the screen", WindowSize{1280, 800}, WindowSize{1200, 704}},
		{"1024x700: both fit", WindowSize{1024, 700}, WindowSize{992, 604}},
		{"1366x768: the height fits the screen", WindowSize{1366, 768}, WindowSize{1200, 672}},
		{"800x600: the width fits, the height at its minimum", WindowSize{800, 600}, WindowSize{768, 560}},
		{"smaller than the minimum: the minimum", WindowSize{600, 500}, WindowSize{640, 560}},
		{"an unknown screen changes nothing", WindowSize{}, WindowSize{1200, 780}},
	} {
		if got := FitWindow(want, min, c.screen); got != c.got {
			t.Errorf("%s: FitWindow(%v on %v) = %v, want %v", c.name, want, c.screen, got, c.got)
		}
	}
}
