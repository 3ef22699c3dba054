package api

import (
	"encoding/json"
	"strconv"
)

// AppendJSON appends r as json.Marshal writes it. encoding/json validates
// and compacts every json.RawMessage it writes again, and a sync page is
// mostly its changes' Data: that second pass was about a tenth of a small
// page's CPU on the server (PERFORMANCE-LOG.md, "A cheaper small sync").
// Each change's Data must therefore be what json.Marshal wrote (compact
// and valid), as the server's pages are; it is written as it is.
func (r SyncResponse) AppendJSON(b []byte) []byte {
	b = append(b, `{"changes":`...)
	if r.Changes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range r.Changes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"version":`...)
			b = strconv.AppendInt(b, c.Version, 10)
			b = append(b, `,"kind":`...)
			b = appendJSONString(b, c.Kind)
			b = append(b, `,"id":`...)
			b = appendJSONString(b, c.ID)
			if c.Deleted {
				b = append(b, `,"deleted":true`...)
			}
			if len(c.Data) > 0 {
				b = append(b, `,"data":`...)
				b = append(b, c.Data...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"cursor":`...)
	b = strconv.AppendInt(b, r.Cursor, 10)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, r.More)
	return append(b, '}')
}

// JSONSize is about the length of r's JSON, to size AppendJSON's buffer.
func (r SyncResponse) JSONSize() int {
	n := 64
	for _, c := range r.Changes {
		n += c.JSONSize()
	}
	return n
}

// JSONSize is about the length of c's JSON in a page: what the server
// counts against SyncPageBytes. Kinds and ids are plain ASCII, so only
// Data's length varies; 64 covers the rest (a version of 19 digits with
// the names and "deleted" is 69 at most, and an estimate is enough).
func (c Change) JSONSize() int {
	return 64 + len(c.Kind) + len(c.ID) + len(c.Data)
}

// appendJSONString appends s quoted as encoding/json quotes it: the ids
// and kinds of a page are plain ASCII, written as they are; anything
// json.Marshal would escape (quotes, controls, <, >, &, non-ASCII) is left
// to it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
