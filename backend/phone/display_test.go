package phone

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestDisplay(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"US", "+16025550107", "(602) 555-0107"},
		{"US, spaced around", " +16025550107 ", "(602) 555-0107"},
		{"US, written with spaces", "+1 602 555 0107", "(602) 555-0107"},
		{"US toll free", "+18005550100", "(800) 555-0100"},
		{"US with an extension", "+16025550107 ext. 12", "(602) 555-0107 ext. 12"},
		{"Canada", "+14165550199", "(416) 555-0199"},
		{"Jamaica, in the North American plan", "+18765550100", "(876) 555-0100"},
		{"UK", "+442079460958", "+44 20 7946 0958"},
		{"UK with its national 0", "+44 (0)20 7946 0958", "+44 20 7946 0958"},
		{"France", "+33612345678", "+33 6 12 34 56 78"},
		// Ascension Island has no number layouts in the metadata: the
		// country code is still set apart.
		{"country without formatting rules", "+24762889", "+247 62889"},
		{"international freephone", "+80012345678", "+800 1234 5678"},
		{"+1 and too few digits keeps its +1", "+1602555010", "+1 602555010"},
		{"short code", "12345", "12345"},
		{"national without country code", "020 7946 0958", "020 7946 0958"},
		{"unknown country code", "+999123", "+999123"},
		{"garbage", "not a number", "not a number"},
		{"plus garbage", "+hello", "+hello"},
		{"plus alone", "+", "+"},
		{"empty", "", ""},
		{"spaces", "   ", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second answer comes from the remembered ones
				if got := Display(tt.in); got != tt.want {
					t.Fatalf("Display(%q) = %q, want %q", tt.in, got, tt.want)
				}
			}
		})
	}
}

// The North American numbers spaced by hand read as phonenumbers lays them
// out, valid area codes and not.
func TestDisplayNANPMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for range 2000 {
		s := fmt.Sprintf("+1%d%09d", 2+r.IntN(8), r.IntN(1e9))
		n, err := phonenumbers.Parse(s, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := Display(s), phonenumbers.Format(n, phonenumbers.NATIONAL); got != want {
			t.Fatalf("Display(%q) = %q, phonenumbers says %q", s, got, want)
		}
	}
}

// A North American number, most of an inbox, is spaced without parsing
// (which allocates dozens of times and loads the metadata on first use):
// the one allocation is the answer.
func TestDisplayNANPDoesNotParse(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Display("+16025550107") }); n > 1 {
		t.Fatalf("Display of a North American number allocates %v times", n)
	}
}

// The remembered displays stay within their bound.
func TestDisplayRemembered(t *testing.T) {
	for i := range displays.max + 10 {
		if got, want := Display(fmt.Sprintf("+44207946%04d", i)), fmt.Sprintf("+44 20 7946 %04d", i); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	displays.checkBound(t)
}

// FuzzDisplay: whatever is stored, Display answers without panicking, says
// something for anything but blanks, and answers the same the second time.
func FuzzDisplay(f *testing.F) {
	for _, s := range []string{"+16025550107", "+442079460958", "+24762889", "12345", "+", "+1", "+1 602 555 0107 ext. 9", "+44 (0)20", "٣٤٥", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Display(s)
		if strings.TrimSpace(s) != "" && got == "" {
			t.Fatalf("Display(%q) is empty", s)
		}
		if again := Display(s); again != got {
			t.Fatalf("Display(%q) = %q, then %q", s, got, again)
		}
	})
}

// BenchmarkDisplay: a North American number, another country's remembered,
// and one parsed (what a page of numbers not shown before costs a row).
func BenchmarkDisplay(b *testing.B) {
	const uk = "+442079460958"
	b.Run("north_american", func(b *testing.B) {
		for b.Loop() {
			Display("+16025550107")
		}
	})
	b.Run("uk_remembered", func(b *testing.B) {
		for b.Loop() {
			Display(uk)
		}
	})
	b.Run("uk_parsed", func(b *testing.B) {
		for b.Loop() {
			displays.mu.Lock()
			delete(displays.m, uk)
			displays.mu.Unlock()
			Display(uk)
		}
	})
}
