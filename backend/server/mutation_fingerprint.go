package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"

	"github.com/textbank/textbank/backend/api"
)

// A mutation id is applied once, and a repeat of it answers the stored
// result: that is what makes resending after an unknown outcome safe. But
// an id reused for other content (a client bug, a corrupted outbox) would
// then be answered "applied" for a change that was never made. So each
// applied mutation's row keeps a fingerprint of its content, and a repeat
// whose content differs is refused (applyOne).
//
// The fingerprints of a push are computed by the request's goroutine
// before the push joins the writer (applyAll): the writer is one
// connection every volunteer's send waits on (docs/PERFORMANCE.md), and it
// only compares them or writes them with the mutation's row.

// mutationFingerprint is a SHA-256 of m as the server decoded it, its id
// aside, encoded as JSON (fields in declaration order, map keys sorted,
// times in UTC): a resend of the same outbox row gives the same bytes
// whatever its JSON's key order, spacing or time zone. Every optional
// field of api.Mutation is omitempty, so a field added later changes no
// fingerprint stored before it (TestMutationFingerprintIsStable). Nil if
// m cannot be encoded, which never happens for a decoded mutation; nil
// matches any content, as a row stored before fingerprints did.
func mutationFingerprint(m api.Mutation) []byte {
	m.ID = ""
	m.CreatedAt = m.CreatedAt.UTC()
	if m.At != nil {
		at := m.At.UTC()
		m.At = &at
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// fingerprints is mutationFingerprint of each of ms, in order.
func fingerprints(ms []api.Mutation) [][]byte {
	out := make([][]byte, len(ms))
	for i, m := range ms {
		out[i] = mutationFingerprint(m)
	}
	return out
}

// sameContent says whether a mutation fingerprinted got may be answered
// with the result stored under fingerprint stored: a row without one
// (recorded before fingerprints were kept) matches anything.
func sameContent(stored, got []byte) bool {
	return len(stored) == 0 || len(got) == 0 || bytes.Equal(stored, got)
}
