package sync

import (
	"context"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

func (e *Engine) pull(ctx context.Context) error {
	e.busy.Add(1)
	defer e.busy.Add(-1)
	e.pullMu.Lock()
	defer e.pullMu.Unlock()
	cursor, err := e.cfg.Cache.Cursor(ctx)
	if err != nil {
		return err
	}
	// History, not news, until a pull has reached the feed's end (cache.CaughtUp).
	caughtUp, err := e.cfg.Cache.CaughtUp(ctx)
	if err != nil {
		return err
	}
	first := !caughtUp
	var sum ChangeSummary
	applied, readOpen := 0, false
	threads := []string{} // conversations the pages brought
	for {
		resp, res, err := e.pullPage(ctx, cursor, first)
		if err != nil {
			return err
		}
		applied += res.Applied
		readOpen = readOpen || res.ReadOpen
		sum.NewInbound = append(sum.NewInbound, res.NewInbound...)
		sum.Reassigned = append(sum.Reassigned, res.Reassigned...)
		sum.OptedBackIn = append(sum.OptedBackIn, res.OptedBackIn...)
		sum.Left = append(sum.Left, res.Left...)
		sum.add(resp.Changes)
		for _, ch := range resp.Changes {
			if ch.Kind == api.KindThread && !ch.Deleted {
				threads = append(threads, ch.ID)
			}
		}
		if resp.More && resp.Cursor <= cursor {
			return fmt.Errorf("pull after version %d: server said there is more but did not move the cursor", cursor)
		}
		cursor = resp.Cursor
		if !resp.More {
			break
		}
	}
	if first {
		sum.NewInbound, sum.Reassigned, sum.OptedBackIn, sum.All = nil, nil, nil, true
	}
	filled := e.fillContacts(ctx, threads)
	sum.addThreads(filled) // their response scripts read differently now
	if (applied > 0 || len(filled) > 0) && !sum.empty() {
		e.cfg.OnChange(sum)
	}
	if readOpen {
		e.Kick() // the read of the open thread goes out in the next round
	}
	return nil
}

// staleRetries is how many times pullPage asks again for a page a push
// overtook before it fetches one with pushes held back, for at most
// heldFetchTimeout.
const (
	staleRetries     = 3
	heldFetchTimeout = 30 * time.Second
)

// pullPage fetches the page after cursor and applies it, unless a push was
// applied meanwhile: then the page may predate it and is asked for again.
// After staleRetries such tries the page is fetched with pushes held back,
// so a volunteer sending steadily cannot starve the pull.
func (e *Engine) pullPage(ctx context.Context, cursor int64, first bool) (api.SyncResponse, cache.PageResult, error) {
	for try := 0; ; try++ {
		hold := try >= staleRetries
		e.applyMu.Lock()
		before := e.pushed
		if !hold {
			e.applyMu.Unlock()
		}
		fetchCtx, cancel := ctx, context.CancelFunc(func() {})
		if hold {
			// Pushes wait for this fetch: a stalled server must not hold
			// them (and the Text Again waiting on a push) for good.
			fetchCtx, cancel = context.WithTimeout(ctx, heldFetchTimeout)
		}
		resp, err := e.cfg.API.Sync(fetchCtx, cursor, e.cfg.PageLimit)
		cancel()
		if !hold {
			e.applyMu.Lock()
		}
		if err != nil {
			e.applyMu.Unlock()
			return api.SyncResponse{}, cache.PageResult{}, fmt.Errorf("pull after version %d: %w", cursor, err)
		}
		if e.pushed != before {
			e.applyMu.Unlock()
			continue
		}
		open := ""
		if e.cfg.OpenThread != nil && !first {
			open = e.cfg.OpenThread()
		}
		res, err := e.cfg.Cache.ApplyPageReading(ctx, resp, open, time.Now())
		e.applyMu.Unlock()
		return resp, res, err
	}
}
