package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// checkSimOnRealTexts refuses the simulated network (--provider sim, or
// --demo) on a SQLite data directory whose texts went out through Twilio:
// one with texts handed to a provider since the time its simulated
// network's journal is dated (a server on it with --provider sim makes the
// journal at its first start, dates it at each start the check lets
// through, markSimServed, and writes it at each text it sends, before the
// text is recorded sent), or ever, with no journal at all. A journal
// left from trying --provider sim before the campaign went live does not
// let it serve the live campaign: Twilio's texts came after it. There the
// simulated network would take over a real campaign: the texts still
// queued or left sending for real contacts would be marked sent and
// delivered without leaving the machine, volunteers' new texts too, and
// its made-up replies (rude ones, STOPs that opt real people out) stored
// as those contacts' own; --demo would also seed its campaign into the
// organizers' database. Copying the Makefile's `serve --demo` line, or
// trying "--provider sim" that a failed text's error names, onto
// /var/lib/textbank is an easy slip. Trying a copy of a real database with
// simulated texts on purpose stays possible: the refusal says how (a
// journal touched after the copy's last real text). A server the check
// lets serve dates the journal (markSimServed). On PostgreSQL --data is
// each server's own and tells nothing.
func checkSimOnRealTexts(ctx context.Context, dataDir string, st store.Store) error {
	journal := filepath.Join(dataDir, simJournal)
	var since time.Time // no journal: any text handed to a provider was Twilio's
	fi, err := os.Stat(journal)
	switch {
	case err == nil:
		since = fi.ModTime()
	case !errors.Is(err, fs.ErrNotExist):
		return nil // the network's UseJournal says what is wrong with it
	}
	// A text of the network's own is written down before its row says
	// sent, so it is older than the journal; a clock stepped back could
	// still list one. The journal (the network reads it again at its
	// start) is read only then: a restart usually lists nothing. The
	// first text listed is looked for in it line by line, undecoded but
	// for lines holding its id (a journal of a long simulated trial is
	// hundreds of MB, and a Twilio text, refused, is the usual find); one
	// of the network's own means a clock stepped back, and more of them
	// may follow, so the journal's ids are then read once for the rest.
	var ours map[string]bool
	var foreign string
	unread := false
	if err := st.View(ctx, func(tx store.Tx) error {
		return tx.HandedSince(ctx, since, func(id string) bool {
			if since.IsZero() {
				foreign = id
				return false
			}
			if ours == nil {
				held, err := simnet.JournalHolds(ctx, journal, id)
				if err != nil {
					unread = true // as above
					return false
				}
				if !held {
					foreign = id
					return false
				}
				recs, err := simnet.ReadJournal(journal)
				if err != nil {
					unread = true
					return false
				}
				ours = make(map[string]bool, len(recs))
				for _, r := range recs {
					ours[r.ID] = true
				}
			}
			if ours[id] {
				return true
			}
			foreign = id
			return false
		})
	}); err != nil {
		return fmt.Errorf("read %s: %w", filepath.Join(dataDir, store.FileName), err)
	}
	if unread {
		return nil
	}
	if foreign == "" {
		return nil
	}
	why := fmt.Sprintf("texts handed to a provider (%s among them), and no simulated network's journal %s", foreign, journal)
	if !since.IsZero() {
		why = fmt.Sprintf("texts handed to a provider (%s among them) after the simulated network last started or sent here, %s "+
			"(the time its journal %s is dated)", foreign, since.UTC().Format(time.RFC3339), journal)
	}
	return refuse(fmt.Errorf("the simulated network (--provider sim, or --demo) refuses %s: its texts went out through Twilio "+
		"(%s), and simulated texts there would mark real contacts' texts sent without sending them and store made-up "+
		"replies and STOPs as theirs. Serve it with --provider twilio (docs/OPERATIONS.md, section 2). To try a copy of it "+
		"with simulated texts on purpose, mark the journal in the copy's directory as made after the copy: touch %s",
		filepath.Join(dataDir, store.FileName), why, journal))
}

// markSimServed dates the simulated network's journal now (making it if
// there is none), once the check has let the network serve the directory:
// its time is when the network last served here, not only when it last
// sent. The demo's seed stores texts with made-up provider ids it never
// journals; a journal dated before them (a --provider sim run that
// sent nothing, then --demo) would have the next start refused.
func markSimServed(dataDir string, now time.Time) error {
	journal := filepath.Join(dataDir, simJournal)
	f, err := os.OpenFile(journal, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("the simulated network's journal: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("the simulated network's journal: %w", err)
	}
	if err := os.Chtimes(journal, now, now); err != nil {
		return fmt.Errorf("the simulated network's journal: %w", err)
	}
	return nil
}
