package match

import (
	"maps"
	"slices"
	"unicode"

	"github.com/lexscreen/lexscreen/names"
)

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

// A block of Builder.tokArena holds tokArenaMin name tokens (a Builder of
// one entity stays small), each next one twice as many up to tokArenaMax.
const (
	tokArenaMin = 64
	tokArenaMax = 4096
)

// nameToks returns an empty slice with room for the tokens of a name that
// are neither titles nor legal forms, cut from a block shared with other
// names (one allocation for thousands of names). nil when there are none.
func (b *Builder) nameToks(toks []names.Token) []nameTok {
	n := 0
	for _, t := range toks {
		if t.Kind != names.Title && t.Kind != names.LegalForm {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if cap(b.tokArena)-len(b.tokArena) < n {
		size := tokArenaMin
		if cap(b.tokArena) > 0 {
			size = min(2*cap(b.tokArena), tokArenaMax)
		}
		b.tokArena = make([]nameTok, 0, max(size, n))
	}
	at := len(b.tokArena)
	b.tokArena = b.tokArena[:at+n]
	return b.tokArena[at : at : at+n]
}

// countFields returns len(strings.Fields(s)) without making the fields.
func countFields(s string) int {
	n, inField := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inField = false
		} else if !inField {
			inField = true
			n++
		}
	}
	return n
}

// Grow makes room in the builder for about n more entities (a store knows
// how many a snapshot holds), so that its tables are made about once
// rather than grown again and again. The index built is the same either
// way. The sizes are those of the bundled lists, per entity: 3.05 names,
// 4.84 distinct tokens, 0.74 phonetic keys, 0.54 skeletons and 0.63
// canonical spellings; the vocabulary of a large corpus grows more slowly
// than its entities, so the tokens' room is capped.
func (b *Builder) Grow(n int) {
	if n <= 0 {
		return
	}
	ix := b.ix
	toks := min(5*n, growTokensMax)
	ix.entities = slices.Grow(ix.entities, n)
	ix.names = slices.Grow(ix.names, 3*n+n/8)
	ix.toks = slices.Grow(ix.toks, toks)
	ix.postings = slices.Grow(ix.postings, toks)
	ix.vocab = grownMap(ix.vocab, toks)
	ix.phon = grownMap(ix.phon, min(3*n/4, toks))
	ix.skel = grownMap(ix.skel, min(n/2, toks))
	ix.canon = grownMap(ix.canon, min(2*n/3, toks))
}

// growTokensMax caps the distinct tokens Grow makes room for (about 60 MB
// of them).
const growTokensMax = 1 << 19

// grownMap returns m, or a copy of m with room for n more entries.
func grownMap[V any](m map[string]V, n int) map[string]V {
	if n <= 0 {
		return m
	}
	out := make(map[string]V, len(m)+n)
	maps.Copy(out, m)
	return out
}
