// Package segments counts how many SMS segments a text costs. Carriers bill
// per segment, and the volunteer sees the count before sending.
//
// A text that fits the GSM 03.38 alphabet is sent as GSM-7: 160 characters
// in one segment, or 153 per segment once split (the rest of each segment
// holds the concatenation header). Any other character switches the whole
// text to UCS-2: 70 UTF-16 units in one segment, 67 per segment once split.
//
// When splitting, an escape pair (a GSM extension character such as '€' or
// '{', which costs two septets) and a UTF-16 surrogate pair (an emoji) are
// never divided between segments, as real handsets do; a segment that would
// end mid-pair ends one unit early instead, which can cost an extra segment.
package segments

// Encodings.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

const (
	gsmSingle  = 160
	gsmPart    = 153
	ucs2Single = 70
	ucs2Part   = 67
)

// Info describes how a text would be sent.
type Info struct {
	Encoding   string // GSM7 or UCS2
	Segments   int    // 0 for an empty text
	Characters int    // in encoding units: septets for GSM-7 (extension chars count 2), UTF-16 units for UCS-2
}

// Analyze works out a text's encoding, length and segment count.
func Analyze(body string) Info {
	if body == "" {
		return Info{Encoding: GSM7}
	}
	enc, single, part := GSM7, gsmSingle, gsmPart
	cost := gsmCost
	for _, r := range body {
		if gsmCost(r) == 0 {
			enc, single, part, cost = UCS2, ucs2Single, ucs2Part, ucs2Cost
			break
		}
	}
	total := 0
	for _, r := range body {
		total += cost(r)
	}
	info := Info{Encoding: enc, Characters: total, Segments: 1}
	if total <= single {
		return info
	}
	// Greedy packing: a character that does not fit whole starts a new segment.
	used := 0
	for _, r := range body {
		c := cost(r)
		if used+c > part {
			info.Segments++
			used = 0
		}
		used += c
	}
	return info
}

// Count is the number of segments body costs.
func Count(body string) int { return Analyze(body).Segments }

// ucs2Cost is the number of UTF-16 units r takes. Invalid UTF-8 decodes to
// U+FFFD, one unit, which is what a sender would transmit.
func ucs2Cost(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// gsmCost is the number of septets r takes in GSM-7, or 0 if GSM-7 cannot
// carry it.
func gsmCost(r rune) int {
	if r < 0x80 {
		if gsmASCII[r] {
			return 1
		}
		if gsmExtASCII[r] {
			return 2
		}
		return 0
	}
	if r == '€' {
		return 2
	}
	if gsmLatin[r] {
		return 1
	}
	return 0
}

// gsmASCII marks the ASCII characters in the GSM 03.38 basic table.
var gsmASCII = func() (t [128]bool) {
	for _, r := range "\n\r !\"#%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz$" {
		t[r] = true
	}
	return t
}()

// gsmExtASCII marks ASCII characters reached through the escape (extension) table.
var gsmExtASCII = func() (t [128]bool) {
	for _, r := range "\f^{}\\[~]|" {
		t[r] = true
	}
	return t
}()

// gsmLatin is the rest of the GSM 03.38 basic table.
var gsmLatin = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà" {
		m[r] = true
	}
	return m
}()
