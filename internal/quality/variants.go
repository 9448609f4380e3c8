package quality

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

// Variation kinds a Variant's Kind is made of ("+"-joined, in the order
// they were applied).
const (
	KindTypo             = "typo"               // one insertion, deletion, keyboard-neighbour substitution or transposition
	KindTranslit         = "translit"           // rule-based transliteration variant (ou/u, kh/h, -ov/-off, Mohammed/Muhammad ...)
	KindReorder          = "reorder"            // surname first <-> last ("LAST, First" -> "First LAST")
	KindDropMiddle       = "drop_middle"        // a middle name left out
	KindAddMiddle        = "add_middle"         // a common given name added as middle name
	KindInitials         = "initials"           // given (and middle) names as initials: "J. Smith"
	KindNoDiacritics     = "no_diacritics"      // "Müller" -> "Muller"
	KindCase             = "case"               // ALL CAPS, lower case or Title Case
	KindLegalForm        = "legal_form"         // LLC <-> Limited Liability Company, OOO -> LLC ...
	KindLegalFormRemoved = "legal_form_removed" // legal form dropped
	KindThe              = "the"                // "The" added (or removed)
	KindVesselPrefix     = "vessel_prefix"      // "MV" added (or removed)
	KindDOB              = "dob"                // the listed date of birth attached to the query
	KindDOBYear          = "dob_year"           // the year of birth attached to the query
)

// Variant is a query made from a listed name by realistic variation, and
// the entity it must find.
type Variant struct {
	Query    lexscreen.Query  `json:"query"`
	EntityID string           `json:"entity_id"`
	Schema   lexscreen.Schema `json:"schema"`
	Kind     string           `json:"kind"`     // "+"-joined variation kinds, e.g. "typo+dob_year"
	Original string           `json:"original"` // the listed name that was varied
}

// Kinds splits v.Kind into its variation kinds.
func (v Variant) Kinds() []string { return strings.Split(v.Kind, "+") }

type nameSource struct {
	e    *lexscreen.Entity
	name lexscreen.Name
}

