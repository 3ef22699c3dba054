package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// check counts what was lost or doubled: each accepted text must be in
// the network's journal once and recorded sent in the database; each
// reply delivered must be stored once.
func (e *env) check(ctx context.Context, rep *Report, r *recorder, in *inbound) error {
	r.mu.Lock()
	accepted := append([]string(nil), r.accepted...)
	r.mu.Unlock()
	// got counts each key's lines in the journal of the network the
	// run's texts went through: the run's own, or the target's lines
	// written since the run began (fresh), the only ones that can hold
	// the run's texts: its action was seeded after they began.
	got := map[string]int{}
	var fresh []simnet.JournalEntry
	journal, from := e.journal, simnet.JournalMark{}
	if e.journal != "" {
		e.net.Close() // flushes and closes the journal
	} else {
		journal, from = e.targetJournal, e.journalFrom
	}
	if journal != "" {
		var err error
		if fresh, err = simnet.ReadJournalFrom(journal, from); err != nil {
			return fmt.Errorf("read the network's journal: %w", err)
		}
		for _, j := range fresh {
			got[j.Key]++
		}
	}
	var msgs map[string]store.Message
	err := e.st.View(ctx, func(tx store.Tx) error {
		msgs = make(map[string]store.Message, len(accepted))
		for i := 0; i < len(accepted); i += 500 {
			page, err := tx.MessagesByIDs(ctx, accepted[i:min(i+500, len(accepted))])
			if err != nil {
				return err
			}
			for k, m := range page {
				msgs[k] = m
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the accepted texts: %w", err)
	}
	// The Twilio stand-in knows texts by their numbers and words.
	var threads map[string]store.Thread
	if e.tw != nil {
		ids := make([]string, 0, len(msgs))
		for _, m := range msgs {
			ids = append(ids, m.ThreadID)
		}
		err = e.st.View(ctx, func(tx store.Tx) error {
			threads = make(map[string]store.Thread, len(ids))
			for i := 0; i < len(ids); i += 500 {
				page, err := tx.ThreadsByIDs(ctx, ids[i:min(i+500, len(ids))])
				if err != nil {
					return err
				}
				for k, th := range page {
					threads[k] = th
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read the accepted texts' threads: %w", err)
		}
	}
	isAccepted := make(map[string]bool, len(accepted))
	acceptedWords := map[string]bool{} // with --servers: the network's keys of accepted texts
	for _, id := range accepted {
		isAccepted[id] = true
		m, stored := msgs[id]
		ok := stored && m.ProviderID != "" && (m.Status == api.StatusSent || m.Status == api.StatusDelivered)
		n := -1 // times the network got it; -1: not known
		switch {
		case journal != "":
			n = got[id]
		case e.tw != nil && stored:
			th := threads[m.ThreadID]
			n = e.tw.timesSent(th.SendingNumber, th.ContactPhone, m.Body)
			acceptedWords[wordsKey(th.SendingNumber, th.ContactPhone, m.Body)] = true
			ok = ok && e.tw.issued(m.ProviderID)
		case e.tw != nil:
			n = 0
		}
		switch {
		case n == 0:
			ok = false
		case n > 1:
			rep.Duplicated += n - 1
		}
		if !ok {
			rep.Lost++
		}
	}
	rep.Checked = "accepted texts: the database (sent, with a provider id)"
	switch {
	case e.journal != "":
		rep.Checked += " and the simulated network's journal (exactly once)"
		countUnasked(rep, got, isAccepted, nil)
	case e.targetJournal != "":
		rep.Checked += " and the target's simulated network's journal, " + e.targetJournal +
			" (exactly once; texts of this run's action it got unasked)"
		if err := e.countTargetUnasked(ctx, rep, got, fresh, isAccepted); err != nil {
			return err
		}
	case e.tw != nil:
		rep.Checked += " and the Twilio stand-in's creates, shared by the servers (exactly once)"
		texts, copies := e.tw.unasked(acceptedWords)
		rep.Unaccepted, rep.Duplicated = texts, rep.Duplicated+copies
	case e.target:
		// A target on a real provider: what went out is the provider's
		// to know. Saying duplicated=0 would claim a check not made.
		rep.DuplicatesUnchecked = true
		rep.Checked += "; NOT the network: the target keeps no simulated network's journal (" +
			simnet.JournalFile + " in --data; its provider is not sim), so texts sent twice or unasked were not counted"
	}
	var db *sql.DB
	if isPostgres(e.dbPath) {
		db, err = openPostgres(e.dbPath)
	} else {
		db, err = sql.Open("sqlite3", e.dbPath+"?mode=ro&_busy_timeout=10000")
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, store.DanglingSQL).Scan(&rep.Dangling); err != nil {
		return fmt.Errorf("look for rows that point at nothing: %w", err)
	}
	rep.Checked += "; every thread, message, mutation and feed row points at rows that are there"
	if in == nil {
		return nil
	}
	in.mu.Lock()
	ids := append([]string(nil), in.ids...)
	unanswered := append([]string(nil), in.unanswered...)
	in.mu.Unlock()
	storedUnanswered := 0
	err = e.st.View(ctx, func(tx store.Tx) error {
		for _, id := range ids {
			if _, err := tx.MessageByProviderID(ctx, id); errors.Is(err, store.ErrNotFound) {
				rep.Lost++
			} else if err != nil {
				return err
			}
		}
		for _, id := range unanswered {
			if _, err := tx.MessageByProviderID(ctx, id); err == nil {
				storedUnanswered++
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the inbound replies: %w", err)
	}
	// The unique index on provider ids makes a second copy impossible to
	// store; count what the database holds beyond one per id anyway.
	var stored int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE direction = 'in' AND provider_id LIKE $1`, in.prefix+"%").Scan(&stored)
	if err != nil {
		return fmt.Errorf("count the inbound replies: %w", err)
	}
	// A reply whose deliveries all failed may be stored (once) all the same.
	if stored > len(ids)+storedUnanswered {
		rep.Duplicated += stored - len(ids) - storedUnanswered
	}
	rep.Checked += "; inbound replies: the database (each provider id stored once)"
	return nil
}
