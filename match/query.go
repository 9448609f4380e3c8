package match

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/dates"
	"github.com/lexscreen/lexscreen/names"
)

// query is a prepared query.
type query struct {
	looked    []looked     // lookups done, shared by the variants
	cache     *lookupCache // lookups done by earlier queries
	infos     []qtokInfo   // what is known of each distinct query token text
	abjad     bool         // the name is written in a script without short vowels
	cjk       bool         // the name is written in Chinese, Korean or Japanese script
	variants  [][]tok
	vschemas  []lexscreen.Schema // schema each variant was tokenized for
	lookups   [][][]tokMatch     // per variant, per token: the listed tokens it may stand for
	joins     [][]qJoin          // per variant: adjacent tokens written as one
	legal     [][]string         // per variant: the classes of its legal forms ("llc", "jsc")
	reversed  []bool             // per variant: words read backwards (reversedReading)
	schema    lexscreen.Schema
	dobs      []lexscreen.DateValue // what the date of birth may be (each candidate); nil when none was read
	countries []string
	ids       []string
}

// prepare normalises a query. Non-Latin names get transliteration variants.
func (m *Matcher) prepare(q lexscreen.Query) (*query, error) {
	pq := m.prepareName(q)
	pq.setFacts(q)
	return pq, pq.check(q)
}

// setFacts sets what the query says besides its name: the date of birth,
// the countries and the identifiers.
func (pq *query) setFacts(q lexscreen.Query) {
	pq.countries = countryCodes(q.Countries)
	// A date of birth that can't be read costs that evidence, never the
	// screening (the caller warns: dates.Warning).
	if r, err := dates.Read(q.BirthDate); err == nil {
		pq.dobs = r.Dates()
	}
	for _, id := range q.Identifiers {
		if n := normID(id); len(n) >= 4 {
			pq.ids = append(pq.ids, n)
		}
	}
}

// check says why a prepared query can't be screened: nothing to match on.
func (pq *query) check(q lexscreen.Query) error {
	if len(pq.variants) == 0 && len(pq.ids) == 0 {
		if strings.TrimSpace(names.Clean(q.Name)) == "" && strings.TrimSpace(q.Name) == "" {
			return lexscreen.Errorf(lexscreen.EINVALID, "nothing to screen: give a name or an identifier")
		}
		return lexscreen.Errorf(lexscreen.EINVALID, "the name %q has nothing to match on (no letters or digits)", q.Name)
	}
	return nil
}

