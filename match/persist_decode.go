package match

import (
	"math"
	"unsafe"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/names"
)

// DecodeIndex reads an index Encode wrote, with the given list versions,
// in place: its arrays are r's bytes (a mapped file's pages, read when
// touched), and its entity, name and token records are decoded one by
// one when a screening first reads them. It checks every record and
// every reference between the parts of the index (a name's entity, a
// posting's name, a token id, the order of the sorted tables) first,
// without keeping what it decodes, and fails, returning no index, on any
// that does not hold: a screening never reads past the index. What
// follows the index in r is left unread.
func DecodeIndex(r *binfile.Reader, lists []lexscreen.ListVersion) (*Index, error) {
	ix := &Index{lists: lists, v: &view{}}
	v := ix.v
	ix.seed = delSeed(r.Uvarint())
	ix.canonSeed = delSeed(r.Uvarint())
	v.entities = newRecords(r, decodeEntity)
	v.toks = newRecords(r, decodeTok)
	v.names = newRecords(r, decodeName)
	ix.nameLen = r.Uint16s()
	ix.nameRep = r.Uint32s()
	v.postings = readLists(r, v.toks.len(), v.names.len())
	v.vocab = readIDs(r, v.toks.len())
	v.byID = readIDs(r, v.entities.len())
	v.phon = readKeyedLists(r, v.toks.len())
	v.skel = readKeyedLists(r, v.toks.len())
	v.canon = readKeyedLists(r, v.toks.len())
	v.ids = readKeyedLists(r, v.entities.len())
	ix.delKeys = r.Uint64s()
	ix.delIDs = r.Uint32s()
	ix.delBucket = r.Uint32s()
	ix.delFilter = r.Uint64s()
	v.surnames = r.Keys()
	if err := r.Err(); err != nil {
		return nil, err
	}
	ix.checkRecords(r)
	if err := r.Err(); err != nil {
		return nil, err
	}
	ix.check(r)
	if err := r.Err(); err != nil {
		return nil, err
	}
	r.ReleaseStrings()
	return ix, nil
}

// checkRecords fails r unless every entity, token and name record reads
// whole, with its references in range (nothing decoded is kept).
func (ix *Index) checkRecords(r *binfile.Reader) {
	v := ix.v
	rr := r.Record(nil)
	// The pages of what was checked are let go of as the check goes (a
	// million entities' records are hundreds of megabytes).
	const releaseEvery = 4 << 20
	check := func(what string, n int, rec func(int) []byte, walk func(*binfile.Reader, int)) {
		var from, size int
		for i := range n {
			b := rec(i)
			rr.Reset(b)
			walk(rr, i)
			if err := rr.Done(); err != nil {
				r.Fail("%s %d: %v", what, i, err)
				return
			}
			if size += len(b); size >= releaseEvery {
				r.Release(unsafe.Slice(unsafe.SliceData(rec(from)), size))
				from, size = i+1, 0
			}
		}
		if from < n && size > 0 {
			r.Release(unsafe.Slice(unsafe.SliceData(rec(from)), size))
		}
	}
	check("entity", v.entities.len(), v.entities.bytes, func(rr *binfile.Reader, _ int) { skipEntity(rr) })
	check("token", v.toks.len(), v.toks.bytes, func(rr *binfile.Reader, _ int) {
		var t tokInfo
		decodeTok(rr, &t)
		if t.text == "" && rr.Err() == nil {
			rr.Fail("empty token") // screening reads a token's first letter
		}
	})
	if len(ix.nameLen) != v.names.len() {
		r.Fail("%d names, %d lengths", v.names.len(), len(ix.nameLen))
		return
	}
	nEnt, nTok := v.entities.len(), v.toks.len()
	check("name", v.names.len(), v.names.bytes, func(rr *binfile.Reader, i int) {
		if toks := skipName(rr, nEnt, nTok); rr.Err() == nil && int(ix.nameLen[i]) != min(toks, math.MaxUint16) {
			rr.Fail("length %d, has %d tokens", ix.nameLen[i], toks)
		}
	})
}

// check fails r unless the arrays of the index agree with each other (the
// lists of ids were checked as they were read).
func (ix *Index) check(r *binfile.Reader) {
	if len(ix.nameRep) != ix.numNames() {
		r.Fail("%d names, %d representatives", ix.numNames(), len(ix.nameRep))
		return
	}
	for i, rep := range ix.nameRep {
		if rep != noRep && int(rep) >= ix.numNames() {
			r.Fail("name %d: representative %d out of range", i, rep)
			return
		}
	}
	if len(ix.delIDs) != len(ix.delKeys) || len(ix.delBucket) != 1<<(64-delShift)+1 || len(ix.delFilter) != (delFilterMask+1)/64 {
		r.Fail("deletion index of %d keys, %d ids, %d buckets, %d filter words", len(ix.delKeys), len(ix.delIDs), len(ix.delBucket), len(ix.delFilter))
		return
	}
	nTok := ix.v.toks.len()
	for _, id := range ix.delIDs {
		if int(id) >= nTok {
			r.Fail("deletion index: token %d out of range", id)
			return
		}
	}
	prev := uint32(0)
	for b, off := range ix.delBucket {
		if off < prev || int(off) > len(ix.delKeys) {
			r.Fail("deletion bucket %d at %d, out of order", b, off)
			return
		}
		prev = off
	}
	if int(prev) != len(ix.delKeys) {
		r.Fail("deletion buckets end at %d of %d keys", prev, len(ix.delKeys))
	}
	r.ReleaseUint32s(ix.nameRep)
	r.ReleaseUint32s(ix.delIDs)
	r.ReleaseUint32s(ix.delBucket)
	if len(ix.nameLen) > 0 {
		r.Release(unsafe.Slice((*byte)(unsafe.Pointer(&ix.nameLen[0])), 2*len(ix.nameLen)))
	}
}

