package store

// Durable returns once every transaction committed before the call is on
// the disk, or the fsync's error. The writer runs with
// synchronous=NORMAL, whose commits a power cut can undo (package
// walsync). For most of them that would be a lost moment of work; for a
// text about to go out it would be a text sent twice, since the record
// that it is sending would vanish while the provider kept the call, and
// for a change the server answered "applied" a change lost after its app
// dropped it. So the dispatcher asks for Durable before each provider
// call, and the group commit before it answers a group (server's
// groupcommit_durable.go): one fsync of the WAL serves every caller
// waiting when it starts, and the writer waits for none.
func (s *SQLite) Durable() error { return s.durable.Sync() }
