package server

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestMutationFingerprintIsStable pins the fingerprint of one mutation:
// fingerprints are stored, so a change to their form (a field added to
// api.Mutation without omitempty, another encoding) would refuse every
// retry of a mutation applied before it. Change the want only with a
// migration that clears the stored ones.
func TestMutationFingerprintIsStable(t *testing.T) {
	archived := true
	at := time.Date(2026, 3, 10, 11, 0, 0, 0, time.FixedZone("EST", -5*3600))
	m := api.Mutation{ID: "mu-1", Type: api.MutReport, CreatedAt: at, ThreadID: "th-1", ReportID: "rep-1",
		Values: map[string]string{"will_vote": "true", "notes": "café"}, Archived: &archived, At: &at}
	// The SHA-256 of {"id":"","type":"report","createdAt":"2026-03-10T16:00:00Z",
	// "threadId":"th-1","at":"2026-03-10T16:00:00Z","archived":true,"reportId":"rep-1",
	// "values":{"notes":"café","will_vote":"true"}}.
	const want = "e75cbe04adab5869fdb7dcf52a6c871f05c4507c848d9673cd34bc047ecaf80b"
	if got := hex.EncodeToString(mutationFingerprint(m)); got != want {
		t.Fatalf("fingerprint = %s, want %s", got, want)
	}
}

// TestMutationFingerprintSeesContentNotID: the id is left out (it is what
// is compared against), the key order and time zone of the JSON received
// do not count, every field of the content does.
func TestMutationFingerprintSeesContentNotID(t *testing.T) {
	decode := func(raw string) api.Mutation {
		var m api.Mutation
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := decode(`{"id":"a","type":"report","createdAt":"2026-03-10T16:00:00Z","threadId":"t","values":{"x":"1","y":"2"}}`)
	b := decode(`{"values":{"y":"2","x":"1"},"threadId":"t","createdAt":"2026-03-10T11:00:00-05:00","type":"report","id":"b"}`)
	if hex.EncodeToString(mutationFingerprint(a)) != hex.EncodeToString(mutationFingerprint(b)) {
		t.Fatal("the same content under another id, key order and zone has another fingerprint")
	}
	for _, raw := range []string{
		`{"id":"a","type":"report","createdAt":"2026-03-10T16:00:00Z","threadId":"t","values":{"x":"1","y":"3"}}`,
		`{"id":"a","type":"report","createdAt":"2026-03-10T16:00:01Z","threadId":"t","values":{"x":"1","y":"2"}}`,
		`{"id":"a","type":"report","createdAt":"2026-03-10T16:00:00Z","threadId":"u","values":{"x":"1","y":"2"}}`,
	} {
		if sameContent(mutationFingerprint(a), mutationFingerprint(decode(raw))) {
			t.Errorf("%s has the fingerprint of %+v", raw, a)
		}
	}
	if !sameContent(nil, mutationFingerprint(a)) {
		t.Error("a row without a fingerprint does not match")
	}
}
