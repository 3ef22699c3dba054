package fold_test

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/fold"
)

func TestNameFoldsCaseAndAccents(t *testing.T) {
	for in, want := range map[string]string{
		"Ada Lovelace":        "ada lovelace",
		"Franklin Chang-Díaz": "franklin chang-diaz",
		"Campaña ÜBER":        "campana uber",
		"ｄｉａｚ":                "diaz",
		"Élection Ñandú":      "election nandu",
		"\u0301":              "",
	} {
		if got := fold.Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestQueryOfMarksAloneFindsNothing: an accent typed by itself folds to "",
// which every folded name contains; Query keeps it as typed instead.
func TestQueryOfMarksAloneFindsNothing(t *testing.T) {
	q := fold.Query("\u0301")
	if q == "" || strings.Contains(fold.Name("Campaña Díaz"), q) {
		t.Fatalf("Query(a lone accent) = %q, which a folded name holds", q)
	}
	if got := fold.Query("CAMPAÑA"); got != "campana" {
		t.Errorf("Query(CAMPAÑA) = %q, want campana", got)
	}
}
