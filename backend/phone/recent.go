package phone

import "sync"

// recent remembers answers for the numbers asked about lately, up to max
// of them; when full it starts over, so the numbers kept are those asked
// about since (the batches being texted, the inbox pages on screen). A
// plain map under a lock: the answers are cheap to make again, and an
// LRU's bookkeeping would cost about what it saves.
type recent[V any] struct {
	max int
	mu  sync.Mutex
	m   map[string]V
}

func (c *recent[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *recent[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = make(map[string]V, min(c.max, 1024))
	}
	c.m[key] = v
}
