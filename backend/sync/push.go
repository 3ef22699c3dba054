package sync

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/report"
)

// pushBytes bounds the encoded mutations of one push, well inside the
// server's limit: fifty reports with long notes and many text fields in
// characters JSON escapes (six bytes each) would pass it, and a push the
// server refuses as too large would stop the outbox for good.
const pushBytes = api.MaxRequestBody / 2

// fitBody returns the first of muts (one at least) whose encoded size
// stays within limit.
func fitBody(muts []api.Mutation, limit int) []api.Mutation {
	size := 0
	for i, m := range muts {
		b, err := json.Marshal(m)
		if err != nil {
			return muts[:max(i, 1)] // the API client will say what is wrong with it
		}
		size += len(b) + 1 // and its comma
		if size > limit && i > 0 {
			return muts[:i]
		}
	}
	return muts
}

// durable puts the outbox on the disk. The cache commits with
// synchronous=NORMAL, which a machine's crash or power cut can undo: a
// change the volunteer made (a send, a report, an archive), shown done,
// would vanish with its outbox row. Each change kicks a push at once, and
// the push syncs the cache's WAL before sending: one fsync for every
// change made since the last push, in the engine's goroutine, never on
// the window's (docs/ARCHITECTURE.md, "The outbox on the disk"). A sync
// that fails is logged and the push goes on: the server, once it answers,
// holds the change on its own disk.
func (e *Engine) durable() {
	if err := e.cfg.Durable(); err != nil {
		e.log.Error().Err(err).Msg("the outbox could not be put on the disk; pushing it all the same")
	}
}

// syncBehind syncs the cache whenever a change is kicked while a push or a
// pull is under way: its own push would sync it only once they are done,
// after a pull's every page, and until then a power cut could undo it.
// The sync runs here, never on the window's call (Kick does not wait).
func (e *Engine) syncBehind(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.syncNow:
			e.durable()
		}
	}
}

// push sends the outbox in order, pushBatch at a time. A network failure
// leaves every mutation where it is (the server applies each id at most
// once, so resending after an unknown outcome is safe).
func (e *Engine) push(ctx context.Context) error {
	e.busy.Add(1)
	defer e.busy.Add(-1)
	e.pushMu.Lock()
	defer e.pushMu.Unlock()
	synced := false
	for {
		muts, err := e.cfg.Cache.PendingMutations(ctx, pushBatch)
		if err != nil {
			return err
		}
		if len(muts) == 0 {
			return nil
		}
		if !synced {
			e.durable()
			synced = true
		}
		muts = fitBody(muts, pushBytes)
		ids := make([]string, len(muts))
		for i, m := range muts {
			ids[i] = m.ID
		}
		resp, err := e.cfg.API.PushMutations(ctx, muts)
		if serverFault(err) && len(muts) > 1 {
			// Which of them trips the server? The first, pushed alone,
			// goes on if it is not the one; the one that is fails alone,
			// and only its faults are counted (the volunteer may discard
			// it after a few, cache.FaultsBeforeDiscard): the changes after
			// it wait, since they go in order.
			muts, ids = muts[:1], ids[:1]
			resp, err = e.cfg.API.PushMutations(ctx, muts)
		}
		if err != nil {
			if ctx.Err() == nil {
				if aerr := e.cfg.Cache.MarkAttempt(ctx, ids, err.Error()); aerr != nil {
					e.log.Error().Err(aerr).Msg("record push attempt")
				}
			}
			if serverFault(err) && len(muts) == 1 {
				// The round counts it a fault of this change's if the
				// server answers everything else meanwhile.
				err = &changeFault{id: ids[0], typ: muts[0].Type, err: err}
			}
			return fmt.Errorf("push %d mutations: %w", len(muts), err)
		}
		var applied []api.MutationResult
		var rejected []Rejection
		for _, r := range resp.Results {
			switch r.Status {
			case api.ResultApplied:
				applied = append(applied, r)
			case api.ResultRejected:
				if err := e.cfg.Cache.MarkRejected(ctx, r.ID, r.Code, r.Reason); err != nil {
					return err
				}
				rejected = append(rejected, Rejection{ID: r.ID, Code: r.Code, Reason: r.Reason, Body: r.Body})
			}
		}
		if err := e.markApplied(ctx, applied); err != nil {
			return err
		}
		if len(rejected) > 0 {
			e.describe(ctx, rejected)
			for _, r := range rejected {
				// Not the reason: it names the contact ("Ada Lovelace has
				// opted out", or their number), and the log file outlives
				// sign-out, which deletes the cache that keeps the reason
				// for the volunteer.
				e.log.Warn().Str("mutation", r.ID).Str("type", r.Type).Str("code", r.Code).Msg("server refused a mutation")
			}
			var sum ChangeSummary
			for _, r := range rejected {
				sum.Threads = append(sum.Threads, e.refusedThreads(ctx, r)...)
				if r.Type == api.MutSendInitial {
					sum.Queue = true // a contact may be back in the queue
				}
				if r.Type == api.MutRead {
					// A read is housekeeping (opening a conversation), not a
					// change the volunteer made: the Outbox does not list it
					// and nothing could dismiss it, so its refusal (the
					// conversation reassigned or blocked meanwhile) is rolled
					// back and forgotten, not announced.
					// Failing that, it stays refused in the outbox, unlisted
					// and never pushed again: the batch's other refusals must
					// still reach the window, so it is logged, not returned.
					if err := e.cfg.Cache.DismissRejected(ctx, r.ID, ""); err != nil {
						e.log.Error().Err(err).Str("mutation", r.ID).Msg("forget a refused read")
					}
					continue
				}
				sum.Rejected = append(sum.Rejected, r)
			}
			e.cfg.OnChange(sum)
		}
		if len(applied)+len(rejected) == 0 {
			return fmt.Errorf("push %d mutations: the server answered none of them", len(muts))
		}
	}
}

