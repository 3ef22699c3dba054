package main

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/server/democampaign"
	"github.com/textbank/textbank/backend/server/store"
)

// Providers as the database records them (store.ProvidersServed).
const (
	servedSim    = "sim"
	servedTwilio = "twilio"
)

// checkSimOnPostgres refuses the simulated network (--provider sim, or
// --demo) on a PostgreSQL database that holds a real campaign, as
// checkSimOnRealTexts does for a SQLite data directory; there the journal
// is in each server's own --data and says nothing about the database the
// servers share. The servers share one queue of texts: a simulated one
// would take its share of real contacts' queued texts and mark them
// delivered unsent, and store its made-up replies and STOPs as theirs;
// --demo would also add its organizer and volunteer, with the password
// the README publishes, to the organizers' database. Refused: a database
// a server has served with Twilio (recorded at each such start, from
// migration 0031), and one no simulated server served that holds texts
// (a server of before 0031) or, for --demo, accounts. A database the
// simulated network served first is a trial's: it serves again, as do
// several simulated servers on one database.
func checkSimOnPostgres(ctx context.Context, db string, demo bool, st store.Store) error {
	var served map[string]time.Time
	var handed string
	var pending, users int
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		if served, err = tx.ProvidersServed(ctx); err != nil {
			return err
		}
		// A record says it: no scan of a large database's texts.
		if len(served) > 0 {
			return nil
		}
		if err := tx.HandedSince(ctx, time.Time{}, func(id string) bool { handed = id; return false }); err != nil {
			return err
		}
		if pending, err = tx.CountPending(ctx); err != nil {
			return err
		}
		users, err = tx.CountUsers(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("read %s: %w", redactURL(db), err)
	}
	twilioAt, byTwilio := served[servedTwilio]
	_, bySim := served[servedSim]
	var what string
	switch {
	case byTwilio:
		what = "servers have sent its texts through Twilio (--provider twilio) since " + twilioAt.UTC().Format(time.RFC3339)
	case bySim:
		return nil
	case handed != "":
		what = fmt.Sprintf("it holds texts handed to a provider (%s among them), and the simulated network never served it", handed)
	case pending > 0:
		what = fmt.Sprintf("it holds %s queued to go out, and the simulated network never served it", count(pending, "text"))
	case demo && users > 0:
		what = fmt.Sprintf("it holds %s, and the demo would add its organizer and volunteer beside them with the password anyone can read in the README (%s)",
			count(users, "account"), democampaign.VolunteerPassword)
	default:
		return nil
	}
	return refuse(fmt.Errorf("the simulated network (--provider sim, or --demo) refuses the PostgreSQL database %s: %s. "+
		"On a real campaign's database it would take a share of the texts queued for real contacts and mark them delivered without sending them, "+
		"and store made-up replies and STOPs as theirs. Serve it with --provider twilio (docs/OPERATIONS.md, section 7); "+
		"to try the simulated network or the demo, give --db a database of its own (createdb -O textbank textbank_trial)",
		redactURL(db), what))
}

// noteProviderServed records that this server serves the PostgreSQL
// database with its provider, once checkSimOnPostgres let it: a later
// simulated start is refused after Twilio, and a trial's database, served
// first by the simulated network, is known as one.
func noteProviderServed(ctx context.Context, st store.Store, provider string, now time.Time) error {
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.NoteProviderServed(ctx, provider, now) }); err != nil {
		return fmt.Errorf("note the provider in the database: %w", err)
	}
	return nil
}
