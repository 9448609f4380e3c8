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

// records are variable-length records read in place, each decoded once,
// when first asked for.
type records[T any] struct {
	offs  []uint64
	recs  []byte
	rd    *binfile.Reader
	read  func(r *binfile.Reader, v *T)
	cache []atomic.Pointer[T]
}

func newRecords[T any](r *binfile.Reader, read func(*binfile.Reader, *T)) records[T] {
	offs, recs := r.Records()
	if r.Err() != nil {
		return records[T]{}
	}
	return records[T]{offs: offs, recs: recs, rd: r, read: read, cache: make([]atomic.Pointer[T], len(offs)-1)}
}

func (rs *records[T]) len() int { return len(rs.cache) }

// bytes returns record i's bytes.
func (rs *records[T]) bytes(i int) []byte { return rs.recs[rs.offs[i]:rs.offs[i+1]] }

// at returns record i, decoded now or before. Concurrent callers may
// decode it twice; all get the one kept.
func (rs *records[T]) at(i uint32) *T {
	c := &rs.cache[i]
	if p := c.Load(); p != nil {
		return p
	}
	v := new(T)
	rs.read(rs.rd.Record(rs.bytes(int(i))), v)
	if c.CompareAndSwap(nil, v) {
		return v
	}
	return c.Load()
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
