package server

import (
	"context"
	"time"
)

// grownAnalyzer is a store whose prepared statements keep plans made for
// the sizes its tables had (PostgreSQL): AnalyzeGrown analyzes the tables
// that outgrew them, so that their statements are planned again, and names
// them.
type grownAnalyzer interface {
	AnalyzeGrown(ctx context.Context) ([]string, error)
}

// analyzeEvery spaces the looks for grown tables. The statistics views
// lag behind the writes: a busy connection reports its counts about every
// second, one that falls idle just after a write up to 10 s later.
const analyzeEvery = time.Second

// RunAnalyzer keeps a grownAnalyzer's plans made for its tables' sizes
// until ctx ends; on another store it returns at once.
func (s *Server) RunAnalyzer(ctx context.Context) {
	a, ok := s.store.(grownAnalyzer)
	if !ok {
		return
	}
	t := time.NewTicker(analyzeEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		names, err := a.AnalyzeGrown(ctx)
		if err != nil && ctx.Err() == nil {
			// A database that is down fails every look: warn at the first.
			ev := s.log.Debug()
			if !failing {
				ev = s.log.Warn()
			}
			ev.Err(err).Msg("analyze grown tables")
		}
		failing = err != nil
		if len(names) > 0 {
			s.log.Debug().Strs("tables", names).Msg("analyzed grown tables")
		}
	}
}