// prepareName reads the query's name (q.Name, q.Schema and q.Parts; no
// other field): its readings and the lookups of their words.
func (m *Matcher) prepareName(q lexscreen.Query) *query {
	pq := &query{schema: q.Schema, cache: &m.lookups}
	// Read the name as it looks: without invisible characters, with
	// compatibility forms and look-alike letters folded (names.Clean), so
	// that neither they nor the script they seem to be in decide anything.
	q.Name = names.Clean(q.Name)
	switch names.Script(q.Name) {
	case "Arab", "Hebr", "Syrc", "Thaa", // abjads: short vowels unwritten
		// abugidas, whose inherent vowels a transliteration drops
		"Deva", "Beng", "Guru", "Gujr", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Khmr", "Mymr", "Tibt":
		pq.abjad = true
	case "Hani", "Hang", "Jpan", "Kore":
		pq.cjk = true
	}
	schemas := []lexscreen.Schema{q.Schema}
	if q.Schema == "" || q.Schema == lexscreen.SchemaUnknown {
		// Unknown type: read the name both as a person's (no legal forms:
		// "N. A. Budarina" is a person with initials) and as an organisation's.
		schemas = []lexscreen.Schema{lexscreen.SchemaPerson, lexscreen.SchemaOrganization}
		if pq.cjk && letterCount(q.Name) <= 4 {
			// Two to four Chinese, Korean or Japanese characters are a
			// person's name; firms' names in these scripts are longer.
			schemas = schemas[:1]
		}
	}
	var base []names.Token
	for _, schema := range schemas {
		if len(q.Parts) > 0 {
			base = names.TokenizeParts(q.Parts, schema)
		} else {
			base = names.Tokenize(q.Name, schema)
		}
		pq.add(m.ix, base, schema)
	}
	if len(q.Parts) == 0 && names.Script(q.Name) == "Latn" {
		pq.addReversed(m.ix, base, q.Schema)
		if schemas[0] == lexscreen.SchemaPerson {
			pq.addRejoined(m.ix, names.Tokenize(q.Name, lexscreen.SchemaPerson), lexscreen.SchemaPerson)
		}
	}
	if len(q.Parts) == 0 {
		// A word spelt out letter by letter ("P.U.T.I.N", "P U T I N") is
		// also read as the word; initials keep their reading above.
		if joined, ok := names.JoinSpelled(q.Name); ok {
			for _, schema := range schemas {
				pq.add(m.ix, names.Tokenize(joined, schema), schema)
			}
		}
	}
	schema := q.Schema
	if schema == "" || schema == lexscreen.SchemaUnknown {
		schema = lexscreen.SchemaPerson // names in Han or Hangul script on lists are persons' names
	}
	switch names.Script(q.Name) {
	case "Hang", "Kore":
		for _, v := range names.KoreanVariants(q.Name) {
			pq.add(m.ix, names.Tokenize(v, lexscreen.SchemaPerson), lexscreen.SchemaPerson)
		}
	default:
		// Other readings: Korean and Japanese readings of Han characters,
		// loan-word readings of kana and Chinese transcriptions, Hebrew
		// vowel letters, Greek endings, Hungarian spelling.
		if len(q.Parts) == 0 {
			if vs := names.Variants(q.Name); len(vs) > 1 {
				var loan []string
				if pq.cjk {
					loan = names.LoanReadings(q.Name)
				}
				for _, v := range vs[1:] {
					if !slices.Contains(loan, v) {
						pq.add(m.ix, names.Tokenize(v, schema), schema)
						continue
					}
					pq.addLoanReading(m.ix, v, schema)
				}
			}
		}
	}
	switch names.Script(q.Name) {
	case "Hani", "Jpan":
		// Chinese names are written surname + given name; romanised, the
		// given name's syllables are joined: 习近平 -> "xi jinping".
		if len(base) >= 3 {
			joined := []names.Token{base[0], {Text: joinTexts(base[1:]), Kind: names.Word, Pos: 1}}
			pq.add(m.ix, joined, schema)
		}
		if len(base) >= 2 {
			pq.add(m.ix, []names.Token{{Text: joinTexts(base), Kind: names.Word}}, schema)
		}
	}
	pq.looked, pq.infos, pq.cache = nil, nil, nil // needed no more
	return pq
}

// letterCount counts the letters of s.
func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func joinTexts(ts []names.Token) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Text)
	}
	return b.String()
}

