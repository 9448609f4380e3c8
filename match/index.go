// Package match finds listed entities that a screened name refers to, and
// says why. An Index is built once from the entities of the lists in use and
// is immutable; a Matcher screens queries against it and scores pairs.
//
// Retrieval never scans the corpus: every query token is looked up in
// inverted indexes of the listed tokens (the exact token, its phonetic key,
// its consonant skeleton for names from scripts without written vowels, and
// its one- or two-deletion neighbourhood for spelling errors), and only the
// names those tokens point to are scored.
package match

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/countries"
	"github.com/lexscreen/lexscreen/names"
)

// Index is an immutable index of listed entities. Build it with NewIndex;
// swap a whole Index when lists change.
type Index struct {
	entities []entityRec
	names    []nameRec
	nameLen  []uint16 // tokens of each name (len(names[i].toks)), read for every name a query reaches
	// nameRep: for a name whose tokens other names have too (the same
	// person on several lists), the first of those names; noRep for the
	// others. Such names align alike with a query.
	nameRep []uint32

	vocab    map[string]uint32 // folded token -> token id
	toks     []tokInfo
	postings [][]uint32 // token id -> name ids, ascending

	phon map[string][]uint32 // phonetic key -> token ids
	skel map[string][]uint32 // consonant skeleton -> token ids
	// canon: transliteration-canonical spelling -> ids of the tokens
	// spelt otherwise (a token spelt canonically is found in vocab)
	canon map[string][]uint32
	// Deletion neighbourhood: sorted hashes of every one-deletion variant
	// (two for long tokens) of every listed token, with the token ids.
	delKeys   []uint64
	delIDs    []uint32
	delBucket []uint32 // delKeys offset of each hash prefix (h >> delShift), plus the end
	delFilter []uint64 // bit h&delFilterMask set for every key h of delKeys and the hash of every vocab token

	ids  map[string][]uint32 // normalised identifier -> entity ids
	byID map[string]uint32   // entity id -> index

	seed delSeed
	// canonSeed hashes the deletion keys of canonical spellings, apart
	// from those of the letters (Builder.fuzzy).
	canonSeed delSeed
	lists     []lexscreen.ListVersion
	// surnameWords: the words of the family names that markSurnames
	// marked as two surnames (markLearnedSurnames).
	surnameWords map[string]bool

	// v, when set, is the index read in place (DecodeIndex); entities,
	// names, toks and the maps above are nil then (see index_view.go).
	v *view
}

type tokInfo struct {
	legal  bool // a word of legal forms: "limited", "liability", "company"
	text   string
	df     int32
	weight float32
	phon   string
	skel   string
	canon  string // translitCanon of text
	place  bool   // placeWord(text)
	// splits: for a token that joins two adjacent words of listed names
	// ("jongun" of "Jong Un"), bit n is set when the first word had n
	// letters (n < 16).
	splits uint16
	// The token's spelling group (spellingOf) and whether it is a
	// patronymic, worked out once for pairSim (see tokFacts).
	facts tokFacts
}

type nameRec struct {
	abjad  bool // written in a script without short vowels
	entity uint32
	kind   lexscreen.NameKind
	full   string
	toks   []nameTok
	legal  []string // classes of the name's legal forms (organisations): "llc", "jsc", "ngo"
	// legalText: the name's legal forms in their compare form ("inc",
	// "ooo", "plc"), so that a query's misspelt one costs little
	legalText []string
}

type nameTok struct {
	id   uint32
	part lexscreen.NamePartKind
	kind names.TokenKind
	// surname: one of the two surnames of a Spanish or Portuguese name
	// (markSurnames)
	surname bool
}

// entityRec keeps what screening reports and what evidence needs; the
// remarks, addresses and attributes of the full entity are not kept.
type entityRec struct {
	ref          lexscreen.EntityRef
	designations []lexscreen.Designation
	birth        []lexscreen.DateValue
	countries    []string            // ISO codes: nationality, citizenship, other links, addresses, birth places
	nationals    []string            // ISO codes of nationality and citizenship only
	ids          []string            // normalised identifier numbers
	attrs        map[string][]string // the attributes the builder was asked to keep
}

