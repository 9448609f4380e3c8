package workspace

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"

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
}{m: map[listingKey]cachedListing{}}

// listingReads lets the screenings that want a listing while it is being
// read wait for that read instead of reading it too: a server's first
// second sends hundreds of screenings of the same few names, each of which
// read every listing it matched.
var listingReads singleflight.Group

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
	listingCache.Unlock()
	if ok {
		return c.entity, c.fp, nil
	}
	// The read is shared: it does not end with the context of the
	// screening that began it.
	v, err, _ := listingReads.Do(fmt.Sprintf("%p %d %s", db, snap, id), func() (any, error) {
		return readOne(context.WithoutCancel(ctx), lr, k)
	})
	if err != nil {
		return nil, "", err
	}
	c = v.(cachedListing)
	return c.entity, c.fp, nil
}

// readOne reads the listing k from the store and keeps it, unless a read
// that ended since the caller looked in the cache kept it already.
func readOne(ctx context.Context, lr ListingReader, k listingKey) (cachedListing, error) {
	listingCache.Lock()
	c, ok := listingCache.m[k]
	listingCache.Unlock()
	if ok {
		return c, nil
	}
	e, err := lr.Entity(ctx, k.id, k.snap)
	if err != nil {
		return cachedListing{}, err
	}
	c = cachedListing{entity: e, fp: lexscreen.EntityFingerprint(e)}
	listingCache.Lock()
	defer listingCache.Unlock()
	if len(listingCache.m) >= listingCacheMax {
		clear(listingCache.m)
	}
	listingCache.m[k] = c
	return c, nil
}