func (pq *query) add(ix *Index, in []names.Token, schema lexscreen.Schema) {
	in = canonicalWords(mergeAcronyms(in, schema))
	var v []tok
	var looks [][]tokMatch
	pre := make([][]tokMatch, len(in))
	for i := range in {
		t := tok{text: in[i].Text, kind: in[i].Kind, abjad: pq.abjad, cjk: pq.cjk, looked: true}
		ti := pq.info(ix, t.text)
		t.nicks, t.known = ti.nicks, ti.known
		if len(t.text) >= 2 && t.kind != names.Initial && t.kind != names.Title && t.kind != names.LegalForm {
			t.phon, t.skel, t.canon = ti.keys()
		}
		pre[i] = pq.lookup(ix, &t)
	}
	in, legalish := markParticles(ix, in, schema, pre)
	in = wordsOnly(in, schema)
	var legal []string
	for i, t := range in {
		if t.Kind == names.LegalForm && !(i > 0 && misspeltLegalWord(in[i-1], legalish[i-1])) {
			// (A legal form after a misspelt legal-form word is read
			// only in part, "ANONEEM SIRKETI": its kind is unknown.)
			legal = append(legal, legalClass(t))
		}
		if t.Kind == names.Title || t.Kind == names.LegalForm || t.Text == "" {
			continue
		}
		ti := pq.info(ix, t.Text)
		qt := tok{text: t.Text, kind: t.Kind, part: t.Part, abjad: pq.abjad, cjk: pq.cjk, nicks: ti.nicks, known: ti.known, place: ti.place, legalish: legalish[i],
			title: t.Kind == names.Word && names.IsFoldedTitle(t.Text), facts: factsOf(t.Text)}
		if len(t.Text) >= 2 && t.Kind != names.Initial {
			qt.phon, qt.skel, qt.canon = ti.keys()
		}
		ms := pre[i]
		// Rarity: of the token itself when listed, else of the listed token
		// it most resembles (a misspelt "Limitted" is as common as
		// "Limited"), else that of a name the lists do not hold.
		switch {
		case len(ms) > 0 && (ms[0].sim == 1 || ms[0].sim >= 0.85):
			qt.weight = ix.tok(ms[0].id).weight
		default:
			qt.weight = unknownWeight
		}
		if t.Kind == names.Stop {
			qt.weight *= 0.3
		}
		if qt.legalish {
			// As rare as the legal-form word it resembles: a misspelt
			// "STOK" is as common as "STOCK", however rare the spelling.
			// Legal-form words no listed name holds as a word ("limited"
			// is always part of a legal form) weigh as a common word.
			lw := float32(legalishWeight)
			for _, m := range ms {
				if ix.tok(m.id).legal && ix.tok(m.id).df > 0 {
					lw = min(lw, ix.tok(m.id).weight)
					break
				}
			}
			qt.weight = min(qt.weight, lw)
		}
		qt.looks, qt.looked = ms, true
		v = append(v, qt)
		looks = append(looks, ms)
	}
	if len(v) > 0 {
		for i, o := range pq.variants {
			if sameTexts(o, v) {
				if pq.vschemas[i] != schema {
					// The person and the organisation readings agree:
					// one variant serves every entity type.
					pq.vschemas[i] = ""
				}
				if len(pq.legal[i]) == 0 {
					pq.legal[i] = legal
				}
				return
			}
		}
		pq.variants = append(pq.variants, v)
		pq.lookups = append(pq.lookups, looks)
		pq.joins = append(pq.joins, queryJoins(v))
		pq.legal = append(pq.legal, legal)
		pq.vschemas = append(pq.vschemas, schema)
		pq.reversed = append(pq.reversed, false)
	}
}

// addReversed adds the reading of base with the words read backwards
// that read better so (reversedReading), if there are any.
func (pq *query) addReversed(ix *Index, base []names.Token, schema lexscreen.Schema) {
	rev, flipped := pq.reversedReading(ix, base)
	if len(flipped) == 0 {
		return
	}
	n := len(pq.variants)
	pq.add(ix, rev, schema)
	if len(pq.variants) == n {
		return
	}
	pq.reversed[n] = true
	for i := range pq.variants[n] {
		// A word read backwards is a name word, never an honorific or a
		// misspelt legal form, and is not cheap when it finds no
		// partner, whatever common word it resembles backwards.
		if t := &pq.variants[n][i]; slices.Contains(flipped, t.text) {
			t.flipped, t.legalish, t.title = true, false, false
			t.weight = max(t.weight, unknownWeight)
		}
	}
}

