package match

import (
	"math"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/names"
)

// DecodeIndex reads an index Encode wrote, with the given list versions.
// It checks every reference between the parts of the index (a name's
// entity, a posting's name, a token id) and fails, returning no index,
// on any that does not hold: a screening never reads past the index.
// Arrays of numbers may be read in place (see binfile.Open). What follows
// the index in r is left unread.
func DecodeIndex(r *binfile.Reader, lists []lexscreen.ListVersion) (*Index, error) {
	ix := &Index{lists: lists}
	ix.seed = delSeed(r.Uvarint())
	ix.canonSeed = delSeed(r.Uvarint())
	ix.entities = make([]entityRec, r.Count(8))
	for i := range ix.entities {
		decodeEntity(r, &ix.entities[i])
	}
	ix.toks = make([]tokInfo, r.Count(16))
	for i := range ix.toks {
		t := &ix.toks[i]
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
	ix.names = make([]nameRec, r.Count(8))
	var allToks []nameTok // one array for the tokens of every name
	for i := range ix.names {
		n := &ix.names[i]
		n.abjad = r.Bool()
		n.entity = uint32(r.Below(len(ix.entities)))
		n.kind = lexscreen.NameKind(r.String())
		n.full = r.String()
		nt := r.Count(4)
		if cap(allToks)-len(allToks) < nt {
			allToks = make([]nameTok, 0, max(nt, 4096))
		}
		start := len(allToks)
		for range nt {
			allToks = append(allToks, nameTok{id: uint32(r.Below(len(ix.toks))), part: lexscreen.NamePartKind(r.String()),
				kind: names.TokenKind(r.Uvarint()), surname: r.Bool()})
		}
		if nt > 0 {
			n.toks = allToks[start:len(allToks):len(allToks)]
		}
		n.legal = r.Strings()
		n.legalText = r.Strings()
	}
	ix.nameLen = r.Uint16s()
	ix.nameRep = r.Uint32s()
	ix.postings = decodeLists(r, len(ix.toks), len(ix.names))
	ix.phon = decodeIDMap(r, len(ix.toks))
	ix.skel = decodeIDMap(r, len(ix.toks))
	ix.canon = decodeIDMap(r, len(ix.toks))
	ix.ids = decodeIDMap(r, len(ix.entities))
	ix.delKeys = r.Uint64s()
	ix.delIDs = r.Uint32s()
	ix.delBucket = r.Uint32s()
	ix.delFilter = r.Uint64s()
	ix.surnameWords = map[string]bool{}
	for _, w := range r.Strings() {
		ix.surnameWords[w] = true
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	ix.check(r)
	if err := r.Err(); err != nil {
		return nil, err
	}
	ix.vocab = make(map[string]uint32, len(ix.toks))
	for i := range ix.toks {
		if _, dup := ix.vocab[ix.toks[i].text]; dup {
			r.Fail("token %q twice", ix.toks[i].text)
			return nil, r.Err()
		}
		ix.vocab[ix.toks[i].text] = uint32(i)
	}
	ix.byID = make(map[string]uint32, len(ix.entities))
	for i, e := range ix.entities {
		ix.byID[e.ref.ID] = uint32(i)
	}
	return ix, nil
}

// check fails r unless the arrays of the index agree with each other (the
// lists of ids were checked as they were read).
func (ix *Index) check(r *binfile.Reader) {
	if len(ix.nameLen) != len(ix.names) || len(ix.nameRep) != len(ix.names) {
		r.Fail("%d names, %d lengths, %d representatives", len(ix.names), len(ix.nameLen), len(ix.nameRep))
		return
	}
	for i, n := range ix.names {
		if int(ix.nameLen[i]) != min(len(n.toks), math.MaxUint16) {
			r.Fail("name %d: length %d, has %d tokens", i, ix.nameLen[i], len(n.toks))
			return
		}
		if rep := ix.nameRep[i]; rep != noRep && int(rep) >= len(ix.names) {
			r.Fail("name %d: representative %d out of range", i, rep)
			return
		}
	}
	if len(ix.delIDs) != len(ix.delKeys) || len(ix.delBucket) != 1<<(64-delShift)+1 || len(ix.delFilter) != (delFilterMask+1)/64 {
		r.Fail("deletion index of %d keys, %d ids, %d buckets, %d filter words", len(ix.delKeys), len(ix.delIDs), len(ix.delBucket), len(ix.delFilter))
		return
	}
	for _, id := range ix.delIDs {
		if int(id) >= len(ix.toks) {
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

// decodeLists reads what encodeLists wrote: n lists of ids below max, in
// place. An empty list is nil, as the builder leaves it.
func decodeLists(r *binfile.Reader, n, below int) [][]uint32 {
	offs, flat := r.Uint32s(), r.Uint32s()
	if r.Err() != nil {
		return nil
	}
	if len(offs) != n+1 || offs[0] != 0 || int(offs[n]) != len(flat) {
		r.Fail("%d lists with %d offsets over %d ids", n, len(offs), len(flat))
		return nil
	}
	for _, id := range flat {
		if int(id) >= below {
			r.Fail("id %d out of range (%d)", id, below)
			return nil
		}
	}
	out := make([][]uint32, n)
	for i := range out {
		a, b := offs[i], offs[i+1]
		if b < a {
			r.Fail("list %d ends before it starts", i)
			return nil
		}
		if b > a {
			out[i] = flat[a:b:b]
		}
	}
	return out
}

// decodeIDMap reads what encodeIDMap wrote: lists of ids below max.
func decodeIDMap(r *binfile.Reader, below int) map[string][]uint32 {
	keys := r.Strings()
	lists := decodeLists(r, len(keys), below)
	m := make(map[string][]uint32, len(keys))
	if r.Err() != nil {
		return m
	}
	for i, k := range keys {
		m[k] = lists[i]
	}
	return m
}
