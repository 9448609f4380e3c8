package match

import (
	"sync/atomic"

	"github.com/lexscreen/lexscreen/internal/binfile"
)

// An index is held one of two ways: built in memory (Builder: slices and
// maps, the fields of Index), or read in place from its encoded bytes, a
// mapped file most often (DecodeIndex: a view). The accessors below read
// either; everything but the builder reads the index through them.

// view is an index read in place: records decoded the first time they
// are asked for (and kept), lookups by binary search over sorted string
// references, lists of ids that are the file's own bytes. DecodeIndex
// checked all of it, so reading it never fails.
type view struct {
	entities records[entityRec]
	toks     records[tokInfo]
	names    records[nameRec]
	postings idLists
	vocab    keyedIDs // token text -> token id
	byID     keyedIDs // entity id -> entity index
	phon     keyedLists
	skel     keyedLists
	canon    keyedLists
	ids      keyedLists
	surnames binfile.Keys // Index.surnameWords, sorted
}

// records are variable-length records read in place, each decoded when
// first asked for and kept, up to a bound (see decodedLimit): past it, a
// sweep drops the records not asked for since the sweep before (the CLOCK
// algorithm), so a long-running server on a large index keeps the records
// its traffic uses, not every record it ever read. A dropped record is
// decoded again when next asked for; one already handed out stays valid.
type records[T any] struct {
	offs  []uint64
	recs  []byte
	rd    *binfile.Reader
	read  func(r *binfile.Reader, v *T)
	cache []atomic.Pointer[T]
	// used has a bit per record, set when it is asked for, cleared by the
	// sweep that spares it.
	used  []uint32
	live  *atomic.Int64 // records decoded and kept
	limit int64         // of live; 0: no bound
	// sweeping is set while a sweep runs; hand is where the next starts.
	sweeping *atomic.Bool
	hand     *atomic.Int64
}

// decodedLimit is how many records of each kind (entities, names, tokens)
// an index read in place keeps decoded: about 200 MB of entities at most.
// The bundled lists have fewer than this of each.
var decodedLimit int64 = 100_000

// DecodedRecords returns how many entity, name and token records an index
// read in place keeps decoded (zeros for an index built in memory).
func (ix *Index) DecodedRecords() (entities, names, tokens int64) {
	if ix.v == nil || ix.v.entities.live == nil {
		return 0, 0, 0
	}
	return ix.v.entities.live.Load(), ix.v.names.live.Load(), ix.v.toks.live.Load()
}

// SetDecodedLimit sets how many records of each kind an index decoded
// from now on keeps (0: every record it reads, for a comparison in a
// benchmark); it returns the limit before.
func SetDecodedLimit(n int64) int64 {
	old := decodedLimit
	decodedLimit = n
	return old
}

func newRecords[T any](r *binfile.Reader, read func(*binfile.Reader, *T)) records[T] {
	offs, recs := r.Records()
	if r.Err() != nil {
		return records[T]{}
	}
	n := len(offs) - 1
	return records[T]{offs: offs, recs: recs, rd: r, read: read, cache: make([]atomic.Pointer[T], n),
		used: make([]uint32, (n+31)/32), live: new(atomic.Int64), limit: decodedLimit,
		sweeping: new(atomic.Bool), hand: new(atomic.Int64)}
}

func (rs *records[T]) len() int { return len(rs.cache) }

// bytes returns record i's bytes.
func (rs *records[T]) bytes(i int) []byte { return rs.recs[rs.offs[i]:rs.offs[i+1]] }

// at returns record i, decoded now or before. Concurrent callers may
// decode it twice; all get the one kept.
func (rs *records[T]) at(i uint32) *T {
	c := &rs.cache[i]
	if p := c.Load(); p != nil {
		// Uses are marked once the cache is half full: below that no sweep
		// is near, and an index within the bound pays nothing for it.
		if rs.limit > 0 && rs.live.Load() > rs.limit/2 {
			rs.touch(i)
		}
		return p
	}
	v := new(T)
	rs.read(rs.rd.Record(rs.bytes(int(i))), v)
	if !c.CompareAndSwap(nil, v) {
		if p := c.Load(); p != nil {
			return p
		}
		return v // dropped meanwhile by a sweep: this one serves
	}
	if rs.limit > 0 {
		rs.touch(i)
		if rs.live.Add(1) > rs.limit && rs.sweeping.CompareAndSwap(false, true) {
			// The caller that crossed the limit sweeps (a few ms at
			// most), so the bound holds however fast records decode.
			rs.sweep()
		}
	}
	return v
}

// touch marks record i as asked for since the last sweep.
func (rs *records[T]) touch(i uint32) {
	w, bit := &rs.used[i/32], uint32(1)<<(i%32)
	if atomic.LoadUint32(w)&bit == 0 {
		atomic.OrUint32(w, bit)
	}
}