// Variants generates n recall-benchmark queries from the listed names of
// entities, deterministically for a seed (entities are sorted by ID first,
// so their order does not matter). It takes primary and (strong) alias
// names in Latin script of persons (~60%), organisations (~32%) and vessels
// (~8%); weak aliases and former names are never used, nor names with a
// token of fewer than 2 letters. Each variant applies one or two
// variations, and about half of the person variants whose entity has a
// date of birth carry it (as listed, or its year only). Fewer than n
// variants come back only when the entities offer too few usable names.
func Variants(entities []*lexscreen.Entity, n int, seed int64) []Variant {
	es := append([]*lexscreen.Entity(nil), entities...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	pools := map[lexscreen.Schema][][]nameSource{}
	for _, e := range es {
		if e == nil {
			continue
		}
		var names []nameSource
		for _, nm := range e.Names {
			if usableName(e.Schema, nm) {
				names = append(names, nameSource{e, nm})
			}
		}
		if len(names) > 0 {
			pools[e.Schema] = append(pools[e.Schema], names)
		}
	}
	shares := []struct {
		schema lexscreen.Schema
		w      float64
	}{{lexscreen.SchemaPerson, 0.60}, {lexscreen.SchemaOrganization, 0.32}, {lexscreen.SchemaVessel, 0.08}}
	var total float64
	for _, s := range shares {
		if len(pools[s.schema]) > 0 {
			total += s.w
		}
	}
	if total == 0 || n <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	seen := map[string]bool{}
	var out []Variant
	for attempts := 0; len(out) < n && attempts < 30*n+100; attempts++ {
		x := rng.Float64() * total
		var schema lexscreen.Schema
		for _, s := range shares {
			if len(pools[s.schema]) == 0 {
				continue
			}
			schema = s.schema
			if x < s.w {
				break
			}
			x -= s.w
		}
		ents := pools[schema]
		names := ents[rng.IntN(len(ents))]
		src := names[0]
		if len(names) > 1 && rng.IntN(3) > 0 {
			src = names[rng.IntN(len(names))]
		}
		v, ok := makeVariant(rng, src)
		if !ok {
			continue
		}
		key := v.EntityID + "\x00" + v.Query.Name + "\x00" + v.Query.BirthDate
		if seen[key] {
			continue
		}
		seen[key] = true
		v.Query.ID = fmt.Sprintf("variant:%d", len(out))
		out = append(out, v)
	}
	return out
}

// usableName reports whether a listed name can be varied sensibly.
func usableName(schema lexscreen.Schema, nm lexscreen.Name) bool {
	if nm.Kind != lexscreen.NamePrimary && nm.Kind != lexscreen.NameAlias {
		return false
	}
	if (nm.Script != "" && nm.Script != "Latn") || !isLatin(nm.Full) || letters(nm.Full) == 0 {
		return false
	}
	toks := strings.Fields(strings.ReplaceAll(nm.Full, ",", " , "))
	var words int
	for _, t := range toks {
		if t == "," {
			continue
		}
		words++
		if letters(t) < 2 {
			return false
		}
	}
	if strings.Count(nm.Full, ",") > 1 {
		return false
	}
	switch schema {
	case lexscreen.SchemaPerson:
		if strings.ContainsAny(nm.Full, "0123456789()/\"") {
			return false
		}
		return words >= 2 && words <= 6
	case lexscreen.SchemaOrganization:
		return words >= 1 && words <= 10 && letters(nm.Full) >= 4 && !strings.ContainsAny(nm.Full, "()\"")
	case lexscreen.SchemaVessel:
		return words >= 1 && words <= 5 && letters(nm.Full) >= 3
	}
	return false
}

// transform is one variation: applicable reports whether it can apply,
// apply does it (false when it turned out not to).
type transform struct {
	kind       string
	weight     float64
	applicable func(*vname) bool
	apply      func(*rand.Rand, *vname) bool
	// stage orders the application: structure first, then tokens, then
	// the whole string.
	stage int
}

// vname is a name being varied. Persons keep their structure (given,
// middle, family, order); other names are just tokens (in given).
type vname struct {
	schema       lexscreen.Schema
	gender       string
	given        []string
	middle       []string
	family       []string
	surnameFirst bool
	prefix       string // "The " or "MV " etc.
	final        string // set by whole-string stages
}

func (v *vname) tokens() []string {
	var out []string
	if v.surnameFirst {
		out = append(append(append(out, v.family...), v.given...), v.middle...)
	} else {
		out = append(append(append(out, v.given...), v.middle...), v.family...)
	}
	return out
}

func (v *vname) render() string {
	if v.final != "" {
		return v.final
	}
	return v.prefix + strings.Join(v.tokens(), " ")
}

// tokenRefs returns pointers to every token, for token-level edits.
func (v *vname) tokenRefs() []*string {
	var out []*string
	for _, s := range [][]string{v.given, v.middle, v.family} {
		for i := range s {
			out = append(out, &s[i])
		}
	}
	return out
}

var particles = map[string]bool{
	"bin": true, "ibn": true, "bint": true, "al": true, "el": true, "abu": true, "abd": true, "ben": true,
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true, "del": true, "della": true,
	"di": true, "dos": true, "das": true, "du": true, "le": true, "la": true, "ould": true, "ag": true,
}

func parsePerson(nm lexscreen.Name) *vname {
	v := &vname{schema: lexscreen.SchemaPerson}
	if i := strings.Index(nm.Full, ","); i >= 0 {
		v.family = strings.Fields(nm.Full[:i])
		rest := strings.Fields(nm.Full[i+1:])
		if len(v.family) == 0 || len(rest) == 0 {
			return nil
		}
		v.given, v.middle, v.surnameFirst = rest[:1], rest[1:], true
		return v
	}
	toks := strings.Fields(nm.Full)
	if len(toks) < 2 {
		return nil
	}
	// a family name the list tagged that opens the name: "KIM Jong Un".
	for _, p := range nm.Parts {
		if p.Kind == lexscreen.PartFamily {
			ft := strings.Fields(p.Value)
			if len(ft) > 0 && len(ft) < len(toks) && strings.EqualFold(strings.Join(toks[:len(ft)], " "), p.Value) &&
				!strings.EqualFold(strings.Join(toks[len(toks)-len(ft):], " "), p.Value) {
				// the rest is the given name ("Jong Un"), not given + middle.
				v.family, v.given, v.surnameFirst = toks[:len(ft)], toks[len(ft):], true
				return v
			}
			break
		}
	}
	// family name: the last token with the particles before it.
	f := len(toks) - 1
	for f > 1 && particles[strings.ToLower(toks[f-1])] {
		f--
	}
	v.given, v.middle, v.family = toks[:1], toks[1:f], toks[f:]
	return v
}

func parseOther(schema lexscreen.Schema, full string) *vname {
	toks := strings.Fields(full)
	if len(toks) == 0 {
		return nil
	}
	return &vname{schema: schema, given: toks}
}

func makeVariant(rng *rand.Rand, src nameSource) (Variant, bool) {
	var v *vname
	if src.e.Schema == lexscreen.SchemaPerson {
		v = parsePerson(src.name)
	} else {
		v = parseOther(src.e.Schema, src.name.Full)
	}
	if v == nil {
		return Variant{}, false
	}
	v.gender = strings.ToLower(src.e.Gender)
	var cands []transform
	var wsum float64
	for _, t := range transforms {
		if t.applicable(v) {
			cands = append(cands, t)
			wsum += t.weight
		}
	}
	if len(cands) == 0 {
		return Variant{}, false
	}
	k := 1
	if rng.IntN(100) < 35 && len(cands) > 1 {
		k = 2
	}
	var chosen []transform
	for len(chosen) < k {
		x := rng.Float64() * wsum
		for i, t := range cands {
			if x < t.weight || i == len(cands)-1 {
				chosen = append(chosen, t)
				wsum -= t.weight
				cands = append(cands[:i:i], cands[i+1:]...)
				break
			}
			x -= t.weight
		}
		if conflicting(chosen) {
			return Variant{}, false
		}
	}
	sort.SliceStable(chosen, func(i, j int) bool { return chosen[i].stage < chosen[j].stage })
	var kinds []string
	for _, t := range chosen {
		if t.apply(rng, v) {
			kinds = append(kinds, t.kind)
		}
	}
	name := v.render()
	if len(kinds) == 0 || name == src.name.Full || strings.TrimSpace(name) == "" {
		return Variant{}, false
	}
	q := lexscreen.Query{Name: name}
	if src.e.Schema == lexscreen.SchemaPerson && rng.IntN(2) == 0 {
		if d, ok := listedDOB(src.e); ok {
			if d.Precision() == "year" || rng.IntN(2) == 0 {
				q.BirthDate = d.String()
				kinds = append(kinds, KindDOB)
			} else {
				q.BirthDate = fmt.Sprintf("%04d", d.Year)
				kinds = append(kinds, KindDOBYear)
			}
		}
	}
	return Variant{Query: q, EntityID: src.e.ID, Schema: src.e.Schema, Kind: strings.Join(kinds, "+"), Original: src.name.Full}, true
}

func conflicting(ts []transform) bool {
	has := map[string]bool{}
	for _, t := range ts {
		has[t.kind] = true
	}
	return (has[KindDropMiddle] && has[KindAddMiddle]) || (has[KindLegalForm] && has[KindLegalFormRemoved]) ||
		(has[KindInitials] && has[KindAddMiddle])
}

// listedDOB is the entity's first valid, single (not range) birth date.
func listedDOB(e *lexscreen.Entity) (lexscreen.PartialDate, bool) {
	for _, d := range e.BirthDates {
		if !d.From.IsZero() && d.From.Valid() && (d.To.IsZero() || d.To == d.From) {
			return d.From, true
		}
	}
	return lexscreen.PartialDate{}, false
}

func isPerson(v *vname) bool { return v.schema == lexscreen.SchemaPerson }
func isOrg(v *vname) bool    { return v.schema == lexscreen.SchemaOrganization }

var transforms = []transform{
	{kind: KindReorder, weight: 2, stage: 0, applicable: isPerson,
		apply: func(_ *rand.Rand, v *vname) bool { v.surnameFirst = !v.surnameFirst; return true }},
	{kind: KindDropMiddle, weight: 1.5, stage: 0,
		applicable: func(v *vname) bool { return isPerson(v) && len(v.middle) > 0 },
		apply: func(r *rand.Rand, v *vname) bool {
			i := r.IntN(len(v.middle))
			v.middle = append(v.middle[:i:i], v.middle[i+1:]...)
			return true
		}},
	{kind: KindAddMiddle, weight: 1, stage: 0,
		applicable: func(v *vname) bool { return isPerson(v) && len(v.middle) <= 1 && len(v.tokens()) <= 4 },
		apply: func(r *rand.Rand, v *vname) bool {
			pool := maleMiddle
			if strings.HasPrefix(v.gender, "f") {
				pool = femaleMiddle
			}
			m := pool[r.IntN(len(pool))]
			for _, t := range v.tokens() {
				if strings.EqualFold(t, m) {
					return false
				}
			}
			v.middle = append([]string{caseLike(v.given[0], m)}, v.middle...)
			return true
		}},
	{kind: KindInitials, weight: 1.5, stage: 0,
		applicable: func(v *vname) bool { return isPerson(v) && len(v.family) > 0 && len(v.given) > 0 },
		apply: func(r *rand.Rand, v *vname) bool {
			dot := r.IntN(5) > 0
			for i := range v.given {
				v.given[i] = initial(v.given[i], dot)
			}
			if r.IntN(2) == 0 {
				for i := range v.middle {
					v.middle[i] = initial(v.middle[i], dot)
				}
			}
			return true
		}},
	{kind: KindLegalForm, weight: 2, stage: 0,
		applicable: func(v *vname) bool { return isOrg(v) && findForm(v.given) != nil },
		apply: func(r *rand.Rand, v *vname) bool {
			m := findForm(v.given)
			alts := m.group.alternatives(m.spelling)
			if len(alts) == 0 {
				return false
			}
			cur := strings.ReplaceAll(strings.ToLower(strings.Join(v.given[m.start:m.end], " ")), ".", "")
			var fresh []string
			for _, a := range alts {
				if strings.ReplaceAll(a, ".", "") != cur {
					fresh = append(fresh, a)
				}
			}
			if len(fresh) == 0 {
				return false
			}
			alt := strings.Fields(fresh[r.IntN(len(fresh))])
			model := strings.Join(v.given, " ")
			for i := range alt {
				alt[i] = formCase(model, alt[i])
			}
			v.given = splice(v.given, m.start, m.end, alt)
			return true
		}},
	{kind: KindLegalFormRemoved, weight: 1.5, stage: 0,
		applicable: func(v *vname) bool {
			m := findForm(v.given)
			return isOrg(v) && m != nil && letters(strings.Join(splice(v.given, m.start, m.end, nil), "")) >= 4
		},
		apply: func(_ *rand.Rand, v *vname) bool {
			m := findForm(v.given)
			v.given = splice(v.given, m.start, m.end, nil)
			if n := len(v.given); n > 0 {
				v.given[n-1] = strings.TrimRight(v.given[n-1], ",")
			}
			return len(v.given) > 0
		}},
	{kind: KindThe, weight: 1, stage: 0, applicable: isOrg,
		apply: func(_ *rand.Rand, v *vname) bool {
			if strings.EqualFold(v.given[0], "the") {
				if len(v.given) < 2 {
					return false
				}
				v.given = v.given[1:]
				return true
			}
			v.prefix = caseLike(v.given[0], "The") + " "
			return true
		}},
	{kind: KindVesselPrefix, weight: 1, stage: 0,
		applicable: func(v *vname) bool { return v.schema == lexscreen.SchemaVessel },
		apply: func(r *rand.Rand, v *vname) bool {
			switch strings.ToUpper(strings.Trim(v.given[0], ".")) {
			case "MV", "M/V", "M.V", "MT", "M/T", "SS":
				if len(v.given) < 2 {
					return false
				}
				v.given = v.given[1:]
				return true
			}
			v.prefix = []string{"MV ", "M/V ", "MT "}[r.IntN(3)]
			return true
		}},
	{kind: KindTranslit, weight: 3, stage: 1,
		applicable: func(v *vname) bool { return len(translitCandidates(v)) > 0 },
		apply: func(r *rand.Rand, v *vname) bool {
			cs := translitCandidates(v)
			if len(cs) == 0 {
				return false
			}
			c := cs[r.IntN(len(cs))]
			c.apply(v)
			return true
		}},
	{kind: KindTypo, weight: 3, stage: 1,
		applicable: func(v *vname) bool { return len(typoTargets(v)) > 0 },
		apply: func(r *rand.Rand, v *vname) bool {
			ts := typoTargets(v)
			if len(ts) == 0 {
				return false
			}
			t := ts[r.IntN(len(ts))]
			n := 1
			if len([]rune(*t)) >= 8 && r.IntN(10) < 3 {
				n = 2
			}
			s, ok := typo(r, *t, n)
			if ok {
				*t = s
			}
			return ok
		}},
	{kind: KindNoDiacritics, weight: 2, stage: 2,
		applicable: func(v *vname) bool { r := v.render(); return foldDiacritics(r) != r },
		apply:      func(_ *rand.Rand, v *vname) bool { v.final = foldDiacritics(v.render()); return true }},
	{kind: KindCase, weight: 1, stage: 3,
		applicable: func(v *vname) bool { return true },
		apply: func(r *rand.Rand, v *vname) bool {
			s := v.render()
			opts := []string{strings.ToUpper(s), strings.ToLower(s), titleWords(s)}
			r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
			for _, o := range opts {
				if o != s {
					v.final = o
					return true
				}
			}
			return false
		}},
}

var (
	maleMiddle   = []string{"John", "Ali", "Mohammed", "Ahmad", "Michael", "Jose", "Juan", "Alexander", "Ivan", "Hassan", "Abdul", "David", "Peter", "Paul", "Joseph", "Omar", "Yusuf", "Sergei", "Nikolai", "James"}
	femaleMiddle = []string{"Maria", "Anna", "Fatima", "Elena", "Marie", "Ann", "Elizabeth", "Olga", "Aisha", "Sofia"}
)

func titleWords(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		ws[i] = titleWord(w)
	}
	return strings.Join(ws, " ")
}