// addRejoined adds the reading of base with adjacent syllables joined where
// their letters run on as listed names write them with the break elsewhere:
// romanised Korean and Chinese names move the hyphen or space of a given
// name ("Kim Jon-gun", "Ri Yo-ngho" for "KIM Jong Un", "RI Yong Ho"), and
// the break is no evidence. Each syllable has at most six letters; the
// joined word is a listed word, or two adjacent listed words broken
// elsewhere (Index tokInfo.splits), so that the reading finds them and
// aligns as a joined word ("jongun" ~ "jong un").
func (pq *query) addRejoined(ix *Index, base []names.Token, schema lexscreen.Schema) {
	var out []names.Token
	var joined []string
	for i := 0; i < len(base); i++ {
		a := base[i]
		if i+1 < len(base) {
			c := base[i+1]
			// (A syllable may be a particle elsewhere: "on", "an", "do".)
			if (a.Kind == names.Word || a.Kind == names.Stop) && (c.Kind == names.Word || c.Kind == names.Stop) && len(a.Text) <= 6 && len(c.Text) <= 6 && len(a.Text)+len(c.Text) >= 5 &&
				isLetters(a.Text) && isLetters(c.Text) {
				if id, ok := ix.tokID(a.Text + c.Text); ok && len(ix.posting(id)) > 0 {
					ti := ix.tok(id)
					if ti.splits&(1<<len(a.Text)) == 0 && (ti.splits != 0 || ti.phon != "") {
						if out == nil {
							out = slices.Clone(base[:i])
						}
						out = append(out, names.Token{Text: a.Text + c.Text, Kind: names.Word, Part: a.Part, Pos: a.Pos})
						joined = append(joined, a.Text+c.Text)
						i++
						continue
					}
				}
			}
		}
		if out != nil {
			out = append(out, a)
		}
	}
	if out == nil {
		return
	}
	n := len(pq.variants)
	pq.add(ix, out, schema)
	if len(pq.variants) == n {
		return
	}
	for i := range pq.variants[n] {
		// A joined word is the listed words run on, or nothing: it
		// neither finds nor aligns with words that merely resemble it
		// ("ryonghae" is no "ryong").
		if t := &pq.variants[n][i]; slices.Contains(joined, t.text) {
			t.rejoined = true
			t.looks = exactLooks(t.looks)
			pq.lookups[n][i] = t.looks
		}
	}
}

// addLoanReading adds the reading v of a foreign name transcribed in
// Chinese characters ("普京", "特朗普"): its longer words are words, not
// syllables, and get the usual spelling tolerance ("pujin" ~ "putin");
// shorter ones match only as they are.
func (pq *query) addLoanReading(ix *Index, v string, schema lexscreen.Schema) {
	n := len(pq.variants)
	pq.cjk = false
	pq.add(ix, names.Tokenize(v, schema), schema)
	pq.cjk = true
	if len(pq.variants) == n {
		return
	}
	for i := range pq.variants[n] {
		if t := &pq.variants[n][i]; len(t.text) < 5 {
			t.cjk = true
			t.looks = exactLooks(t.looks)
			pq.lookups[n][i] = t.looks
		}
	}
}

// exactLooks keeps the exact matches of a token's lookups.
func exactLooks(ms []tokMatch) []tokMatch {
	var out []tokMatch
	for _, m := range ms {
		if m.sim >= 1 {
			out = append(out, m)
		}
	}
	return out
}

// reversedReading reads backwards the words of a Latin-script name that
// no listed word resembles, when backwards they are a listed word: text
// that lost its direction between right-to-left and left-to-right systems,
// or was typed backwards ("nituP" for "Putin"). flipped holds the words
// read backwards; it is empty when no word reads better backwards.
func (pq *query) reversedReading(ix *Index, base []names.Token) (out []names.Token, flipped []string) {
	for i, t := range base {
		if t.Kind != names.Word || len(t.Text) < 4 || !isLetters(t.Text) || pq.closeLook(ix, t.Text, t.Kind, 0.9, true) {
			continue
		}
		r := []byte(t.Text)
		slices.Reverse(r)
		if !pq.closeLook(ix, string(r), t.Kind, 0.86, false) {
			continue
		}
		if out == nil {
			out = slices.Clone(base)
		}
		out[i].Text = string(r)
		flipped = append(flipped, out[i].Text)
	}
	return out, flipped
}

