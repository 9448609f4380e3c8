package match

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
)

// nameWork is the part of a screening that depends on the query's name
// alone (its text, type and parts): the prepared readings, and the listed
// names they align with acceptably, in the order screening met them. The
// date of birth, countries and identifiers are weighed afterwards
// (ScreenWith), so one nameWork serves every query of that name. It is
// never changed once made.
type nameWork struct {
	pq   *query // prepareName's: no date of birth, countries or identifiers
	hits []nameHit
}

// nameHit is an acceptable alignment of reading vi with listed name nid.
type nameHit struct {
	vi  int32
	nid uint32
	al  alignment
}

// screenName prepares q's name and aligns its readings with their
// candidate names. Every candidate that fits is aligned (ScreenWith skips
// the entities it has already found at 0.999, which depends on the other
// fields): the hits are the same whatever the query's other fields.
func (m *Matcher) screenName(q lexscreen.Query, sc *scratch) *nameWork {
	pq := m.prepareName(q)
	nw := &nameWork{pq: pq}
	if sc.aligned == nil || len(sc.aligned) > 1024 {
		sc.aligned = map[alignKey]alignment{}
	} else {
		clear(sc.aligned)
	}
	for vi, v := range pq.variants {
		for _, nid := range m.candidates(v, pq.lookups[vi], sc, candidatesFor(v)) {
			nr := m.ix.name(nid)
			er := m.ix.entity(nr.entity)
			if !schemaCompatible(pq.schema, er.ref.Schema) || !variantFits(pq.vschemas[vi], er.ref.Schema) {
				continue
			}
			// Names alike (the same person on several lists) align alike:
			// once per query variant and entity type.
			var al alignment
			rep, done := m.ix.nameRep[nid], false
			ak := alignKey{rep, vi, er.ref.Schema}
			if rep != noRep {
				al, done = sc.aligned[ak]
			}
			if !done {
				sc.ctoks = m.ix.nameToks(nr, sc.ctoks)
				al = alignNames(v, sc.ctoks, pq.joins[vi], er.ref.Schema, nr.legalText, false)
				if rep != noRep {
					sc.aligned[ak] = al
				}
			}
			if acceptable(al) {
				nw.hits = append(nw.hits, nameHit{int32(vi), nid, al})
			}
		}
	}
	return nw
}

// nameCache keeps the nameWork of names screened more than once: a
// customer book repeats its common names ("John Smith", "Global Trading
// Ltd") many times, while most of its rarer names come once. A name is
// kept the second time it is seen (a direct-mapped table of hashes
// remembers the names seen once), and the cache holds two generations of
// at most nameCacheGen names per shard: when the newer fills up, the older
// is dropped, and a name found in the older moves to the newer. It is
// safe for concurrent use.
type nameCache struct {
	once   sync.Once
	seed   maphash.Seed
	shards [nameShards]nameShard
}

type nameShard struct {
	mu       sync.Mutex
	seen     []uint64 // hashes of names seen once, by hash
	cur, old map[nameKey]*nameWork
}

// nameKey is what prepareName reads of a query (names with tagged parts
// are not kept: cacheable). Should prepareName or the name phase of
// ScreenWith come to read another field of Query, it must join the key.
type nameKey struct {
	name   string
	schema lexscreen.Schema
}

const (
	nameShards   = 16
	nameCacheGen = 1024 // names per shard and generation: 32,768 at most in all (about 17 MB)
	nameSeen     = 4096 // slots per shard of the table of names seen once
)

// cacheable reports whether q's name work may be kept: names with tagged
// parts are left out, as are names too long to be a customer's.
func cacheable(q lexscreen.Query) bool {
	return len(q.Parts) == 0 && len(q.Name) <= 200
}

func (c *nameCache) init() {
	c.once.Do(func() { c.seed = maphash.MakeSeed() })
}

func (c *nameCache) shard(k nameKey) (*nameShard, uint64) {
	c.init()
	h := maphash.String(c.seed, k.name) ^ maphash.String(c.seed, string(k.schema))
	return &c.shards[h%nameShards], h
}

// get returns the name work kept for q's name, or nil.
func (c *nameCache) get(q lexscreen.Query) *nameWork {
	if !cacheable(q) {
		return nil
	}
	k := nameKey{q.Name, q.Schema}
	s, _ := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if nw, ok := s.cur[k]; ok {
		return nw
	}
	if nw, ok := s.old[k]; ok {
		s.add(k, nw)
		return nw
	}
	return nil
}

// put keeps nw for q's name if the name was seen before.
func (c *nameCache) put(q lexscreen.Query, nw *nameWork) {
	if !cacheable(q) {
		return
	}
	k := nameKey{q.Name, q.Schema}
	s, h := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = make([]uint64, nameSeen)
	}
	if slot := &s.seen[(h/nameShards)%nameSeen]; *slot != h {
		*slot = h // the first time: remembered, not kept
		return
	}
	k.name = strings.Clone(k.name) // not the caller's buffer, which may be large
	s.add(k, nw)
}

func (s *nameShard) add(k nameKey, nw *nameWork) {
	if s.cur == nil {
		s.cur = map[nameKey]*nameWork{}
	}
	s.cur[k] = nw
	if len(s.cur) >= nameCacheGen {
		s.old, s.cur = s.cur, map[nameKey]*nameWork{}
	}
}

// kept counts the names the cache holds (for tests).
func (c *nameCache) kept() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.cur) + len(s.old)
		s.mu.Unlock()
	}
	return n
}
