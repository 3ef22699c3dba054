package server

import "fmt"

// answerDurable gives each of batch, updates a group committed, its
// answer once the commit is on the disk. SQLite commits with
// synchronous=NORMAL: a commit returns with its frames in the operating
// system's cache, and a power cut could undo a send, a report or an
// archive the server had answered "applied", after its app dropped it
// from its outbox. One sync of the WAL serves the whole group, and every
// group committed while it runs shares the next (store.SQLite.Durable);
// it runs beside the writer, which goes on to the next group meanwhile,
// so the writer never waits for the disk, only the answers do
// (PERFORMANCE-LOG.md, "Applied is on the disk"). A store that commits
// durably (PostgreSQL) answers at once. A sync that fails answers an
// error: the change may be lost, and the caller's retry finds it applied
// or applies it again (a mutation's id, a provider's message id).
func (s *Server) answerDurable(batch []*writeReq) {
	if len(batch) == 0 {
		return
	}
	d, ok := s.store.(durable)
	if !ok {
		for _, r := range batch {
			r.done <- nil
		}
		return
	}
	go func() {
		err := d.Durable()
		if err != nil {
			s.log.Error().Err(err).Int("writes", len(batch)).Msg("committed writes could not be put on the disk; answered with an error")
			err = fmt.Errorf("put the change on the disk: %w", err)
		}
		for _, r := range batch {
			r.done <- err
		}
	}()
}