// closeLook reports whether a query word of this text and kind finds a
// listed word at least min alike. The query's own words go through the
// lookup caches; a word read backwards is looked up directly, so that it
// neither pays for nor evicts what the caches keep.
func (pq *query) closeLook(ix *Index, text string, kind names.TokenKind, min float64, own bool) bool {
	t := tok{text: text, kind: kind, looked: true}
	var ms []tokMatch
	if own {
		t.phon, t.skel, t.canon = pq.info(ix, text).keys()
		ms = pq.lookup(ix, &t)
	} else {
		t.phon, t.skel, t.canon = names.Phonetic(text), names.Skeleton(text), translitCanon(text)
		if t.phon == "" {
			t.phon = text
		}
		ms = ix.lookup(&t)
	}
	for _, m := range ms {
		if m.sim >= min {
			return true
		}
	}
	return false
}

// looked is a lookup done for a query token of some text and kind.
type looked struct {
	text string
	kind names.TokenKind
	cjk  bool // looked up as a syllable of a CJK name (stricter)
	ms   []tokMatch
}

// lookup returns ix.lookup(t), once per token text and kind: the variants
// of a query share most of their tokens.
func (pq *query) lookup(ix *Index, t *tok) []tokMatch {
	for i := range pq.looked {
		if l := &pq.looked[i]; l.text == t.text && l.kind == t.kind && l.cjk == t.cjk {
			return l.ms
		}
	}
	var ms []tokMatch
	if pq.cache != nil {
		ms = pq.cache.lookup(ix, t)
	} else {
		ms = ix.lookup(t)
	}
	pq.looked = append(pq.looked, looked{t.text, t.kind, t.cjk, ms})
	return ms
}

// qtokInfo is what the query's variants need of a token text, computed
// once: its nicknames, whether listed names hold it, and (on demand) its
// phonetic key, skeleton and transliteration-canonical form.
type qtokInfo struct {
	text              string
	nicks             []string
	known             bool
	place             bool // placeWord(text)
	fuzzy             bool // phon, skel and canon are set
	phon, skel, canon string
}

func (pq *query) info(ix *Index, text string) *qtokInfo {
	for i := range pq.infos {
		if pq.infos[i].text == text {
			return &pq.infos[i]
		}
	}
	ti := qtokInfo{text: text, nicks: nicksOf(text), place: placeWord(text)}
	if id, ok := ix.tokID(text); ok && ix.tok(id).df > 0 {
		ti.known = true
	}
	pq.infos = append(pq.infos, ti)
	return &pq.infos[len(pq.infos)-1]
}

// keys returns the phonetic key (the text itself when it has none), the
// skeleton and the transliteration-canonical form of the token.
func (ti *qtokInfo) keys() (phon, skel, canon string) {
	if !ti.fuzzy {
		ti.phon, ti.skel, ti.canon, ti.fuzzy = names.Phonetic(ti.text), names.Skeleton(ti.text), translitCanon(ti.text), true
		if ti.phon == "" {
			ti.phon = ti.text
		}
	}
	return ti.phon, ti.skel, ti.canon
}

func sameTexts(a, b []tok) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].text != b[i].text || a[i].kind != b[i].kind || a[i].legalish != b[i].legalish {
			return false
		}
	}
	return true
}

// legalShort are the one-word legal forms of two to four letters (ooo, ood,
// llc, inc, ltd, tov ...), by first letter; legalVowels says whether one of
// them is made of vowels only.
var legalShort, legalVowels = func() (map[byte][]string, bool) {
	m := map[byte][]string{}
	vowels := false
	for w := range names.LegalFormWords() {
		if len(w) >= 2 && len(w) <= 4 && names.IsLegalForm(w) {
			m[w[0]] = append(m[w[0]], w)
			vowels = vowels || !strings.ContainsAny(w, consonants)
		}
	}
	for _, ws := range m {
		slices.Sort(ws)
	}
	return m, vowels
}()

const consonants = "bcdfghjklmnpqrstvwxz"