// Attributes returns the attributes kept for an entity (see
// Builder.KeepAttributes), or nil.
func (ix *Index) Attributes(entityID string) map[string][]string {
	if i, ok := ix.entityIndex(entityID); ok {
		return ix.entity(i).attrs
	}
	return nil
}

// Countries returns the ISO codes of the countries an entity is linked to
// (nationality, citizenship, other links, addresses, birth places), or nil.
func (ix *Index) Countries(entityID string) []string {
	if i, ok := ix.entityIndex(entityID); ok {
		return ix.entity(i).countries
	}
	return nil
}

// Has reports whether an entity is in the index.
func (ix *Index) Has(entityID string) bool {
	_, ok := ix.entityIndex(entityID)
	return ok
}

// EachEntity calls fn for every indexed entity, in index order, with what
// screening reports of it.
func (ix *Index) EachEntity(fn func(ref lexscreen.EntityRef, designations []lexscreen.Designation)) {
	for i := range ix.numEntities() {
		e := ix.entity(uint32(i))
		fn(e.ref, e.designations)
	}
}

// Entities returns the number of indexed entities.
func (ix *Index) Entities() int { return ix.numEntities() }

// SampleNames returns the names (captions) of up to n entities spread
// evenly through the index, for warming it up.
func (ix *Index) SampleNames(n int) []string {
	total := ix.numEntities()
	if n <= 0 || total == 0 {
		return nil
	}
	step := max(1, total/n)
	out := make([]string, 0, min(n, total))
	for i := 0; i < total && len(out) < n; i += step {
		if name := ix.entity(uint32(i)).ref.Name; name != "" {
			out = append(out, name)
		}
	}
	return out
}

// Names returns the number of indexed names.
func (ix *Index) Names() int { return ix.numNames() }

// Lists returns the list versions the index was built from.
func (ix *Index) Lists() []lexscreen.ListVersion { return ix.lists }

// Builder collects entities for a new Index.
type Builder struct {
	ix *Index
	// dels are the deletion pairs of the tokens so far, in blocks that
	// are never copied as they grow (addDel); Build sorts them.
	dels      [][]delPair
	keepAttrs []string
	// joinBuf builds the joined spelling of two neighbouring words
	// (joinedToken); keyBuf a name's key, seen the keys of the names of
	// the entity being added; variantBuf the deletion variants.
	joinBuf, keyBuf, variantBuf []byte
	seen                        map[string]struct{}
	// tokArena holds the tokens of the names (nameToks).
	tokArena []nameTok
	// surnameCands: names of two-surname shape whose surnames
	// markSurnames could not tell (markLearnedSurnames).
	surnameCands []uint32
}

// KeepAttributes makes the index keep these entity attributes (for the
// legal regimes: warrant status and the like); see Index.Attributes.
func (b *Builder) KeepAttributes(keys ...string) { b.keepAttrs = append(b.keepAttrs, keys...) }

// delShift selects the hash bits that pick a bucket of the deletion index.
const delShift = 48

// delFilterMask selects the hash bits of the deletion filter's bit (2 MiB:
// one bit in eleven set with the bundled lists).
const delFilterMask = 1<<24 - 1

type delPair struct {
	h  uint64
	id uint32
}

// NewBuilder starts an index for the given list versions.
func NewBuilder(lists []lexscreen.ListVersion) *Builder {
	b := newBuilder(lists)
	// Legal-form words are in the vocabulary even when no listed name uses
	// them as words, so that a misspelt "Liabbilty" is recognised as one.
	words := make([]string, 0, len(names.LegalFormWords()))
	for w := range names.LegalFormWords() {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		b.ix.toks[b.token(w, true)].legal = true
	}
	return b
}

