package match

import "slices"

// What the Builder keeps while it reads entities, kept so that building
// the index of every list (28,825 entities, 1.5 million deletion pairs)
// copies and allocates little. None of it changes the index built.

// The deletion pairs are kept in blocks: the first of delBlockMin pairs
// (a Builder of one entity, for ExplainPair, stays small), each next one
// twice as large up to delBlockMax.
const (
	delBlockMin = 256
	delBlockMax = 1 << 15
)

// addDel keeps the deletion pair (h, id).
func (b *Builder) addDel(h uint64, id uint32) {
	n := len(b.dels)
	if n == 0 || len(b.dels[n-1]) == cap(b.dels[n-1]) {
		size := delBlockMin
		if n > 0 {
			size = min(2*cap(b.dels[n-1]), delBlockMax)
		}
		b.dels = append(b.dels, make([]delPair, 0, size))
		n++
	}
	b.dels[n-1] = append(b.dels[n-1], delPair{h, id})
}

// sortedDels returns the deletion pairs sorted by hash and id, each pair
// once, as the hashes and the ids (Index.delKeys, Index.delIDs), and lets
// go of the blocks. The pairs are put in their bucket (h >> delShift) by
// a counting sort, then each bucket's few pairs are sorted.
func (b *Builder) sortedDels() (keys []uint64, ids []uint32) {
	starts := make([]int, 1<<(64-delShift)+1)
	for _, blk := range b.dels {
		for _, d := range blk {
			starts[d.h>>delShift+1]++
		}
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	total := starts[len(starts)-1]
	keys, ids = make([]uint64, total), make([]uint32, total)
	next := slices.Clone(starts[:len(starts)-1])
	for _, blk := range b.dels {
		for _, d := range blk {
			at := next[d.h>>delShift]
			keys[at], ids[at] = d.h, d.id
			next[d.h>>delShift]++
		}
	}
	b.dels = nil
	var tmp []delPair
	for i := 0; i+1 < len(starts); i++ {
		tmp = sortDelBucket(keys[starts[i]:starts[i+1]], ids[starts[i]:starts[i+1]], tmp)
	}
	// Each pair once (a token may give one variant twice).
	w := 0
	for i := range keys {
		if w > 0 && keys[i] == keys[w-1] && ids[i] == ids[w-1] {
			continue
		}
		keys[w], ids[w] = keys[i], ids[i]
		w++
	}
	return keys[:w], ids[:w]
}

// sortDelBucket sorts the pairs (keys[i], ids[i]) of one bucket by hash,
// then id: in place when they are few (about 24 with the bundled lists),
// through tmp (returned for reuse) when they are many.
func sortDelBucket(keys []uint64, ids []uint32, tmp []delPair) []delPair {
	if len(keys) <= 32 {
		for i := 1; i < len(keys); i++ {
			k, id := keys[i], ids[i]
			j := i
			for ; j > 0 && (keys[j-1] > k || keys[j-1] == k && ids[j-1] > id); j-- {
				keys[j], ids[j] = keys[j-1], ids[j-1]
			}
			keys[j], ids[j] = k, id
		}
		return tmp
	}
	tmp = tmp[:0]
	for i := range keys {
		tmp = append(tmp, delPair{keys[i], ids[i]})
	}
	slices.SortFunc(tmp, func(a, c delPair) int {
		if a.h != c.h {
			if a.h < c.h {
				return -1
			}
			return 1
		}
		if a.id != c.id {
			if a.id < c.id {
				return -1
			}
			return 1
		}
		return 0
	})
	for i, d := range tmp {
		keys[i], ids[i] = d.h, d.id
	}
	return tmp
}

// joinedToken returns the id of the token that joins two neighbouring
// words of a name ("abu" "bakr": "abubakr"), adding it to the vocabulary
// (without fuzzy entries) when new. The joined text is built in a buffer
// and allocated only for a new token.
func (b *Builder) joinedToken(a, c string) uint32 {
	b.joinBuf = append(append(b.joinBuf[:0], a...), c...)
	if id, ok := b.ix.vocab[string(b.joinBuf)]; ok {
		return id
	}
	return b.token(string(b.joinBuf), false)
}