// looksLegal reports whether a short word at the end of an organisation's
// name is a transliterated or misspelt legal form: one edit from a short
// legal form with the same first letter ("LLK" = LLC, "INK" = INC), or
// vowels only where a legal form is vowels only ("UO" = OOO).
func looksLegal(t string) bool {
	if len(t) < 2 || len(t) > 4 {
		return false
	}
	if legalVowels && !strings.ContainsAny(t, consonants) {
		return true
	}
	for _, w := range legalShort[t[0]] {
		// Four letters are a misspelt four-letter form ("LDTA"), not a
		// three-letter one with a letter added ("DUNN" is not a "DUN").
		if (len(t) < 4 || len(w) == 4) && levenshtein(t, w, 1) <= 1 {
			return true
		}
	}
	return false
}

// misspeltLegalWord reports whether a query token was read as a misspelt
// word of a legal form: flagged legalish, or spelt like a legal-form word
// in its transliteration-canonical form without being one ("ANONEEM"
// before "SIRKETI").
func misspeltLegalWord(t names.Token, legalish bool) bool {
	if legalish {
		return true
	}
	if t.Kind != names.Stop || names.LegalFormWords()[t.Text] {
		return false
	}
	return legalCanons()[translitCanon(t.Text)]
}

// legalCanons holds the transliteration-canonical forms of the words of
// legal forms.
var legalCanons = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for w := range names.LegalFormWords() {
		m[translitCanon(w)] = true
	}
	return m
})

// legalishWeight is the most a word that looks like a misspelt legal-form
// word weighs.
const legalishWeight = 0.3

// unknownWeight is the rarity weight of a query token that no listed name
// holds or resembles.
const unknownWeight = 0.8

// vesselPrefixes are ship-type prefixes written before vessel names.
var vesselPrefixes = map[string]bool{"mv": true, "mt": true, "ms": true, "ss": true, "fv": true, "mmv": true, "mts": true}

// nextToLegal reports whether a neighbour of token i is a legal-form word
// or a legal form.
func nextToLegal(ts []names.Token, i int) bool {
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(ts) && (ts[j].Kind == names.LegalForm || names.LegalFormWords()[ts[j].Text]) {
			return true
		}
	}
	return false
}

// legalLookalike reports whether a token closely resembles a legal-form
// word ("kompany" ~ "company"); with first set (not 0), one that begins
// with that letter ("liimted" ~ "limited", not "pulkkinen" ~ "julkinen").
func legalLookalike(ix *Index, ms []tokMatch, first byte, minSim float64, minLen int) bool {
	for _, m := range ms {
		if t := ix.tok(m.id).text; m.sim >= minSim && ix.tok(m.id).legal && len(t) >= minLen && (first == 0 || t[0] == first) {
			return true
		}
	}
	return false
}

// legalSlip reports whether t is one slip from a legal-form word of minLen
// letters or more among its lookups ("limihed" ~ "limited").
func legalSlip(ix *Index, ms []tokMatch, t string, minLen int) bool {
	for _, m := range ms {
		if w := ix.tok(m.id).text; ix.tok(m.id).legal && len(w) >= minLen && levenshtein(t, w, 1) == 1 {
			return true
		}
	}
	return false
}

// markTitles makes titles and honorifics written after a person's name
// particles ("Krekar Mullah", "Putyin elnok"); the tokenizer already drops
// the ones written before it.
func markTitles(ts []names.Token) []names.Token {
	var out []names.Token
	for i := 1; i < len(ts); i++ {
		if ts[i].Kind == names.Word && names.IsTitle(ts[i].Text) {
			if out == nil {
				out = slices.Clone(ts)
			}
			out[i].Kind = names.Stop
		}
	}
	if out == nil {
		return ts
	}
	return out
}