func initial(tok string, dot bool) string {
	for _, r := range tok {
		if unicode.IsLetter(r) {
			s := string(unicode.ToUpper(r))
			if dot {
				s += "."
			}
			return s
		}
	}
	return tok
}

func splice(s []string, i, j int, with []string) []string {
	out := append([]string(nil), s[:i]...)
	out = append(out, with...)
	return append(out, s[j:]...)
}

// ---- typos ----

var qwertyRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keyNeighbours maps each lower-case letter to the letters next to it on a
// QWERTY keyboard (same row and the rows above and below).
var keyNeighbours = func() map[rune][]rune {
	pos := map[rune][2]int{}
	for r, row := range qwertyRows {
		for c, ch := range row {
			pos[ch] = [2]int{r, c}
		}
	}
	m := map[rune][]rune{}
	for a, pa := range pos {
		for b, pb := range pos {
			if a == b {
				continue
			}
			dr, dc := pa[0]-pb[0], pa[1]-pb[1]
			// rows are staggered: the row below is shifted right by about half a key.
			if dr == 0 && (dc == 1 || dc == -1) || dr == 1 && (dc == 0 || dc == 1) || dr == -1 && (dc == 0 || dc == -1) {
				m[a] = append(m[a], b)
			}
		}
	}
	for k := range m {
		sort.Slice(m[k], func(i, j int) bool { return m[k][i] < m[k][j] })
	}
	return m
}()