func newBuilder(lists []lexscreen.ListVersion) *Builder {
	return &Builder{seen: map[string]struct{}{}, ix: &Index{
		vocab: map[string]uint32{}, phon: map[string][]uint32{}, skel: map[string][]uint32{}, canon: map[string][]uint32{},
		ids: map[string][]uint32{}, seed: letterSeed, canonSeed: canonKeys, lists: lists, surnameWords: map[string]bool{},
	}}
}

// Add indexes one entity. The entity is not retained.
func (b *Builder) Add(e *lexscreen.Entity) {
	ix := b.ix
	eid := uint32(len(ix.entities))
	rec := entityRec{
		ref:          lexscreen.EntityRef{ID: e.ID, Source: e.Source, Schema: e.Schema, Name: e.Caption()},
		designations: slimDesignations(e.Designations),
		birth:        slices.Clone(e.BirthDates),
	}
	if len(e.Names) > 0 {
		rec.ref.Names = make([]string, len(e.Names))
		for i, n := range e.Names {
			rec.ref.Names[i] = n.Full
		}
	}
	rec.countries, rec.nationals = entityCountries(e)
	for _, k := range b.keepAttrs {
		if v := e.Attributes[k]; len(v) > 0 {
			if rec.attrs == nil {
				rec.attrs = map[string][]string{}
			}
			rec.attrs[k] = slices.Clone(v)
		}
	}
	for _, id := range e.Identifiers {
		if id.Kind == lexscreen.IDCrypto || id.Kind == lexscreen.IDOther && len(id.Number) < 5 {
			continue
		}
		if n := normID(id.Number); len(n) >= 4 && !slices.Contains(rec.ids, n) {
			rec.ids = append(rec.ids, n)
			b.ix.ids[n] = append(b.ix.ids[n], eid)
		}
	}
	ix.entities = append(ix.entities, rec)
	clear(b.seen)
	all, shown := withReadings(withSubNames(e.Names), e.Schema)
	for ni, n := range all {
		var toks []names.Token
		if len(n.Parts) > 0 && partsCover(n) && !koreanTagsSwapped(n) {
			toks = names.TokenizeParts(n.Parts, e.Schema)
		} else {
			toks = names.Tokenize(n.Full, e.Schema)
		}
		toks = canonicalWords(mergeAcronyms(toks, e.Schema))
		toks, _ = markParticles(b.ix, toks, e.Schema, nil)
		// The name once per kind: its words, then "|" and the kind.
		b.keyBuf = appendTokensKey(b.keyBuf[:0], toks)
		if len(b.keyBuf) == 0 {
			continue
		}
		b.keyBuf = append(append(b.keyBuf, '|'), n.Kind...)
		if _, dup := b.seen[string(b.keyBuf)]; dup {
			continue
		}
		b.seen[string(b.keyBuf)] = struct{}{}
		nr := nameRec{entity: eid, kind: n.Kind, full: shown[ni]}
		switch n.Script {
		case "Arab", "Hebr", "Syrc", "Thaa", // abjads: short vowels unwritten
			// abugidas, whose inherent vowels a transliteration drops
			"Deva", "Beng", "Guru", "Gujr", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Khmr", "Mymr", "Tibt":
			nr.abjad = true
		}
		toks = wordsOnly(toks, e.Schema)
		var surnames []bool
		surnameCand := false
		if e.Schema == lexscreen.SchemaPerson {
			if surnames = markSurnames(toks, rec.countries); surnames != nil {
				for i, t := range toks {
					if surnames[i] {
						ix.surnameWords[t.Text] = true
					}
				}
			} else {
				surnameCand, _ = twoSurnameShape(toks)
			}
		}
		nr.toks = b.nameToks(toks)
		for ti, t := range toks {
			switch t.Kind {
			case names.Title:
				continue
			case names.LegalForm:
				nr.legal = append(nr.legal, legalClass(t))
				nr.legalText = append(nr.legalText, t.Text)
				continue
			}
			nr.toks = append(nr.toks, nameTok{id: b.token(t.Text, true), part: t.Part, kind: t.Kind, surname: surnames != nil && surnames[ti]})
		}
		if len(nr.toks) == 0 {
			continue
		}
		nid := uint32(len(ix.names))
		ix.names = append(ix.names, nr)
		if surnameCand {
			b.surnameCands = append(b.surnameCands, nid)
		}
		for _, t := range nr.toks {
			b.post(t.id, nid)
		}
		// Joined neighbours, so that "abubakr" finds "abu bakr".
		for i := 0; i+1 < len(nr.toks); i++ {
			a, c := ix.toks[nr.toks[i].id].text, ix.toks[nr.toks[i+1].id].text
			if len(a)+len(c) >= 5 {
				id := b.joinedToken(a, c)
				if len(a) < 16 {
					ix.toks[id].splits |= 1 << len(a)
				}
				b.post(id, nid)
			}
		}
	}
}