// refusedThreads are the threads a refusal changed: a refused report's
// Opt Out also comes off the other local threads of its number
// (cache.NumberThreads). Failing to read them leaves those to the next
// change; the refusal is recorded all the same.
func (e *Engine) refusedThreads(ctx context.Context, r Rejection) []string {
	if r.ThreadID == "" {
		return nil
	}
	if r.Type != api.MutReport || r.Mutation.Values[report.OptOut] != "true" {
		return []string{r.ThreadID}
	}
	ids, err := e.cfg.Cache.NumberThreads(ctx, r.ThreadID)
	if err != nil {
		e.log.Warn().Err(err).Msg("read a refused opt-out's other threads")
		return []string{r.ThreadID}
	}
	return ids
}

// markApplied takes applied mutations out of the outbox and tells a pull in
// flight that its page may be older than them.
func (e *Engine) markApplied(ctx context.Context, results []api.MutationResult) error {
	if len(results) == 0 {
		return nil
	}
	e.applyMu.Lock()
	defer e.applyMu.Unlock()
	e.pushed++
	return e.cfg.Cache.MarkApplied(ctx, results)
}

// describe fills in what each rejection was about from the outbox.
func (e *Engine) describe(ctx context.Context, rs []Rejection) {
	rows, err := e.cfg.Cache.Outbox(ctx)
	if err != nil {
		return
	}
	byID := map[string]cache.OutboxRow{}
	for _, r := range rows {
		byID[r.Mutation.ID] = r
	}
	for i := range rs {
		if row, ok := byID[rs[i].ID]; ok {
			rs[i].Type, rs[i].ContactName, rs[i].ContactPhone, rs[i].Mutation = row.Mutation.Type, row.ContactName, row.ContactPhone, row.Mutation
			rs[i].ThreadID = row.Mutation.ThreadID
			if rs[i].ThreadID == "" {
				rs[i].ThreadID = row.Mutation.ContactID
			}
			if rs[i].Reason == "" {
				rs[i].Reason = row.Reason
			}
		}
	}
}