// typoTargets are the tokens of at least 4 letters (all letters).
func typoTargets(v *vname) []*string {
	var out []*string
	for _, t := range v.tokenRefs() {
		if letters(*t) >= 4 && letters(*t) == len([]rune(strings.Trim(*t, ".,'-"))) {
			out = append(out, t)
		}
	}
	return out
}

// typo applies n (1 or 2) edits to tok: keyboard-neighbour substitution,
// insertion (a neighbouring key or the letter doubled), deletion, or
// transposition of adjacent letters. The token's case style is kept.
func typo(r *rand.Rand, tok string, n int) (string, bool) {
	allUpper := tok == strings.ToUpper(tok)
	rs := []rune(strings.ToLower(tok))
	edits := 0
	last := -10
	for try := 0; try < 16 && edits < n; try++ {
		var idx []int // letter positions away from the last edit; the first letter less often
		for i, c := range rs {
			if unicode.IsLetter(c) && (i < last-1 || i > last+1) && (i > 0 || r.IntN(4) == 0) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			break
		}
		i := idx[r.IntN(len(idx))]
		nb := keyNeighbours[rs[i]]
		var out []rune
		switch r.IntN(4) {
		case 0: // substitution by a keyboard neighbour
			if len(nb) == 0 {
				continue
			}
			out = append([]rune(nil), rs...)
			out[i] = nb[r.IntN(len(nb))]
		case 1: // insertion after i
			c := rs[i]
			if len(nb) > 0 && r.IntN(2) == 0 {
				c = nb[r.IntN(len(nb))]
			}
			out = append(append(append([]rune(nil), rs[:i+1]...), c), rs[i+1:]...)
		case 2: // deletion
			if letters(string(rs)) <= 3 {
				continue
			}
			out = append(append([]rune(nil), rs[:i]...), rs[i+1:]...)
		case 3: // transposition with the next letter
			if i+1 >= len(rs) || !unicode.IsLetter(rs[i+1]) || rs[i+1] == rs[i] {
				continue
			}
			out = append([]rune(nil), rs...)
			out[i], out[i+1] = out[i+1], out[i]
		}
		rs, last = out, i
		edits++
	}
	var s string
	switch {
	case allUpper:
		s = strings.ToUpper(string(rs))
	case tok == strings.ToLower(tok):
		s = string(rs)
	default:
		s = titleWord(string(rs))
	}
	return s, edits > 0 && !strings.EqualFold(s, tok)
}

