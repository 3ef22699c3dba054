package app

import "testing"

// Explorer takes a comma for the end of a path: the log folder of a
// Windows user named "Smith,Jo" is quoted whole, as is one with spaces or
// letters beyond ASCII.
func TestExplorerCommandLineQuotesThePath(t *testing.T) {
	for dir, want := range map[string]string{
		`C:\Users\Smith,Jo\AppData\Roaming\Textbank\logs`: `explorer "C:\Users\Smith,Jo\AppData\Roaming\Textbank\logs"`,
		`C:\Users\Jo Smith\AppData\Roaming\Textbank\logs`: `explorer "C:\Users\Jo Smith\AppData\Roaming\Textbank\logs"`,
		`C:\Users\Zoë;Ünal\AppData\Roaming\Textbank\logs`: `explorer "C:\Users\Zoë;Ünal\AppData\Roaming\Textbank\logs"`,
		`\\?\C:\very\long\path\Textbank\logs`:             `explorer "\\?\C:\very\long\path\Textbank\logs"`,
	} {
		if got := explorerCommandLine(dir); got != want {
			t.Errorf("explorerCommandLine(%q) = %s, want %s", dir, got, want)
		}
	}
}