func decodeEntity(r *binfile.Reader, e *entityRec) {
	e.ref.ID, e.ref.Source = r.String(), r.String()
	e.ref.Schema = lexscreen.Schema(r.String())
	e.ref.Name = r.String()
	e.ref.Names = r.Strings()
	e.designations = r.Designations()
	if n, isNil := r.Len(8); !isNil {
		e.birth = make([]lexscreen.DateValue, n)
		for i := range e.birth {
			e.birth[i] = r.Date()
		}
	}
	e.countries, e.nationals, e.ids = r.Strings(), r.Strings(), r.Strings()
	if n, isNil := r.Len(3); !isNil {
		e.attrs = make(map[string][]string, n)
		for range n {
			k := r.String()
			e.attrs[k] = r.Strings()
		}
	}
}

// skipEntity reads what decodeEntity reads, keeping nothing.
func skipEntity(r *binfile.Reader) {
	for range 4 {
		r.SkipString()
	}
	r.SkipStrings()
	r.SkipDesignations()
	n, _ := r.Len(8)
	for range n {
		r.Date()
	}
	for range 3 {
		r.SkipStrings()
	}
	n, _ = r.Len(3)
	for range n {
		r.SkipString()
		r.SkipStrings()
	}
}

func decodeTok(r *binfile.Reader, t *tokInfo) {
	t.legal = r.Bool()
	t.text = r.String()
	t.df = int32(r.Int())
	t.weight = math.Float32frombits(r.Uint32())
	t.phon, t.skel, t.canon = r.String(), r.String(), r.String()
	t.place = r.Bool()
	t.splits = uint16(r.Uvarint())
	t.facts.set, t.facts.patronymic = r.Bool(), r.Bool()
	t.facts.spelling = int32(r.Int())
}

func decodeName(r *binfile.Reader, n *nameRec) {
	n.abjad = r.Bool()
	n.entity = uint32(r.Uvarint())
	n.kind = lexscreen.NameKind(r.String())
	n.full = r.String()
	if nt := r.Count(4); nt > 0 {
		n.toks = make([]nameTok, nt)
		for i := range n.toks {
			n.toks[i] = nameTok{id: uint32(r.Uvarint()), part: lexscreen.NamePartKind(r.String()),
				kind: names.TokenKind(r.Uvarint()), surname: r.Bool()}
		}
	}
	n.legal = r.Strings()
	n.legalText = r.Strings()
}

// skipName reads what decodeName reads, checking the entity and token ids
// against the numbers of each, and returns the number of tokens.
func skipName(r *binfile.Reader, entities, toks int) int {
	r.Bool()
	r.Below(entities)
	r.SkipString()
	r.SkipString()
	nt := r.Count(4)
	for range nt {
		r.Below(toks)
		r.SkipString()
		r.Uvarint()
		r.Bool()
	}
	r.SkipStrings()
	r.SkipStrings()
	return nt
}

// readLists reads what encodeLists wrote: n lists of ids below max, in
// place.
func readLists(r *binfile.Reader, n, below int) idLists {
	offs, flat := r.Uint32s(), r.Uint32s()
	if r.Err() != nil {
		return idLists{}
	}
	if len(offs) != n+1 || offs[0] != 0 || int(offs[n]) != len(flat) {
		r.Fail("%d lists with %d offsets over %d ids", n, len(offs), len(flat))
		return idLists{}
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] {
			r.Fail("list %d ends before it starts", i-1)
			return idLists{}
		}
	}
	for _, id := range flat {
		if int(id) >= below {
			r.Fail("id %d out of range (%d)", id, below)
			return idLists{}
		}
	}
	r.ReleaseUint32s(offs)
	r.ReleaseUint32s(flat)
	return idLists{offs: offs, flat: flat}
}

// readIDs reads what encodeIDs wrote: ids below max.
func readIDs(r *binfile.Reader, below int) keyedIDs {
	k := keyedIDs{keys: r.Keys(), ids: r.Uint32s()}
	if r.Err() != nil {
		return keyedIDs{}
	}
	if len(k.ids) != k.keys.Len() {
		r.Fail("%d keys, %d ids", k.keys.Len(), len(k.ids))
		return keyedIDs{}
	}
	for _, id := range k.ids {
		if int(id) >= below {
			r.Fail("id %d out of range (%d)", id, below)
			return keyedIDs{}
		}
	}
	return k
}

// readKeyedLists reads what encodeIDMap wrote: lists of ids below max.
func readKeyedLists(r *binfile.Reader, below int) keyedLists {
	keys := r.Keys()
	return keyedLists{keys: keys, lists: readLists(r, keys.Len(), below)}
}