// withSubNames adds, for names made of several names ("AL HAQ - LAW IN THE
// SERVICE OF MANKIND", "Al-Qa'ida/Islamic Army", "NAME (FORMER NAME)"),
// each part as an alias of its own, so that either part can be screened.
func withSubNames(ns []lexscreen.Name) []lexscreen.Name {
	out := ns
	for _, n := range ns {
		parts := splitSubNames(n.Full)
		if len(parts) < 2 {
			continue
		}
		if len(out) == len(ns) {
			out = slices.Clone(ns)
		}
		for _, p := range parts {
			kind := n.Kind
			if kind == lexscreen.NamePrimary {
				kind = lexscreen.NameAlias
			}
			out = append(out, lexscreen.Name{Full: p, Kind: kind, Script: n.Script, Lang: n.Lang})
		}
	}
	return out
}

// withReadings adds, for persons' names written in Wade-Giles ("Chiang
// Ching-kuo"), their pinyin reading as a name of the same kind, so that a
// query in pinyin finds them. shown[i] is the name as the list writes it.
func withReadings(ns []lexscreen.Name, schema lexscreen.Schema) (out []lexscreen.Name, shown []string) {
	out = ns
	for _, n := range ns {
		shown = append(shown, n.Full)
	}
	if schema != lexscreen.SchemaPerson && schema != lexscreen.SchemaUnknown && schema != "" {
		return out, shown
	}
	for _, n := range ns {
		r, ok := names.PinyinFromWadeGiles(n.Full)
		if !ok {
			continue
		}
		// The reading keeps the name's parts ("WEI, Hsueh Lung": WEI is
		// the surname), read the same way.
		var parts []lexscreen.NamePart
		for _, p := range n.Parts {
			v, ok := names.PinyinOfWadeGilesPart(p.Value)
			if !ok {
				parts = nil
				break
			}
			parts = append(parts, lexscreen.NamePart{Kind: p.Kind, Value: v})
		}
		if len(out) == len(ns) {
			out = slices.Clone(ns)
		}
		out = append(out, lexscreen.Name{Full: r, Kind: n.Kind, Script: "Latn", Lang: n.Lang, Parts: parts})
		shown = append(shown, n.Full)
	}
	return out, shown
}

// subNameSeparators marks where a name made of several names is split
// (splitSubNames).
var subNameSeparators = strings.NewReplacer(" - ", "\x00", " – ", "\x00", "/", "\x00", "(", "\x00", ")", "\x00")

