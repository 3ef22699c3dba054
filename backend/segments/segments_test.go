package segments

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Info
	}{
		{"empty", "", Info{GSM7, 0, 0}},
		{"short", "Hi Ana, will you vote?", Info{GSM7, 1, 22}},
		{"160 gsm", strings.Repeat("a", 160), Info{GSM7, 1, 160}},
		{"161 gsm", strings.Repeat("a", 161), Info{GSM7, 2, 161}},
		{"306 gsm", strings.Repeat("a", 306), Info{GSM7, 2, 306}},
		{"307 gsm", strings.Repeat("a", 307), Info{GSM7, 3, 307}},
		{"gsm latin letters", "¡Hola! ¿Qué tal? ñ é ü Ø Δ £", Info{GSM7, 1, 28}},
		{"extension chars count two", "€{}[]~^|\\", Info{GSM7, 1, 18}},
		{"159 plus euro spills", strings.Repeat("a", 159) + "€", Info{GSM7, 2, 161}},
		{"158 plus euro fits", strings.Repeat("a", 158) + "€", Info{GSM7, 1, 160}},
		// 152 + escape pair would straddle 153: the pair moves to segment 2.
		{"escape pair not split", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), Info{GSM7, 3, 306}},
		{"escape pair aligned", strings.Repeat("a", 151) + "€" + strings.Repeat("a", 153), Info{GSM7, 2, 306}},
		{"e acute is gsm", "Qué", Info{GSM7, 1, 3}},
		{"ucs2 accent", "café à ç", Info{UCS2, 1, 8}},
		{"curly apostrophe forces ucs2", "Don’t", Info{UCS2, 1, 5}},
		{"emoji is two units", "Hi 🎉", Info{UCS2, 1, 5}},
		{"70 ucs2", strings.Repeat("ç", 70), Info{UCS2, 1, 70}},
		{"71 ucs2", strings.Repeat("ç", 71), Info{UCS2, 2, 71}},
		{"134 ucs2", strings.Repeat("ç", 134), Info{UCS2, 2, 134}},
		{"135 ucs2", strings.Repeat("ç", 135), Info{UCS2, 3, 135}},
		// 66 + surrogate pair would straddle 67: the emoji moves on.
		{"surrogate pair not split", strings.Repeat("ç", 66) + "🎉" + strings.Repeat("ç", 66), Info{UCS2, 3, 134}},
		{"surrogate pair aligned", strings.Repeat("ç", 65) + "🎉" + strings.Repeat("ç", 67), Info{UCS2, 2, 134}},
		{"35 emoji fit one", strings.Repeat("🎉", 35), Info{UCS2, 1, 70}},
		{"invalid utf8 is ucs2", "a\xffb", Info{UCS2, 1, 3}},
		{"tab is not gsm", "a\tb", Info{UCS2, 1, 3}},
		{"newlines are gsm", "a\r\nb", Info{GSM7, 1, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Analyze(tt.body); got != tt.want {
				t.Fatalf("Analyze(%q) = %+v, want %+v", tt.body, got, tt.want)
			}
			if got := Count(tt.body); got != tt.want.Segments {
				t.Fatalf("Count = %d, want %d", got, tt.want.Segments)
			}
		})
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "hi", "€", "🎉", strings.Repeat("a€", 90), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		info := Analyze(body)
		if info.Encoding != GSM7 && info.Encoding != UCS2 {
			t.Fatalf("encoding %q", info.Encoding)
		}
		if (body == "") != (info.Segments == 0) {
			t.Fatalf("Analyze(%q) = %+v: empty iff zero segments", body, info)
		}
		n := utf8.RuneCountInString(body)
		if info.Characters < n || info.Characters > 2*n {
			t.Fatalf("Analyze(%q) = %+v: characters outside [%d, %d]", body, info, n, 2*n)
		}
		single, part := gsmSingle, gsmPart
		if info.Encoding == UCS2 {
			single, part = ucs2Single, ucs2Part
		}
		switch {
		case body == "":
		case info.Characters <= single:
			if info.Segments != 1 {
				t.Fatalf("fits one segment but got %+v", info)
			}
		default:
			// Never fewer than the ideal split, and at most one unit lost per segment to pairs.
			lo := (info.Characters + part - 1) / part
			hi := (info.Characters + part - 2) / (part - 1)
			if info.Segments < lo || info.Segments > hi {
				t.Fatalf("Analyze(%q) = %+v: segments outside [%d, %d]", body, info, lo, hi)
			}
		}
	})
}
