package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testProvidersServed: a provider is recorded once, with the time a
// server first served with it; a later start keeps that time.
func testProvidersServed(t *testing.T, st store.Store) {
	served := func() map[string]time.Time {
		return get(t, st, func(ctx context.Context, tx store.Tx) (map[string]time.Time, error) { return tx.ProvidersServed(ctx) })
	}
	if got := served(); len(got) != 0 {
		t.Fatalf("a new database's providers served: %v, want none", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.NoteProviderServed(ctx, "sim", at(time.Hour)) })
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.NoteProviderServed(ctx, "sim", at(2*time.Hour))
	})
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.NoteProviderServed(ctx, "twilio", at(3*time.Hour))
	})
	got := served()
	if len(got) != 2 || !got["sim"].Equal(at(time.Hour)) || !got["twilio"].Equal(at(3*time.Hour)) {
		t.Fatalf("providers served: %v; want sim from %v (its first start), twilio from %v", got, at(time.Hour), at(3*time.Hour))
	}
}
