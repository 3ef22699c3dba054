package loadtest

import (
	"context"
	"fmt"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// countUnasked counts the texts the network got that no volunteer was
// told were accepted: each once as unaccepted, and each copy beyond the
// first as duplicated as well. A text sent unasked and sent twice is both;
// counted as unaccepted alone, the run failed while its summary read
// duplicated=0. ours, if not nil, holds the keys that are this run's to
// count.
func countUnasked(rep *Report, got map[string]int, isAccepted, ours map[string]bool) {
	for key, n := range got {
		if isAccepted[key] || (ours != nil && !ours[key]) {
			continue
		}
		rep.Unaccepted++
		rep.Duplicated += n - 1
	}
}

// countTargetUnasked counts, as countUnasked does, the texts the target's
// network got that no volunteer was told were accepted, among the lines
// written since the run began (fresh) whose texts are the run's own
// action's. The target's journal holds every text it ever sent (earlier
// runs', a demo's, its organizers'), which are not this run's to count.
func (e *env) countTargetUnasked(ctx context.Context, rep *Report, got map[string]int, fresh []simnet.JournalEntry, isAccepted map[string]bool) error {
	var keys []string
	seen := map[string]bool{}
	for _, j := range fresh {
		if !isAccepted[j.Key] && !seen[j.Key] {
			seen[j.Key] = true
			keys = append(keys, j.Key)
		}
	}
	ours := map[string]bool{}
	err := e.st.View(ctx, func(tx store.Tx) error {
		for i := 0; i < len(keys); i += 500 {
			msgs, err := tx.MessagesByIDs(ctx, keys[i:min(i+500, len(keys))])
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(msgs))
			for _, m := range msgs {
				ids = append(ids, m.ThreadID)
			}
			threads, err := tx.ThreadsByIDs(ctx, ids)
			if err != nil {
				return err
			}
			for k, m := range msgs {
				if th, ok := threads[m.ThreadID]; ok && th.ActionID == e.action {
					ours[k] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the texts the target sent unasked: %w", err)
	}
	countUnasked(rep, got, isAccepted, ours)
	return nil
}
