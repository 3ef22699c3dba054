package app

import "github.com/textbank/textbank/backend/segments"

// SegmentCount is what a text about to be sent costs, for the live count
// under the reply box.
type SegmentCount struct {
	Segments   int    `json:"segments"`   // 0 for an empty text
	Characters int    `json:"characters"` // in encoding units (GSM-7 septets or UTF-16 units)
	Encoding   string `json:"encoding"`   // "GSM-7" or "UCS-2"
}

// Segments counts body with the one segment rule (backend/segments), so the
// window never carries a second copy of it.
func (t *Texting) Segments(body string) SegmentCount {
	info := segments.Analyze(body)
	return SegmentCount{Segments: info.Segments, Characters: info.Characters, Encoding: info.Encoding}
}
