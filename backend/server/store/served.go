package store

import (
	"context"
	"time"
)

// ProvidersServed is which SMS providers servers have served the database
// with: what textbankd serve asks before the simulated network (or the
// demo) serves a PostgreSQL database, where the journal in each server's
// own --data says nothing about the database the servers share. Read and
// written once at a server's start, never on a request's path.
type ProvidersServed interface {
	// ProvidersServed maps each provider ("sim", "twilio") a server has
	// served the database with to when one first did.
	ProvidersServed(ctx context.Context) (map[string]time.Time, error)
	// NoteProviderServed records that a server serves the database with
	// provider from at, unless one did before.
	NoteProviderServed(ctx context.Context, provider string, at time.Time) error
}

// ProvidersServedSQL lists providers_served: provider, first_at (TimeText).
const ProvidersServedSQL = `SELECT provider, first_at FROM providers_served`

// NoteProviderServedSQL records a provider (provider, TimeText) once.
const NoteProviderServedSQL = `INSERT INTO providers_served (provider, first_at) VALUES (?, ?) ON CONFLICT (provider) DO NOTHING`

// ScanProvidersServed reads ProvidersServedSQL's rows.
func ScanProvidersServed(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for rows.Next() {
		var provider, at string
		if err := rows.Scan(&provider, &at); err != nil {
			return nil, err
		}
		t, err := ParseTimeText(at)
		if err != nil {
			return nil, err
		}
		out[provider] = t
	}
	return out, rows.Err()
}
