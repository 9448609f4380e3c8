package workspace

import (
	"sync"
	"time"
)

// The verdicts of FoundScreening's precheck, kept: the same names are
// screened all day, and reading the pair's suppression and latest alert
// from the database (two queries a match, on a pool the writer shares)
// cost as much CPU as the screening. A verdict ("suppressed", or "the
// latest alert of the pair is N with these fingerprints") can only be
// changed by a commit that inserts an alert of the pair or a suppression
// of the pair's fingerprints: such commits touch their keys
// (change.touchPair, change.touchSuppression), and a verdict read before
// a touch of its keys is not used. Writers outside this Store (another
// process, SQL by hand) are not seen: a verdict is used for verdictTTL at
// most. Either way a stale verdict can only report a pair as seen again
// on an alert that exists with the same fingerprints; it never hides a
// pair that has no alert.

// verdictTTL bounds how long a verdict is used without reading it again.
const verdictTTL = time.Second

// verdictCacheMax bounds the verdicts and touches kept: past it, they
// start again empty.
const verdictCacheMax = 1 << 16

type pairKey struct{ subjectID, entityID string }

type suppressionKey struct{ subjectFP, entityID, entityFP string }

type verdictKey struct {
	pair pairKey
	sup  suppressionKey // subject and listing fingerprints of the screening
}

// verdict is what a match of the key does: suppressed, or seen again on
// alert (the pair's latest, with the same fingerprints).
type verdict struct {
	suppressed bool
	alert      int64
	gen        uint64    // the generation before it was read
	read       time.Time // when it was read
}

// verdictCache holds verdicts and the generations at which keys were last
// touched.
type verdictCache struct {
	mu         sync.Mutex
	gen        uint64 // bumped by every touch
	floor      uint64 // verdicts read before it are not used
	verdicts   map[verdictKey]verdict
	pairs      map[pairKey]uint64
	suppressed map[suppressionKey]uint64
}

// generation is the generation to read a verdict at: call it before the
// read.
func (c *verdictCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns k's verdict if no touch of its keys came after it was read.
func (c *verdictCache) get(k verdictKey, now time.Time) (verdict, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.verdicts[k]
	if !ok || v.gen < c.floor || c.pairs[k.pair] > v.gen || c.suppressed[k.sup] > v.gen || now.Sub(v.read) >= verdictTTL || now.Before(v.read) {
		return verdict{}, false
	}
	return v, true
}

// put keeps v, read at generation v.gen.
func (c *verdictCache) put(k verdictKey, v verdict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.verdicts == nil || len(c.verdicts) >= verdictCacheMax {
		c.verdicts = map[verdictKey]verdict{}
	}
	c.verdicts[k] = v
}

// touch notes that a commit (done, failed or in doubt) may have changed
// the verdicts of these keys.
func (c *verdictCache) touch(pairs []pairKey, sups []suppressionKey) {
	if len(pairs) == 0 && len(sups) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if len(c.pairs)+len(c.suppressed) >= verdictCacheMax {
		// Forget the touches, and every verdict read before now.
		c.pairs, c.suppressed, c.floor = nil, nil, c.gen
	}
	if c.pairs == nil {
		c.pairs, c.suppressed = map[pairKey]uint64{}, map[suppressionKey]uint64{}
	}
	for _, p := range pairs {
		c.pairs[p] = c.gen
	}
	for _, s := range sups {
		c.suppressed[s] = c.gen
	}
}

// touchPair notes that the change inserts an alert of the pair.
func (c *change) touchPair(subjectID, entityID string) {
	c.pairs = append(c.pairs, pairKey{subjectID, entityID})
}

// touchSuppression notes that the change inserts a suppression.
func (c *change) touchSuppression(subjectFP, entityID, entityFP string) {
	c.sups = append(c.sups, suppressionKey{subjectFP, entityID, entityFP})
}