// markParticles turns words that carry little identity in names of
// organisations, vessels and aircraft into particles: a vessel prefix
// ("MV GAS DIOR") and legal-form words left over when a legal form was not
// recognised whole ("Limited Liability Kompany"). looks, when given, are the
// listed tokens each token may stand for; with them it also reports the
// words that look like misspelt or transliterated legal-form words
// ("JOINT STOK COMPANY", "LIIMTED", "INK"): they stay words, since they may
// be name words too, but cost little when a listed name lacks them.
// Persons' names are left alone.
func markParticles(ix *Index, ts []names.Token, schema lexscreen.Schema, looks [][]tokMatch) ([]names.Token, []bool) {
	legalish := make([]bool, len(ts))
	if len(ts) < 2 {
		return ts, legalish
	}
	if schema == lexscreen.SchemaPerson {
		return markTitles(ts), legalish
	}
	var out []names.Token
	var lookalikes []int
	mark := func(i int) {
		if out == nil {
			out = slices.Clone(ts)
		}
		out[i].Kind = names.Stop
	}
	// beside reports whether a neighbour of token i is a legal form, a
	// legal-form word or a word already taken for a misspelt one.
	beside := func(i int) bool {
		return nextToLegal(ts, i) || slices.Contains(lookalikes, i-1) || slices.Contains(lookalikes, i+1)
	}
	// Two passes, so that misspelt legal-form words next to each other
	// are found ("JOINT STOK KOMPANY").
	for pass := 0; pass < 2; pass++ {
		for i, t := range ts {
			if t.Kind != names.Word || out != nil && out[i].Kind != names.Word || romanNumeral(t.Text) {
				continue
			}
			switch {
			case i == 0 && vesselPrefixes[t.Text]:
				mark(i)
			case names.LegalFormWords()[t.Text]:
				mark(i)
			case looks == nil && i == len(ts)-1 && looksLegal(t.Text):
				mark(i) // a listed "SIEMENS AKG": a misspelt legal form at the end
			case looks == nil:
			case len(t.Text) >= 4 && beside(i) && legalLookalike(ix, looks[i], 0, 0.84, 4):
				// "JONIT STOCK COMPANY", "LIMITED LIABBILTY": misspelt words of a
				// legal form beside another; alone, "Kaufman" is a name, not
				// "Kaufmann".
				mark(i)
				lookalikes = append(lookalikes, i)
			case i == len(ts)-1 && (len(looks[i]) == 0 || looks[i][0].sim < 1) && looksLegal(t.Text):
				mark(i) // "TSARGRAD-MEDIA UO" = "... OOO", "GREEN ALPINE TRADING, LLK"
			case i == len(ts)-1 && len(t.Text) >= 5 && (len(looks[i]) == 0 || looks[i][0].sim < 1) &&
				(len(ts) >= 3 && legalLookalike(ix, looks[i], t.Text[0], 0.84, 5) || legalSlip(ix, looks[i], t.Text, 6)):
				// (In a name of two words the last is more often a surname
				// that looks like a short legal-form word, "Daniel Sousa":
				// only a close likeness to a long one counts, "LIMIHED".)
				legalish[i] = true // "... INK" (a listed word too), "... LIIMTED"
			case !hasVowel(t.Text) && (len(looks[i]) == 0 || looks[i][0].sim < 1) && legalLookalike(ix, looks[i], t.Text[0], 0.9, 2):
				legalish[i] = true // "JSC PMK WAGNER CENTRE": PMC is a legal form
			}
		}
	}
	if out == nil {
		return ts, legalish
	}
	// A name made only of particles keeps its words: first the ones that
	// only look like legal-form words ("SOLIDARNOST" ~ "solidarnom"), then
	// the legal-form words ("MV WU XIAN": "wu" and "xian" are words of
	// Chinese legal forms); a vessel prefix stays one.
	for step := 0; step < 3; step++ {
		switch step {
		case 1:
			for _, i := range lookalikes {
				out[i].Kind = names.Word
				legalish[i] = true
			}
		case 2:
			for i := range out {
				if out[i].Kind == names.Stop && ts[i].Kind == names.Word && !(i == 0 && vesselPrefixes[ts[i].Text]) {
					out[i].Kind = names.Word
				}
			}
		}
		for _, t := range out {
			if t.Kind == names.Word {
				return out, legalish
			}
		}
	}
	return ts, legalish
}