func splitSubNames(full string) []string {
	if !strings.ContainsAny(full, "-–/(") {
		return nil
	}
	f := subNameSeparators.Replace(full)
	var out []string
	for _, p := range strings.Split(f, "\x00") {
		p = strings.Trim(strings.TrimSpace(p), ",;.")
		if len(p) >= 3 {
			out = append(out, p)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// partsCover reports whether a name's parts hold all of its words (some lists
// give parts for only some of the words).
func partsCover(n lexscreen.Name) bool {
	total := 0
	for _, p := range n.Parts {
		if p.Kind == lexscreen.PartTitle {
			continue
		}
		total += countFields(p.Value)
	}
	return total >= countFields(n.Full)
}

// wordsOnly makes words of the titles and legal forms of a name that has
// nothing else ("ANO", "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO", "THE LORD",
// "Madame SU") and of the legal-form look-alikes in an aircraft's
// registration mark ("EP-LDA" is no Portuguese limitada), so that such a
// name can be screened at all.
func wordsOnly(ts []names.Token, schema lexscreen.Schema) []names.Token {
	rest := false
	for _, t := range ts {
		if t.Kind != names.Title && t.Kind != names.LegalForm && t.Kind != names.Stop {
			rest = true
			break
		}
	}
	if rest && schema != lexscreen.SchemaAircraft {
		return ts
	}
	out := slices.Clone(ts)
	for i := range out {
		if out[i].Kind == names.Title || out[i].Kind == names.LegalForm || !rest && out[i].Kind == names.Stop {
			out[i].Kind, out[i].Generic = names.Word, ""
		}
	}
	return out
}

// koreanTagsSwapped reports whether a Korean name's parts are tagged the
// wrong way round: the surname written first and tagged as the given name,
// the two syllables of the given name tagged as the family name (OFSI's
// "KIM" given, "NAM UNG" family). Such a name is read untagged.
func koreanTagsSwapped(n lexscreen.Name) bool {
	// Most names are told apart by their number of words, before any
	// is lower-cased.
	nGiven, nFamily := 0, 0
	for _, p := range n.Parts {
		switch p.Kind {
		case lexscreen.PartGiven:
			nGiven += countFields(p.Value)
		case lexscreen.PartFamily:
			nFamily += countFields(p.Value)
		}
	}
	if nGiven != 1 || nFamily < 2 || nFamily > 3 {
		return false
	}
	var given, family []string
	for _, p := range n.Parts {
		switch p.Kind {
		case lexscreen.PartGiven:
			given = append(given, strings.Fields(strings.ToLower(p.Value))...)
		case lexscreen.PartFamily:
			family = append(family, strings.Fields(strings.ToLower(p.Value))...)
		}
	}
	if len(given) != 1 || len(family) < 2 || len(family) > 3 || !names.IsKoreanSurname(given[0]) {
		return false
	}
	first := strings.Fields(strings.ToLower(n.Full))
	if len(first) == 0 || first[0] != given[0] {
		return false
	}
	for _, w := range family {
		if len(w) < 2 || len(w) > 6 || names.IsStopword(w) || !isLetters(w) {
			return false
		}
	}
	return true
}

// appendTokensKey appends the words of a name but its titles, each
// followed by a space.
func appendTokensKey(key []byte, toks []names.Token) []byte {
	for _, t := range toks {
		if t.Kind == names.Title {
			continue
		}
		key = append(append(key, t.Text...), ' ')
	}
	return key
}

// token returns the id of a folded token, adding it to the vocabulary. Only
// fuzzy tokens (the words of names, not the joined pairs) get phonetic,
// skeleton and deletion entries.
func (b *Builder) token(text string, fuzzy bool) uint32 {
	ix := b.ix
	if id, ok := ix.vocab[text]; ok {
		if fuzzy && ix.toks[id].phon == "" && len(text) >= 2 {
			b.fuzzy(id, text)
		}
		return id
	}
	id := uint32(len(ix.toks))
	ix.vocab[text] = id
	ix.toks = append(ix.toks, tokInfo{text: text, facts: factsOf(text)})
	ix.postings = append(ix.postings, nil)
	if fuzzy && len(text) >= 2 {
		b.fuzzy(id, text)
	}
	return id
}

func (b *Builder) fuzzy(id uint32, text string) {
	ix := b.ix
	ti := &ix.toks[id]
	ti.phon, ti.skel, ti.canon, ti.place = names.Phonetic(text), names.Skeleton(text), translitCanon(text), placeWord(text)
	if ti.phon == "" {
		ti.phon = text
	}
	ix.phon[ti.phon] = append(ix.phon[ti.phon], id)
	if ti.canon != "" && ti.canon != text {
		ix.canon[ti.canon] = append(ix.canon[ti.canon], id)
	}
	if len(ti.skel) >= 2 {
		ix.skel[ti.skel] = append(ix.skel[ti.skel], id)
	}
	if len(text) >= 4 {
		deleteVariantsIn(text, &b.variantBuf, func(v []byte) {
			b.addDel(ix.seed.bytes(v), id)
		})
	}
	if len(text) >= 5 && ti.canon != text && len(ti.canon) >= 4 {
		// A slip in a name written in another transliteration ("karilna"
		// for "carina"): the canonical spelling with a letter deleted.
		oneDeletedIn(ti.canon, &b.variantBuf, func(v []byte) {
			b.addDel(ix.canonSeed.bytes(v), id)
		})
	}
}

// oneDeleted calls fn with every variant of s with one byte deleted (valid
// during the call only).
func oneDeleted(s string, fn func(v []byte)) {
	var scratch []byte
	oneDeletedIn(s, &scratch, fn)
}

// oneDeletedIn is oneDeleted building the variants in *scratch (made
// larger when too small, and kept for the next call).
func oneDeletedIn(s string, scratch *[]byte, fn func(v []byte)) {
	if cap(*scratch) < len(s) {
		*scratch = make([]byte, 2*len(s))
	}
	buf := (*scratch)[:0]
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		buf = append(append(buf[:0], s[:i]...), s[i+1:]...)
		fn(buf)
	}
}

func (b *Builder) post(tok, name uint32) {
	p := b.ix.postings[tok]
	if n := len(p); n > 0 && p[n-1] == name {
		return
	}
	b.ix.postings[tok] = append(p, name)
}

// deleteVariants calls fn with every variant of s with one byte deleted,
// and for tokens of 8 or more bytes with two deleted. The variant is only
// valid during the call: it is built in a buffer, not allocated.
func deleteVariants(s string, fn func(v []byte)) {
	var scratch []byte
	deleteVariantsIn(s, &scratch, fn)
}

// deleteVariantsIn is deleteVariants building the variants in *scratch
// (made larger when too small, and kept for the next call).
func deleteVariantsIn(s string, scratch *[]byte, fn func(v []byte)) {
	if cap(*scratch) < 2*len(s) {
		*scratch = make([]byte, 2*len(s))
	}
	buf1, buf2 := (*scratch)[:0:len(s)], (*scratch)[len(s):len(s):2*len(s)]
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue // same variant as deleting s[i-1]
		}
		buf1 = append(append(buf1[:0], s[:i]...), s[i+1:]...)
		fn(buf1)
		if len(s) >= 8 {
			for j := i; j < len(buf1); j++ {
				if j > i && buf1[j] == buf1[j-1] {
					continue
				}
				buf2 = append(append(buf2[:0], buf1[:j]...), buf1[j+1:]...)
				fn(buf2)
			}
		}
	}
}

