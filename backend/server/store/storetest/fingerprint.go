package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
)

// BeforeFingerprint is the last migration before 0017 kept a fingerprint
// of each mutation's content.
const BeforeFingerprint = 16

// FingerprintFixtureSQL fills a database migrated to BeforeFingerprint
// (either dialect) with a mutation recorded the old way.
var FingerprintFixtureSQL = []string{
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('fvol', 'Val Volunteer', 'fvol@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO mutations (id, user_id, type, result, created_at) VALUES
		('fmu-old', 'fvol', 'reply', '{"id":"fmu-old","status":"applied"}', '2026-01-01T00:00:00.000000000Z')`,
}

// CheckFingerprintMigration checks st, opened on FingerprintFixtureSQL's
// database (and so migrated past 0017): the old mutation reads back whole
// with no fingerprint (the server answers any repeat of it with its
// result, as before), and a new one keeps its fingerprint.
func CheckFingerprintMigration(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	fp := sha256.Sum256([]byte("new content"))
	err := st.Update(ctx, func(tx store.Tx) error {
		return tx.PutMutation(ctx, store.Mutation{ID: "fmu-new", UserID: "fvol", Type: "reply", Fingerprint: fp[:],
			Result: store.MutationResult{ID: "fmu-new", Status: "applied"}, CreatedAt: t0})
	})
	if err != nil {
		t.Fatalf("record a mutation after the migration: %v", err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		old, err := tx.MutationByID(ctx, "fmu-old")
		if err != nil {
			return err
		}
		if old.UserID != "fvol" || old.Type != "reply" || old.Result.Status != "applied" || old.Fingerprint != nil {
			t.Errorf("the mutation recorded before the migration reads %+v; want it whole, without a fingerprint", old)
		}
		got, err := tx.MutationByID(ctx, "fmu-new")
		if err != nil {
			return err
		}
		if !bytes.Equal(got.Fingerprint, fp[:]) {
			t.Errorf("new mutation's fingerprint = %x, want %x", got.Fingerprint, fp)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the mutations back: %v", err)
	}
}
