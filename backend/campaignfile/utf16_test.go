package campaignfile

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
)

// encodeUTF16 is src as a UTF-16 file with its byte-order mark, as
// Windows Notepad saves "Unicode".
func encodeUTF16(src string, order binary.AppendByteOrder) []byte {
	out := order.AppendUint16(nil, 0xFEFF)
	for _, u := range utf16.Encode([]rune(src)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// TestUTF16FileIsRead: a campaign file saved as UTF-16 is read as before
// the NUL rule (its raw bytes hold a NUL after every ASCII letter); a NUL
// in one of its values is still refused, naming the field.
func TestUTF16FileIsRead(t *testing.T) {
	data, err := os.ReadFile("../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		f, err := Parse(encodeUTF16(string(data), order))
		if err != nil {
			t.Fatalf("%v: %v", order, err)
		}
		if ps := Check(f, Create, nil); ps != nil {
			t.Fatalf("%v: %v", order, ps)
		}
		_, err = Parse(encodeUTF16("organization: \"a\\0b\"\n", order))
		if err == nil || !strings.Contains(err.Error(), "organization (line 1): contains a NUL") {
			t.Fatalf("%v: a NUL in a value: %v", order, err)
		}
	}
}
