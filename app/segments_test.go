package app

import (
	"strings"
	"testing"
)

func TestTextingSegments(t *testing.T) {
	tx := &Texting{}
	cases := []struct {
		body string
		want SegmentCount
	}{
		{"", SegmentCount{Segments: 0, Characters: 0, Encoding: "GSM-7"}},
		{"See you there", SegmentCount{Segments: 1, Characters: 13, Encoding: "GSM-7"}},
		{strings.Repeat("x", 160), SegmentCount{Segments: 1, Characters: 160, Encoding: "GSM-7"}},
		{strings.Repeat("x", 161), SegmentCount{Segments: 2, Characters: 161, Encoding: "GSM-7"}},
		{"Merci 🙂", SegmentCount{Segments: 1, Characters: 8, Encoding: "UCS-2"}},
	}
	for _, c := range cases {
		if got := tx.Segments(c.body); got != c.want {
			t.Errorf("Segments(%q) = %+v, want %+v", c.body, got, c.want)
		}
	}
}