// Build finishes the index: token weights by rarity.
func (b *Builder) Build() *Index {
	ix := b.ix
	n := float64(len(ix.names)) + 1
	norm := math.Log(1 + n)
	for i := range ix.toks {
		df := len(ix.postings[i])
		ix.toks[i].df = int32(df)
		if df == 0 {
			df = 1
		}
		ix.toks[i].weight = float32(math.Max(0.08, math.Log(1+n/float64(df))/norm))
	}
	ix.delKeys, ix.delIDs = b.sortedDels()
	ix.nameLen = make([]uint16, len(ix.names))
	for i := range ix.names {
		ix.nameLen[i] = uint16(min(len(ix.names[i].toks), math.MaxUint16))
	}
	markLearnedSurnames(ix, b.surnameCands, ix.surnameWord)
	ix.nameRep = nameReps(ix.names)
	ix.delFilter = make([]uint64, (delFilterMask+1)/64)
	for _, h := range ix.delKeys {
		ix.delFilter[h&delFilterMask>>6] |= 1 << (h & 63)
	}
	for text := range ix.vocab {
		h := ix.seed.string(text)
		ix.delFilter[h&delFilterMask>>6] |= 1 << (h & 63)
	}
	ix.delBucket = make([]uint32, 1<<(64-delShift)+1)
	j := 0
	for bkt := 0; bkt <= 1<<(64-delShift); bkt++ {
		for j < len(ix.delKeys) && int(ix.delKeys[j]>>delShift) < bkt {
			j++
		}
		ix.delBucket[bkt] = uint32(j)
	}
	ix.byID = make(map[string]uint32, len(ix.entities))
	for i, e := range ix.entities {
		ix.byID[e.ref.ID] = uint32(i)
	}
	b.ix = nil
	return ix
}

