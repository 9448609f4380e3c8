package workspace

import (
	"context"
	"errors"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store"
)

// A snapshot never changes once stored, so a listing read from it (and its
// fingerprint) can be kept: a screening that opens or finds alerts reads
// the same few listings again and again (the same names are screened all
// day), and decoding them from the store cost more than the screening.

type listingKey struct {
	db   store.Store // the store: snapshot ids are per store
	id   string
	snap int64
}

type cachedListing struct {
	entity *lexscreen.Entity // shared: never modified
	fp     string
}

// listingCacheMax bounds the cache: past it, it starts again empty.
const listingCacheMax = 8192

var listingCache = struct {
	sync.Mutex
	m map[listingKey]cachedListing
	// reading are the listings being read now: the screenings that want
	// one meanwhile wait for that read instead of reading it too (a
	// server's first second sends hundreds of screenings of the same few
	// names, each of which read every listing it matched).
	reading map[listingKey]*listingRead
}{m: map[listingKey]cachedListing{}, reading: map[listingKey]*listingRead{}}

// listingRead is one read of a listing, shared by those who wait for it.
type listingRead struct {
	done chan struct{} // closed when c and err are set
	c    cachedListing
	err  error
}

// readListing is lr.Entity(id, snap) and its fingerprint, kept once read.
// The entity returned is shared: callers must not modify it.
// Only a list store's (store.Store) listings are kept (other readers, e.g. tests'
// maps, are read each time).
func readListing(ctx context.Context, lr ListingReader, id string, snap int64) (*lexscreen.Entity, string, error) {
	db, ok := lr.(store.Store)
	if !ok || db == nil {
		e, err := lr.Entity(ctx, id, snap)
		if err != nil {
			return nil, "", err
		}
		return e, lexscreen.EntityFingerprint(e), nil
	}
	k := listingKey{db, id, snap}
	listingCache.Lock()
	c, ok := listingCache.m[k]
	r := listingCache.reading[k]
	if !ok && r == nil {
		r = &listingRead{done: make(chan struct{}), err: errUnfinished}
		listingCache.reading[k] = r
		listingCache.Unlock()
		defer close(r.done) // even if the read panics: the waiters then read
		c, err := readOne(ctx, lr, k, r)
		r.c, r.err = c, err
		return c.entity, c.fp, err
	}
	listingCache.Unlock()
	if ok {
		return c.entity, c.fp, nil
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	if r.err != nil { // that read's failure (its context ended?): read again
		c, err := readOne(ctx, lr, k, nil)
		return c.entity, c.fp, err
	}
	return r.c.entity, r.c.fp, nil
}

// errUnfinished is the error of a shared read that ended without one (it
// panicked).
var errUnfinished = errors.New("the read of the listing did not finish")

// readOne reads the listing k from the store, keeps it and, when r is
// set, ends r in listingCache.reading.
func readOne(ctx context.Context, lr ListingReader, k listingKey, r *listingRead) (cachedListing, error) {
	e, err := lr.Entity(ctx, k.id, k.snap)
	var c cachedListing
	if err == nil {
		c = cachedListing{entity: e, fp: lexscreen.EntityFingerprint(e)}
	}
	listingCache.Lock()
	defer listingCache.Unlock()
	if r != nil && listingCache.reading[k] == r {
		delete(listingCache.reading, k)
	}
	if err != nil {
		return c, err
	}
	if len(listingCache.m) >= listingCacheMax {
		clear(listingCache.m)
	}
	listingCache.m[k] = c
	return c, nil
}