// sweep drops records until a tenth of the limit is free: going round from
// where the last sweep stopped, a record asked for since is spared (its
// bit cleared), one that was not is dropped.
func (rs *records[T]) sweep() {
	defer rs.sweeping.Store(false)
	target := rs.limit - rs.limit/10
	n := int64(len(rs.cache))
	h := rs.hand.Load()
	for steps := int64(0); rs.live.Load() > target && steps < 2*n; steps++ {
		i := uint32(h)
		if h++; h == n {
			h = 0
		}
		c := &rs.cache[i]
		if c.Load() == nil {
			continue
		}
		w, bit := &rs.used[i/32], uint32(1)<<(i%32)
		if atomic.LoadUint32(w)&bit != 0 {
			atomic.AndUint32(w, ^bit)
			continue
		}
		if c.Swap(nil) != nil {
			rs.live.Add(-1)
		}
	}
	rs.hand.Store(h)
}

// idLists are lists of ids read in place: list i is flat[offs[i]:offs[i+1]].
type idLists struct {
	offs, flat []uint32
}

func (l idLists) at(i int) []uint32 {
	a, b := l.offs[i], l.offs[i+1]
	if a == b {
		return nil
	}
	return l.flat[a:b:b]
}

// keyedIDs map sorted strings to one id each.
type keyedIDs struct {
	keys binfile.Keys
	ids  []uint32
}

func (k keyedIDs) get(key string) (uint32, bool) {
	if i, ok := k.keys.Find(key); ok {
		return k.ids[i], true
	}
	return 0, false
}

// keyedLists map sorted strings to lists of ids.
type keyedLists struct {
	keys  binfile.Keys
	lists idLists
}

func (k keyedLists) get(key string) []uint32 {
	if i, ok := k.keys.Find(key); ok {
		return k.lists.at(i)
	}
	return nil
}

// entity returns entity record i.
func (ix *Index) entity(i uint32) *entityRec {
	if ix.v != nil {
		return ix.v.entities.at(i)
	}
	return &ix.entities[i]
}

// name returns name record i.
func (ix *Index) name(i uint32) *nameRec {
	if ix.v != nil {
		return ix.v.names.at(i)
	}
	return &ix.names[i]
}

// tok returns token i.
func (ix *Index) tok(i uint32) *tokInfo {
	if ix.v != nil {
		return ix.v.toks.at(i)
	}
	return &ix.toks[i]
}

func (ix *Index) numEntities() int {
	if ix.v != nil {
		return ix.v.entities.len()
	}
	return len(ix.entities)
}

func (ix *Index) numNames() int {
	if ix.v != nil {
		return ix.v.names.len()
	}
	return len(ix.names)
}

// tokID returns the id of a folded token of the vocabulary.
func (ix *Index) tokID(text string) (uint32, bool) {
	if ix.v != nil {
		return ix.v.vocab.get(text)
	}
	id, ok := ix.vocab[text]
	return id, ok
}

// posting returns the ids of the names that have token id, ascending.
func (ix *Index) posting(id uint32) []uint32 {
	if ix.v != nil {
		return ix.v.postings.at(int(id))
	}
	return ix.postings[id]
}

// phonToks returns the ids of the tokens of a phonetic key.
func (ix *Index) phonToks(key string) []uint32 {
	if ix.v != nil {
		return ix.v.phon.get(key)
	}
	return ix.phon[key]
}

// skelToks returns the ids of the tokens of a consonant skeleton.
func (ix *Index) skelToks(key string) []uint32 {
	if ix.v != nil {
		return ix.v.skel.get(key)
	}
	return ix.skel[key]
}

// canonToks returns the ids of the tokens spelt otherwise than their
// transliteration-canonical spelling key.
func (ix *Index) canonToks(key string) []uint32 {
	if ix.v != nil {
		return ix.v.canon.get(key)
	}
	return ix.canon[key]
}

// idEntities returns the entities that have a normalised identifier.
func (ix *Index) idEntities(id string) []uint32 {
	if ix.v != nil {
		return ix.v.ids.get(id)
	}
	return ix.ids[id]
}

// entityIndex returns the index of an entity by its id.
func (ix *Index) entityIndex(id string) (uint32, bool) {
	if ix.v != nil {
		return ix.v.byID.get(id)
	}
	i, ok := ix.byID[id]
	return i, ok
}

// surnameWord reports whether a word is one of the surnames the index
// learnt (surnameWords).
func (ix *Index) surnameWord(w string) bool {
	if ix.v != nil {
		_, ok := ix.v.surnames.Find(w)
		return ok
	}
	return ix.surnameWords[w]
}
