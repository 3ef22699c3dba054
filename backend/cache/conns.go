package cache

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// A cache file is deleted (Wipe: a sign-out, another account signing in)
// or replaced (KeepOnlyWaiting: an ended sign-in) right after Close.
// database/sql's Close closes only the idle connections: one in use (a
// window's read under way, the search index's refresh) closes when it is
// given back, later. Linux deletes a file that is open; Windows refuses
// to delete, or rename over, a file any handle holds open, so there the
// wipe failed and the old file, contacts and all, stayed, to be opened
// again as the new cache. So Close waits until the last connection has
// closed the file (openConns), and only then are the files touched.

// openConns counts a pool's open connections.
type openConns struct {
	mu   sync.Mutex
	n    int
	none *sync.Cond // n reached 0
	// waiting, for tests (WindowsFiles), runs when Close starts to wait
	// for connections still in use.
	waiting func()
}

func newOpenConns() *openConns {
	o := &openConns{}
	o.none = sync.NewCond(&o.mu)
	return o
}

func (o *openConns) opened() {
	o.mu.Lock()
	o.n++
	o.mu.Unlock()
}

func (o *openConns) closed() {
	o.mu.Lock()
	o.n--
	if o.n == 0 {
		o.none.Broadcast()
	}
	o.mu.Unlock()
}

// open is how many connections are open now.
func (o *openConns) open() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

// closeWait bounds how long Close waits for a read under way: a read
// that never ends (a bug: rows left open) must not hang the app's quit or
// a sign-out for good; the file is then left as it is and the delete that
// follows says why.
var closeWait = 10 * time.Second

// wait returns once every connection is closed, or with an error after
// limit; the pool is closed, so no new one opens meanwhile.
func (o *openConns) wait(limit time.Duration) error {
	o.mu.Lock()
	busy, waiting := o.n > 0, o.waiting
	o.mu.Unlock()
	if !busy {
		return nil
	}
	if waiting != nil {
		waiting()
	}
	done := make(chan struct{})
	go func() {
		o.mu.Lock()
		for o.n > 0 {
			o.none.Wait()
		}
		o.mu.Unlock()
		close(done)
	}()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-t.C:
		return fmt.Errorf("close cache: %d connections still open after %s", o.open(), limit)
	}
}

// countedConn is a connection that tells openConns when it closes. It
// embeds the driver's own, so database/sql still finds every optional
// interface (ConnBeginTx, QueryerContext...) the driver implements.
type countedConn struct {
	*sqlite3.SQLiteConn
	once  sync.Once
	conns *openConns
}

func (c *countedConn) Close() error {
	err := c.SQLiteConn.Close()
	c.once.Do(c.conns.closed)
	return err
}

// countingConnector opens connections counted in conns.
type countingConnector struct {
	connector
	conns *openConns
}

func (m countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := m.connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(*sqlite3.SQLiteConn)
	if !ok {
		_ = dc.Close()
		return nil, fmt.Errorf("open cache connection: unexpected driver connection %T", dc)
	}
	m.conns.opened()
	return &countedConn{SQLiteConn: sc, conns: m.conns}, nil
}