// noRep marks a name no other name has the tokens of.
const noRep = math.MaxUint32

// nameReps returns Index.nameRep: names are alike when they have the same
// tokens (id, kind and part, in order), the same legal forms and the same
// abjad flag, all that alignNames reads of a name.
func nameReps(ns []nameRec) []uint32 {
	reps := make([]uint32, len(ns))
	first := make(map[string]uint32, len(ns))
	var key []byte
	for i := range ns {
		nr := &ns[i]
		key = key[:0]
		if nr.abjad {
			key = append(key, 1)
		} else {
			key = append(key, 0)
		}
		for _, t := range nr.toks {
			key = append(key, byte(t.id), byte(t.id>>8), byte(t.id>>16), byte(t.id>>24), byte(t.kind))
			if t.surname {
				key = append(key, 1)
			}
			key = append(append(key, t.part...), 0)
		}
		for _, l := range nr.legalText {
			key = append(append(append(key, 1), l...), 0)
		}
		reps[i] = noRep
		if r, ok := first[string(key)]; ok {
			reps[i], reps[r] = r, r
		} else {
			first[string(key)] = uint32(i)
		}
	}
	return reps
}

// unknownWeight is the weight of a query token the lists do not contain.

// weightOf returns the rarity weight of a folded token.
func (ix *Index) weightOf(text string) float32 {
	if id, ok := ix.tokID(text); ok {
		return ix.tok(id).weight
	}
	return unknownWeight
}

func slimDesignations(ds []lexscreen.Designation) []lexscreen.Designation {
	out := make([]lexscreen.Designation, len(ds))
	for i, d := range ds {
		d.Remarks = ""
		out[i] = d
	}
	return out
}

func entityCountries(e *lexscreen.Entity) (all, nationals []string) {
	add := func(dst *[]string, c lexscreen.Country) {
		if c.Code != "" && !slices.Contains(*dst, c.Code) {
			*dst = append(*dst, c.Code)
		}
	}
	for _, c := range e.Nationalities {
		add(&nationals, c)
		add(&all, c)
	}
	for _, c := range e.Citizenships {
		add(&nationals, c)
		add(&all, c)
	}
	for _, c := range e.Countries {
		add(&all, c)
	}
	for _, a := range e.Addresses {
		add(&all, a.Country)
	}
	for _, p := range e.BirthPlaces {
		add(&all, p.Country)
	}
	return all, nationals
}

// normID keeps the letters and digits of an identifier, upper-cased, without
// a leading "IMO" or "NO" label and without the "XXX" branch code of an
// 11-character BIC, so that "IMO 9929429" equals "9929429" and
// "COBADEFFXXX" equals "COBADEFF".
func normID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	n := b.String()
	for _, p := range []string{"IMO", "NO"} {
		if rest, ok := strings.CutPrefix(n, p); ok && len(rest) >= 5 && rest[0] >= '0' && rest[0] <= '9' {
			n = rest
		}
	}
	if len(n) == 11 && strings.HasSuffix(n, "XXX") && isBICPrefix(n[:8]) {
		n = n[:8]
	}
	return n
}

func isBICPrefix(s string) bool {
	for i := 0; i < 6; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// numberWords are English number and ordinal words with their value.
var numberWords = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
	"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
	"9th": 9, "10th": 10,
}