// ---- legal forms ----

type formGroup struct {
	spellings []string // lower case, tokens separated by one space, no dots
	// translations are spellings of other groups this form may be replaced by
	translations []string
}

func (g *formGroup) alternatives(current string) []string {
	var out []string
	for _, s := range append(append([]string(nil), g.spellings...), g.translations...) {
		if s != current {
			out = append(out, s)
		}
	}
	return out
}

var legalForms = []*formGroup{
	{spellings: []string{"llc", "limited liability company", "l.l.c."}},
	{spellings: []string{"ltd", "limited", "ltd."}},
	{spellings: []string{"co ltd", "company limited", "co., ltd."}},
	{spellings: []string{"jsc", "joint stock company", "joint-stock company"}},
	{spellings: []string{"ojsc", "open joint stock company"}, translations: []string{"oao"}},
	{spellings: []string{"cjsc", "closed joint stock company"}, translations: []string{"zao"}},
	{spellings: []string{"pjsc", "public joint stock company"}, translations: []string{"pao"}},
	{spellings: []string{"inc", "incorporated", "inc."}},
	{spellings: []string{"corp", "corporation", "corp."}},
	{spellings: []string{"co", "company", "co."}},
	{spellings: []string{"plc", "public limited company"}},
	{spellings: []string{"llp", "limited liability partnership"}},
	{spellings: []string{"gmbh", "gesellschaft mit beschrankter haftung"}},
	{spellings: []string{"ag", "aktiengesellschaft"}},
	{spellings: []string{"sa", "s.a.", "societe anonyme"}},
	{spellings: []string{"srl", "s.r.l."}},
	{spellings: []string{"bv", "b.v."}},
	{spellings: []string{"ooo", "obshchestvo s ogranichennoy otvetstvennostyu"}, translations: []string{"llc"}},
	{spellings: []string{"oao"}, translations: []string{"ojsc", "open joint stock company"}},
	{spellings: []string{"zao"}, translations: []string{"cjsc", "closed joint stock company"}},
	{spellings: []string{"pao"}, translations: []string{"pjsc", "public joint stock company"}},
	{spellings: []string{"ao"}, translations: []string{"jsc", "joint stock company"}},
	{spellings: []string{"fze", "free zone establishment"}},
	{spellings: []string{"fzco", "free zone company"}},
	{spellings: []string{"pte ltd", "private limited"}},
	{spellings: []string{"sdn bhd", "sendirian berhad"}},
}

type formMatch struct {
	group      *formGroup
	spelling   string
	start, end int
}

func normForm(tok string) string {
	return strings.ToLower(foldDiacritics(strings.Trim(tok, ".,;()")))
}

