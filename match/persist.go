package match

import (
	"errors"
	"maps"
	"math"
	"slices"

	"github.com/lexscreen/lexscreen/internal/binfile"
)

// FormatVersion is the version of the persisted index's layout (Encode,
// DecodeIndex). Change it whenever the layout or the meaning of a field of
// Index changes: a file of another version is rebuilt, never read.
// Version 2: records with offset tables and sorted string tables, read in
// place (version 1 was decoded whole).
const FormatVersion = 2

// Encode writes everything of the index but its list versions (which the
// reader passes to DecodeIndex, with their ages as of then) to w.
// DecodeIndex reads it back, in place, into an index that screens exactly
// as ix does. Only a built index can be written (not one read in place):
// w fails otherwise.
func (ix *Index) Encode(w *binfile.Writer) {
	if ix.v != nil {
		w.Fail(errors.New("an index read from a file cannot be written again: build it"))
		return
	}
	// Distinct strings: with the bundled lists, 335,358 for 139,641
	// tokens (their spellings are mostly the same or shared), 87,886
	// names and 28,825 entities; a larger table costs more than it saves.
	w.SizeHint(2*len(ix.toks) + len(ix.names)/2 + 2*len(ix.entities))
	w.Uvarint(uint64(ix.seed))
	w.Uvarint(uint64(ix.canonSeed))
	w.Records(len(ix.entities), func(i int, w *binfile.Writer) { encodeEntity(w, &ix.entities[i]) })
	w.Records(len(ix.toks), func(i int, w *binfile.Writer) { encodeTok(w, &ix.toks[i]) })
	w.Records(len(ix.names), func(i int, w *binfile.Writer) { encodeName(w, &ix.names[i]) })
	w.Uint16s(ix.nameLen)
	w.Uint32s(ix.nameRep)
	encodeLists(w, ix.postings)
	encodeIDs(w, ix.vocab)
	encodeIDs(w, ix.byID)
	encodeIDMap(w, ix.phon)
	encodeIDMap(w, ix.skel)
	encodeIDMap(w, ix.canon)
	encodeIDMap(w, ix.ids)
	w.Uint64s(ix.delKeys)
	w.Uint32s(ix.delIDs)
	w.Uint32s(ix.delBucket)
	w.Uint64s(ix.delFilter)
	w.StringRefs(slices.Sorted(maps.Keys(ix.surnameWords)))
}

func encodeTok(w *binfile.Writer, t *tokInfo) {
	w.Bool(t.legal)
	w.String(t.text)
	w.Varint(int64(t.df))
	w.Uint32(math.Float32bits(t.weight))
	w.String(t.phon)
	w.String(t.skel)
	w.String(t.canon)
	w.Bool(t.place)
	w.Uvarint(uint64(t.splits))
	w.Bool(t.facts.set)
	w.Bool(t.facts.patronymic)
	w.Varint(int64(t.facts.spelling))
}

func encodeName(w *binfile.Writer, n *nameRec) {
	w.Bool(n.abjad)
	w.Uvarint(uint64(n.entity))
	w.String(string(n.kind))
	w.String(n.full)
	w.Uvarint(uint64(len(n.toks)))
	for _, t := range n.toks {
		w.Uvarint(uint64(t.id))
		w.String(string(t.part))
		w.Uvarint(uint64(t.kind))
		w.Bool(t.surname)
	}
	w.Strings(n.legal)
	w.Strings(n.legalText)
}

// encodeIDs writes a map of strings to one id each, keys sorted (read by
// binary search in place).
func encodeIDs(w *binfile.Writer, m map[string]uint32) {
	keys := slices.Sorted(maps.Keys(m))
	ids := make([]uint32, len(keys))
	for i, k := range keys {
		ids[i] = m[k]
	}
	w.StringRefs(keys)
	w.Uint32s(ids)
}

func encodeEntity(w *binfile.Writer, e *entityRec) {
	w.String(e.ref.ID)
	w.String(e.ref.Source)
	w.String(string(e.ref.Schema))
	w.String(e.ref.Name)
	w.Strings(e.ref.Names)
	w.Designations(e.designations)
	w.Len(e.birth == nil, len(e.birth))
	for _, d := range e.birth {
		w.Date(d)
	}
	w.Strings(e.countries)
	w.Strings(e.nationals)
	w.Strings(e.ids)
	w.Len(e.attrs == nil, len(e.attrs))
	for _, k := range slices.Sorted(maps.Keys(e.attrs)) {
		w.String(k)
		w.Strings(e.attrs[k])
	}
}

// encodeLists writes lists of ids as offsets and one flat array, read in
// place.
func encodeLists(w *binfile.Writer, lists [][]uint32) {
	offs := make([]uint32, 0, len(lists)+1)
	total := 0
	for _, l := range lists {
		total += len(l)
	}
	flat := make([]uint32, 0, total)
	offs = append(offs, 0)
	for _, l := range lists {
		flat = append(flat, l...)
		offs = append(offs, uint32(len(flat)))
	}
	w.Uint32s(offs)
	w.Uint32s(flat)
}

// encodeIDMap writes a map of strings to lists of ids, keys sorted (the
// same index gives the same file).
func encodeIDMap(w *binfile.Writer, m map[string][]uint32) {
	keys := slices.Sorted(maps.Keys(m))
	w.StringRefs(keys)
	lists := make([][]uint32, len(keys))
	for i, k := range keys {
		lists[i] = m[k]
	}
	encodeLists(w, lists)
}