// canonicalWords rewrites what varies in writing but not in meaning:
// numbers written as words or ordinals become digits ("Forty-Four" and
// "44", "1st" and "First"), and the Arabic theophoric "Abd al-" forms become
// one word ("Abd al-Aziz", "Abdel Aziz" and "Abdul Aziz").
//
// ts is returned as is when nothing changes; otherwise a new slice (made
// at the first change).
func canonicalWords(ts []names.Token) []names.Token {
	var out []names.Token
	changed := false
	for i := 0; i < len(ts); i++ {
		start, t := i, ts[i]
		if t.Kind == names.LegalForm && len(t.Text) >= 2 && romanNumeral(t.Text) {
			// "Fund II" is the second fund, not a Lithuanian IĮ.
			t.Kind, t.Generic, changed = names.Word, "", true
		}
		if v, ok := numberWords[t.Text]; ok && t.Kind != names.Initial {
			// "forty four" -> 44
			if v >= 20 && v%10 == 0 && i+1 < len(ts) {
				u, ok := numberWords[ts[i+1].Text]
				if !ok && len(ts[i+1].Text) == 1 && ts[i+1].Text[0] >= '1' && ts[i+1].Text[0] <= '9' {
					u, ok = int(ts[i+1].Text[0]-'0'), true // "forty 4"
				}
				if ok && u > 0 && u < 10 {
					v += u
					i++
				}
			}
			t.Text, t.Kind = strconv.Itoa(v), names.Number
			changed = true
		}
		switch t.Text {
		case "abdel", "abdal", "abdol", "abdoul", "abdu":
			t.Text, changed = "abdul", true
		case "abd", "abdul":
			if i+1 < len(ts) {
				switch ts[i+1].Text {
				case "al", "el", "ul", "ar", "ur", "er", "an", "as", "ad", "az", "ash", "at":
					t.Text, changed = "abdul", true
					i++ // the article belongs to "abdul"
				}
			}
		}
		if changed && out == nil {
			// Up to the first change, each word is the same.
			out = append(make([]names.Token, 0, len(ts)), ts[:start]...)
		}
		if out != nil {
			out = append(out, t)
		}
	}
	if out == nil {
		return ts
	}
	return out
}

// mergeAcronyms joins runs of single letters in organisation names into one
// word: "L.X.C Aviation" reads "lxc aviation". ts is returned as is when
// there is nothing to join; otherwise a new slice.
func mergeAcronyms(ts []names.Token, schema lexscreen.Schema) []names.Token {
	if schema == lexscreen.SchemaPerson {
		return ts
	}
	var out []names.Token
	// started: out holds the words so far (up to the first join, ts[:i]
	// is the same).
	started := false
	for i := 0; i < len(ts); {
		j := i
		for j < len(ts) && ts[j].Kind == names.Initial {
			j++
		}
		if i == 0 && j-i >= 3 && vesselPrefixes[ts[0].Text+ts[1].Text] {
			// "M/V S-TROTTER": the ship-type prefix, then the name.
			t := ts[0]
			t.Kind, t.Text = names.Stop, ts[0].Text+ts[1].Text
			out = append(make([]names.Token, 0, len(ts)), t)
			started = true
			i += 2
			continue
		}
		if j-i >= 2 {
			t := ts[i]
			t.Kind, t.Text = names.Word, ""
			for k := i; k < j; k++ {
				t.Text += ts[k].Text
			}
			if !started {
				out = append(make([]names.Token, 0, len(ts)), ts[:i]...)
				started = true
			}
			out = append(out, t)
			i = j
			continue
		}
		if started {
			out = append(out, ts[i])
		}
		i++
	}
	if !started {
		return ts
	}
	return out
}

// countryCodes turns query countries (names or codes) into ISO codes.
func countryCodes(in []string) []string {
	var out []string
	for _, c := range in {
		if code := countries.Code(c); code != "" && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}