type formSpelling struct {
	group    *formGroup
	spelling string
	toks     []string // normalised: lower case, no dots
}

var formSpellings = func() []formSpelling {
	var out []formSpelling
	for _, g := range legalForms {
		for _, sp := range g.spellings {
			if sp == "co., ltd." {
				continue // same as "co ltd" once normalised
			}
			out = append(out, formSpelling{g, sp, strings.Fields(strings.ReplaceAll(sp, ".", ""))})
		}
	}
	return out
}()

// findForm finds the longest legal form at the end (else at the start) of
// the tokens; it never takes the whole name.
func findForm(toks []string) *formMatch {
	norm := make([]string, len(toks))
	for i, t := range toks {
		norm[i] = strings.ReplaceAll(normForm(t), ".", "")
	}
	var best *formMatch
	for _, atStart := range []bool{false, true} {
		for _, fs := range formSpellings {
			n := len(fs.toks)
			if n >= len(toks) || best != nil && n <= best.end-best.start {
				continue
			}
			start := len(toks) - n
			if atStart {
				start = 0
			}
			if slices.Equal(norm[start:start+n], fs.toks) {
				best = &formMatch{group: fs.group, spelling: fs.spelling, start: start, end: start + n}
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// formCase writes a legal-form word in the case style of the name: all
// upper case in an upper-case name, all lower in a lower-case one;
// otherwise abbreviations ("LLC", "JSC") upper case and words Title Case.
func formCase(name, word string) string {
	switch {
	case name == strings.ToUpper(name):
		return strings.ToUpper(word)
	case name == strings.ToLower(name):
		return word
	case len(strings.ReplaceAll(word, ".", "")) <= 4 && !strings.Contains(word, "-") && !isWordLike(word):
		return strings.ToUpper(word)
	}
	return titleWord(word)
}

// isWordLike tells short real words ("co", "ltd", "inc", "corp") from
// acronyms ("llc", "jsc", "ag"), for casing.
func isWordLike(w string) bool {
	switch strings.Trim(w, ".,") {
	case "co", "ltd", "inc", "corp", "pte", "sdn", "bhd":
		return true
	}
	return false
}

// ---- transliteration ----

type translitEdit struct {
	apply func(*vname)
}

// equivalent spellings of whole name words.
var wordSets = [][]string{
	{"mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohamad"},
	{"ahmed", "ahmad"},
	{"yusuf", "yousef", "youssef", "yousuf", "yusef"},
	{"abdel", "abdul", "abdal"},
	{"abdullah", "abdallah", "abdulla"},
	{"hussein", "husain", "hussain", "husayn", "hossein"},
	{"hassan", "hasan"},
	{"osama", "usama"},
	{"omar", "umar"},
	{"mahmoud", "mahmud", "mahmood"},
	{"khaled", "khalid"},
	{"mustafa", "mostafa", "moustafa"},
	{"said", "saeed", "sayed", "saied"},
	{"nasser", "nasir", "naser"},
	{"rashid", "rasheed", "rachid"},
	{"hamid", "hamed"},
	{"rahman", "rehman"},
	{"aleksandr", "alexander", "alexandr", "aleksander"},
	{"alexey", "aleksei", "alexei", "aleksey"},
	{"sergey", "sergei", "serguei"},
	{"yuri", "yury", "yuriy", "iouri", "juri"},
	{"evgeny", "yevgeny", "evgeniy", "evgenii", "jewgeni"},
	{"mikhail", "michail"},
	{"tatiana", "tatyana"},
	{"natalia", "natalya"},
	{"dmitry", "dmitri", "dmitriy", "dmitrii"},
	{"andrey", "andrei"},
	{"nikolay", "nikolai"},
	{"ali", "aly"},
	{"jose", "josé"},
}

var wordSetIndex = func() map[string][]string {
	m := map[string][]string{}
	for _, s := range wordSets {
		for _, w := range s {
			for _, o := range s {
				if o != w && !slices.Contains(m[w], o) {
					m[w] = append(m[w], o)
				}
			}
		}
	}
	return m
}()

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
func isCons(c byte) bool  { return c >= 'a' && c <= 'z' && !isVowel(c) }

// translitWord returns transliteration variants of one lower-case,
// ASCII word.
func translitWord(w string) []string {
	var out []string
	add := func(s string) {
		if s != w && letters(s) >= 2 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, o := range wordSetIndex[w] {
		add(o)
	}
	// al-X / el-X
	for _, p := range []string{"al-", "el-", "ul-", "ad-", "ash-", "as-", "at-", "ar-", "an-", "az-"} {
		if strings.HasPrefix(w, p) && len(w) > len(p)+2 {
			rest := w[len(p):]
			add(p[:len(p)-1] + rest)       // alX
			add(p[:len(p)-1] + " " + rest) // al X
			if p == "al-" {
				add("el-" + rest)
			} else if p == "el-" {
				add("al-" + rest)
			}
		}
	}
	sub := func(from, to string, ok func(i int) bool) {
		for i := strings.Index(w, from); i >= 0; {
			if ok == nil || ok(i) {
				add(w[:i] + to + w[i+len(from):])
			}
			j := strings.Index(w[i+1:], from)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	end := func(from string) func(int) bool { return func(i int) bool { return i+len(from) == len(w) } }
	start := func(i int) bool { return i == 0 }
	mid := func(i int) bool { return i > 0 }
	sub("ou", "u", nil)
	sub("u", "ou", func(i int) bool {
		return i > 0 && i+1 < len(w) && isCons(w[i-1]) && w[i-1] != 'q' && isCons(w[i+1])
	})
	sub("ph", "f", nil)
	sub("f", "ph", func(i int) bool { return i > 0 && i == len(w)-1 })
	sub("kh", "h", nil)
	sub("h", "kh", func(i int) bool { return i == 0 && len(w) > 1 && isVowel(w[1]) })
	sub("sch", "sh", nil)
	sub("sh", "sch", func(i int) bool { return i == 0 || w[i-1] != 's' && w[i-1] != 'c' })
	sub("w", "v", nil)
	sub("v", "w", func(i int) bool {
		return i > 0 && (strings.HasSuffix(w[:i+1], "ov") || strings.HasSuffix(w[:i+1], "ev")) && i == len(w)-1
	})
	sub("c", "k", func(i int) bool {
		return (i+1 < len(w) && strings.IndexByte("aou", w[i+1]) >= 0 || i == len(w)-1) && (i == 0 || w[i-1] != 's')
	})
	sub("k", "c", func(i int) bool {
		return i+1 < len(w) && strings.IndexByte("aou", w[i+1]) >= 0 && (i == 0 || w[i-1] != 'c' && w[i-1] != 's')
	})
	sub("ck", "k", nil)
	sub("ee", "i", nil)
	sub("i", "ee", func(i int) bool {
		return len(w) >= 5 && i == len(w)-2 && isCons(w[i-1]) && strings.IndexByte("dmrfl", w[i+1]) >= 0
	})
	sub("oo", "u", nil)
	sub("q", "k", func(i int) bool { return i+1 < len(w) && w[i+1] != 'u' })
	sub("ks", "x", nil)
	sub("x", "ks", mid)
	sub("tch", "ch", nil)
	sub("dzh", "j", nil)
	sub("j", "dzh", func(i int) bool { return i == 0 && len(w) > 1 && isVowel(w[1]) && w[1] != 'u' && w[1] != 'o' })
	// Slavic y / i / j
	sub("iy", "y", end("iy"))
	sub("iy", "ij", end("iy"))
	sub("iy", "i", end("iy"))
	sub("yy", "y", end("yy"))
	sub("ey", "ei", end("ey"))
	sub("ei", "ey", end("ei"))
	sub("ya", "ja", start)
	sub("ya", "ia", start)
	sub("yu", "ju", start)
	sub("yu", "iu", start)
	sub("ye", "e", start)
	sub("ja", "ya", start)
	sub("ju", "yu", start)
	sub("y", "i", func(i int) bool { return i > 0 && i+1 < len(w) && isCons(w[i-1]) && (w[i+1] != 'y') })
	sub("sky", "ski", end("sky"))
	sub("ski", "sky", end("ski"))
	sub("skiy", "sky", end("skiy"))
	// Slavic endings
	sub("ov", "off", end("ov"))
	sub("off", "ov", end("off"))
	sub("ev", "iev", func(i int) bool { return i+2 == len(w) && i > 0 && w[i-1] != 'i' && w[i-1] != 'y' })
	sub("ev", "yev", func(i int) bool { return i+2 == len(w) && i > 0 && isVowel(w[i-1]) && w[i-1] != 'y' && w[i-1] != 'i' })
	sub("iev", "ev", end("iev"))
	sub("yev", "ev", end("yev"))
	sub("yev", "iev", end("yev"))
	return out
}

// translitCandidates lists every transliteration edit possible on the
// name: one word changed, or an "al"/"el" particle joined to the next word.
func translitCandidates(v *vname) []translitEdit {
	var out []translitEdit
	refs := v.tokenRefs()
	for _, ref := range refs {
		tok := *ref
		core := strings.Trim(tok, ".,")
		if letters(core) < 3 || !isASCIIWord(core) {
			continue
		}
		lead := tok[:strings.Index(tok, core)]
		trail := tok[len(lead)+len(core):]
		for _, alt := range translitWord(strings.ToLower(core)) {
			ref, alt := ref, alt
			out = append(out, translitEdit{apply: func(*vname) {
				parts := strings.Split(alt, " ")
				for i := range parts {
					parts[i] = caseLike(core, parts[i])
				}
				*ref = lead + strings.Join(parts, " ") + trail
			}})
		}
	}
	// "al Baghdadi" -> "al-Baghdadi" / "alBaghdadi": within one part list.
	for _, list := range []*[]string{&v.given, &v.middle, &v.family} {
		for i := 0; i+1 < len(*list); i++ {
			p := strings.ToLower((*list)[i])
			if p != "al" && p != "el" {
				continue
			}
			list, i := list, i
			for _, join := range []string{"-", ""} {
				join := join
				out = append(out, translitEdit{apply: func(*vname) {
					l := *list
					next := l[i+1]
					if join == "" {
						next = strings.ToLower(next)
						if l[i] == strings.ToUpper(l[i]) {
							next = strings.ToUpper(next)
						}
					}
					*list = splice(l, i, i+2, []string{l[i] + join + next})
				}})
			}
		}
	}
	return out
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '\'') {
			return false
		}
	}
	return true
}

// ---- recall ----

// KindRecall is recall for one variation kind (or schema).
type KindRecall struct {
	Total  int     `json:"total"`
	Found  int     `json:"found"`
	Recall float64 `json:"recall"`
	Top1   int     `json:"top1"` // the entity was the best match
}

// RecallMiss is a variant whose entity was not among the matches.
type RecallMiss struct {
	Variant
	Matches  int     `json:"matches"`
	TopID    string  `json:"top_id,omitempty"`
	Top      string  `json:"top,omitempty"`
	TopScore float64 `json:"top_score,omitempty"`
}

// RecallReport is the result of Recall.
type RecallReport struct {
	Variants    int                   `json:"variants"`
	Found       int                   `json:"found"`
	Recall      float64               `json:"recall"` // share of variants whose entity is among the matches
	Top1        int                   `json:"top1"`
	Top1Rate    float64               `json:"top1_rate"`    // share where it is the best match
	MeanMatches float64               `json:"mean_matches"` // matches per screening
	ByKind      map[string]KindRecall `json:"by_kind"`      // a variant counts under each of its kinds
	ByCombo     map[string]KindRecall `json:"by_combo"`     // by the full Kind string
	BySchema    map[string]KindRecall `json:"by_schema"`
	Misses      []RecallMiss          `json:"misses"` // the first ones
}

// Recall screens every variant with sc and counts it found when its
// EntityID is among the matches; the report lists the first 50 misses.
func Recall(vs []Variant, sc Screener) RecallReport { return RecallN(vs, sc, 50) }

// RecallN is Recall listing the first maxMisses misses.
func RecallN(vs []Variant, sc Screener, maxMisses int) RecallReport {
	rep := RecallReport{ByKind: map[string]KindRecall{}, ByCombo: map[string]KindRecall{}, BySchema: map[string]KindRecall{}}
	var nm int
	for _, v := range vs {
		ms := sc.Screen(v.Query)
		nm += len(ms)
		rank := 0
		for i, m := range ms {
			if m.Entity.ID == v.EntityID {
				rank = i + 1
				break
			}
		}
		rep.Variants++
		found, top1 := rank > 0, rank == 1
		if found {
			rep.Found++
		}
		if top1 {
			rep.Top1++
		}
		count := func(m map[string]KindRecall, k string) {
			c := m[k]
			c.Total++
			if found {
				c.Found++
			}
			if top1 {
				c.Top1++
			}
			c.Recall = ratio(c.Found, c.Total)
			m[k] = c
		}
		for _, k := range v.Kinds() {
			count(rep.ByKind, k)
		}
		count(rep.ByCombo, v.Kind)
		count(rep.BySchema, string(v.Schema))
		if !found && len(rep.Misses) < maxMisses {
			miss := RecallMiss{Variant: v, Matches: len(ms)}
			if len(ms) > 0 {
				miss.TopID, miss.Top, miss.TopScore = ms[0].Entity.ID, caption(ms[0].Entity), ms[0].Score
			}
			rep.Misses = append(rep.Misses, miss)
		}
	}
	rep.Recall = ratio(rep.Found, rep.Variants)
	rep.Top1Rate = ratio(rep.Top1, rep.Variants)
	rep.MeanMatches = ratio(nm, 1) / float64(max(rep.Variants, 1))
	return rep
}

func (r RecallReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "recall: %d/%d variants found (%s), best match %s, %.2f matches per query\n",
		r.Found, r.Variants, pct(r.Recall), pct(r.Top1Rate), r.MeanMatches)
	for _, k := range sortedKeys(r.BySchema) {
		c := r.BySchema[k]
		fmt.Fprintf(&b, "  schema %-20s %5d/%-5d %s\n", k, c.Found, c.Total, pct(c.Recall))
	}
	for _, k := range sortedKeys(r.ByKind) {
		c := r.ByKind[k]
		fmt.Fprintf(&b, "  kind   %-20s %5d/%-5d %s\n", k, c.Found, c.Total, pct(c.Recall))
	}
	fmt.Fprintf(&b, "  misses (first %d):\n", len(r.Misses))
	for _, m := range r.Misses {
		fmt.Fprintf(&b, "    %-22s %q (dob %s) <- %q [%s]", m.Kind, m.Query.Name, orDash(m.Query.BirthDate), m.Original, m.EntityID)
		if m.Matches > 0 {
			fmt.Fprintf(&b, "; top %q %.3f", m.Top, m.TopScore)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
