package server

import "github.com/textbank/textbank/backend/server/store"

// durable is a store whose commits can sit in the operating system's
// cache when they return (SQLite's synchronous=NORMAL): Durable puts them
// on the disk.
type durable interface{ Durable() error }

// makeDurable passes texts from jobs to the workers (ready) once the
// record that each is sending is on the disk, so that a power cut after
// the provider took a text cannot undo that record and have the restart
// send it again (store.SQLite.Durable). Every text waiting when a sync
// starts goes through on that one sync, and the workers never wait for
// one: a wait inside each worker's slot cut the dispatcher's pace to
// its workers over a disk sync, below the sends' (PERFORMANCE-LOG.md,
// "Durable before the call"). A sync that fails leaves its texts
// sending, as a crash would, for the next start to look up. It closes
// ready when jobs closes.
func (s *Server) makeDurable(jobs <-chan store.Outgoing, ready chan<- store.Outgoing, results chan<- outcome) {
	defer close(ready)
	d, ok := s.store.(durable)
	var batch []store.Outgoing
	for o := range jobs {
		if !ok {
			ready <- o
			continue
		}
		batch = append(batch[:0], o)
	more:
		for {
			select {
			case o, open := <-jobs:
				if !open {
					break more
				}
				batch = append(batch, o)
			default:
				break more
			}
		}
		if err := d.Durable(); err != nil {
			s.log.Error().Err(err).Int("texts", len(batch)).Msg("dispatcher: the texts' records could not be put on the disk; not sent, left for the next start")
			for _, o := range batch {
				results <- outcome{o: o}
			}
			continue
		}
		for _, o := range batch {
			ready <- o
		}
	}
}
