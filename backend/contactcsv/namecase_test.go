package contactcsv

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestNameCase(t *testing.T) {
	for in, want := range map[string]string{
		"IDA":               "Ida",
		"ida":               "Ida",
		"IDA B. WELLS":      "Ida B. Wells",
		"MARY-JANE":         "Mary-Jane",
		"O'BRIEN":           "O'Brien",
		"o’brien":           "O’Brien",
		"MARTIN LUTHER III": "Martin Luther III",
		"ÉLODIE":            "Élodie",
		"ŁUKASZ":            "Łukasz",
		"MCDONALD":          "Mcdonald",
		// Kept: mixed case is the file's spelling; too short to tell.
		"McDonald":    "McDonald",
		"de la Cruz":  "de la Cruz",
		"J":           "J",
		"":            "",
		"  ":          "  ",
		"JO  ANN":     "Jo  Ann",
		"李":           "李",
		"AL-HASSAN 2": "Al-Hassan 2",
		// Initials and short names (the review).
		"J.R.":       "J.R.",
		"A.J. SMITH": "A.J. Smith",
		"TJ":         "TJ",
		"aj":         "AJ",
		"AL":         "Al",
		"ED":         "Ed",
		"VI":         "Vi", // a first name, not a numeral
		"VI LYLES":   "Vi Lyles",
		"HENRY VIII": "Henry VIII",
		"ΣΩΚΡΑΤΗΣ":   "Σωκρατης",
	} {
		if got := NameCase(in); got != want {
			t.Errorf("NameCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNameCase: the name keeps its length in characters and every
// character that is not a letter where it was, and a second pass changes
// nothing (a name written as a name is kept).
func FuzzNameCase(f *testing.F) {
	for _, s := range []string{"IDA B. WELLS", "o'brien", "McDonald", "ǅ", "ß", "İSTANBUL", "A.J. SMITH", "ΣΩΚΡΑΤΗΣ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := NameCase(s)
		if again := NameCase(once); again != once {
			t.Fatalf("NameCase(%q) = %q, then %q: not stable", s, once, again)
		}
		in, out := []rune(s), []rune(once)
		if len(in) != len(out) {
			t.Fatalf("NameCase(%q) = %q: %d characters, not %d", s, once, len(out), len(in))
		}
		for i, r := range in {
			if !unicode.IsLetter(r) && out[i] != r {
				t.Fatalf("NameCase(%q) = %q: character %d, %q, changed", s, once, i, r)
			}
		}
	})
}

// TestReadWritesNamesAsNames: a voter file in capitals is read with its
// names written as names, each row saying what it rewrote; mixed case
// is kept; KeepNameCase keeps every name as the file has it; other columns
// are never touched.
func TestReadWritesNamesAsNames(t *testing.T) {
	src := "First Name,Last Name,Cell,City\nIDA,WELLS,2125550100,CHICAGO\nMcKenzie,O'Neil,2125550101,x\nbell,hooks,2125550102,y\n"
	res, err := Read(strings.NewReader(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Rows {
		got = append(got, r.FirstName+" "+r.LastName+" "+r.Fields["city"])
	}
	var recased []string
	for _, r := range res.Rows {
		recased = append(recased, r.Recased)
	}
	if fmt.Sprint(got) != "[Ida Wells CHICAGO McKenzie O'Neil x Bell Hooks y]" ||
		!slices.Equal(recased, []string{"IDA WELLS is Ida Wells", "", "bell hooks is Bell Hooks"}) {
		t.Fatalf("rows %q, recased %q", got, recased)
	}
	res, err = Read(strings.NewReader(src), Options{KeepNameCase: true})
	if err != nil || res.Rows[0].FirstName != "IDA" || res.Rows[2].LastName != "hooks" ||
		res.Rows[0].Recased != "" || res.Rows[2].Recased != "" {
		t.Fatalf("kept: %v %+v", err, res.Rows)
	}
}
