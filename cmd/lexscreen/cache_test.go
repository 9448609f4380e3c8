package main

import (
	"sync"
)

// testCache shares what in-process runs load again and again: Screeners
// between runs on the same snapshots of the same store (each test has its
// own data directory, so only the runs of one test share), the listings'
// fingerprints of full monitoring runs between copies of one store. Tests
// run in parallel: a value is loaded once per key, by the first run that
// asks, while the others wait for it; different keys load at the same
// time. It keeps the newest few (an index of the bundled lists is some
// 150 MB).
type testCache[T any] struct {
	mu      sync.Mutex
	keep    int
	entries []*cacheEntry[T] // oldest first
}

// cacheEntry is one key's value, ready when done is closed.
type cacheEntry[T any] struct {
	key  string
	done chan struct{}
	s    T
	err  error
}

func newTestCache[T any](keep int) *testCache[T] { return &testCache[T]{keep: keep} }

// get returns the value of key, calling load when there is none yet.
// A failed load is not kept: the next run tries again.
func (c *testCache[T]) get(key string, load func() (T, error)) (T, error) {
	c.mu.Lock()
	for _, e := range c.entries {
		if e.key == key {
			c.mu.Unlock()
			<-e.done
			return e.s, e.err
		}
	}
	e := &cacheEntry[T]{key: key, done: make(chan struct{})}
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
