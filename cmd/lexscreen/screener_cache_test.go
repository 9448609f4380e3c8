package main

import (
	"sync"

	"github.com/lexscreen/lexscreen/screening"
)

// testScreenerCache shares Screeners between in-process runs on the same
// snapshots of the same store (each test has its own data directory, so
// only the runs of one test share). Tests run in parallel: a Screener is
// built once per key, by the first run that asks, while the others wait
// for it; different keys build at the same time. It keeps the newest few
// (an index of the bundled lists is some 150 MB).
type testScreenerCache struct {
	mu      sync.Mutex
	keep    int
	entries []*screenerEntry // oldest first
}

// screenerEntry is one key's Screener, ready when done is closed.
type screenerEntry struct {
	key  string
	done chan struct{}
	s    *screening.Screener
	err  error
}

func newScreenerCache(keep int) *testScreenerCache { return &testScreenerCache{keep: keep} }

// get returns the Screener of key, calling load when there is none yet.
// A failed load is not kept: the next run tries again.
func (c *testScreenerCache) get(key string, load func() (*screening.Screener, error)) (*screening.Screener, error) {
	c.mu.Lock()
	for _, e := range c.entries {
		if e.key == key {
			c.mu.Unlock()
			<-e.done
			return e.s, e.err
		}
	}
	e := &screenerEntry{key: key, done: make(chan struct{})}
	c.entries = append(c.entries, e)
	if len(c.entries) > c.keep {
		c.entries = c.entries[len(c.entries)-c.keep:]
	}
	c.mu.Unlock()

	e.s, e.err = load()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		for i, x := range c.entries {
			if x == e {
				c.entries = append(c.entries[:i], c.entries[i+1:]...)
				break
			}
		}
		c.mu.Unlock()
	}
	return e.s, e.err
}
