package names

import (
	_ "embed"
	"slices"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
	"gopkg.in/yaml.v3"
)

// TokenKind classifies a token.
type TokenKind uint8

// Token kinds.
const (
	Word      TokenKind = iota // an ordinary name word
	Initial                    // a single letter ("J." folds to "j")
	Title                      // honorific or title of a person: mr, dr, sheikh, general, president, his excellency ...
	LegalForm                  // legal form of an organisation: llc, gmbh, ooo, ag ...
	Stop                       // name particle or organisation stop word: de, van, al, bin, ibn, the, of ...
	Number                     // all digits
)

var kindNames = [...]string{"word", "initial", "title", "legal_form", "stop", "number"}

func (k TokenKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Token is one normalised token of a name.
type Token struct {
	Text string                 // folded form; for a LegalForm its canonical compare form ("llc", "ooo", "gmbh", "ag")
	Kind TokenKind              // what the token is
	Part lexscreen.NamePartKind // part tag when the caller gave parts (else "")
	Pos  int                    // position of the token in the name (0-based, counted over all parts)
	// Generic is, for a LegalForm, the coarse class from org_types.yml
	// ("llc" for LLC, OOO, GmbH, TOV, SARL...; "jsc" for AG, PLC, OAO...),
	// or "" when the file gives none. Compare it to treat OOO and LLC alike.
	Generic string
}

//go:embed data/org_types.yml
var orgTypesYAML []byte

//go:embed data/stopwords.yml
var stopwordsYAML []byte

type legalForm struct{ compare, generic string }

type lexicon struct {
	legal      map[string]legalForm // folded alias -> form
	legalFirst map[string]int       // first word of an alias -> max words of aliases starting with it
	title      map[string]bool      // folded title (may be several words)
	titleFirst map[string]int
}

var (
	lexOnce sync.Once
	lex     lexicon
)

// stopwords: name particles and organisation stop words (single folded words).
var stopwords = map[string]bool{
	"de": true, "del": true, "della": true, "dei": true, "degli": true, "der": true, "den": true, "des": true,
	"di": true, "da": true, "das": true, "do": true, "dos": true, "du": true, "la": true, "le": true, "les": true,
	"lo": true, "van": true, "vom": true, "von": true, "zu": true, "zur": true, "ter": true, "ten": true,
	"al": true, "el": true, "ul": true, "bin": true, "ibn": true, "bint": true, "binti": true, "bte": true,
	"ben": true, "ould": true, "of": true, "the": true, "and": true, "und": true, "et": true, "for": true,
	"an": true, "in": true, "at": true, "on": true, "y": true,
}

// extraTitles extends the person-name prefixes of stopwords.yml.
var extraTitles = []string{
	"mr", "mrs", "ms", "miss", "dr", "prof", "sheikh", "shaykh", "shaikh", "sheik", "haji", "hajji", "hadji",
	"alhaji", "alhaj", "al haj", "al hajj", "hajj", "mullah", "mulla", "maulana", "mawlana", "maulvi", "mawlawi",
	"ayatollah", "ayatullah", "grand ayatollah", "hojatoleslam", "mufti", "general", "gen", "major general",
	"maj gen", "brigadier general", "brig gen", "lt gen", "lieutenant", "lt", "colonel", "col", "lt col",
	"captain", "capt", "cpt", "commander", "cmdr", "admiral", "adm", "marshal", "sergeant", "sgt",
	"president", "presidente", "prezident", "presiden", "predsjednik", "presedintele", "praesident", "prasident",
	"prime minister", "minister", "deputy minister", "senator", "governor", "judge", "justice",
	"his excellency", "her excellency", "h e", "excellency", "engr", "dipl ing",
	"rev", "fr", "father", "pastor", "bishop", "archbishop", "patriarch", "metropolitan", "rabbi", "sayyidina",
	"gospodin", "gospozha", "sig", "sra", "sr", "srta", "hon",
	"elnok", "prezydent", "predsednik", "prezidentas", "prezidents", "presidentti", "kanzler", "kanzlerin",
	"ministro", "premier", "premierminister",
	// the same titles in more languages (folded when loaded; words that are
	// also common names or name syllables, such as pan, don, bay, pak, bu,
	// tun or sayyid, are left out)
	"premier ministre", "ministre", "docteur", "cheikh", "monseigneur", "maitre", // French
	"bundeskanzler", "bundeskanzlerin", "bundesprasident", "ministerprasident", "doktor", "scheich", // German
	"generalleutnant", "generalmajor",
	"senora", "primer ministro", "jeque", "teniente", "comandante", "licenciado", "ingeniero", // Spanish
	"senhor", "senhora", "primeiro ministro", "doutor", "xeque", // Portuguese
	"signor", "signora", "primo ministro", "generale", "sceicco", "onorevole", // Italian
	"meneer", "mevrouw", "minister president", "generaal", "dokter", "sjeik", // Dutch
	"szejk", "ksiadz", // Polish
	"prezident", "ministr", "sejk", "predseda", // Czech, Slovak
	"miniszterelnok", "miniszter", "tabornok", // Hungarian
	"domnul", "doamna", "presedinte", "prim ministrul", "prim ministru", "ministrul", "generalul", "seicul", // Romanian
	"premijer", "ministar", "gospodja", "seik", // Croatian, Serbian, Bosnian
	"cumhurbaskani", "basbakan", "bakan", "orgeneral", "seyh", "sayin", // Turkish
	"perdana menteri", "menteri", "jenderal", "syekh", "syeikh", "datuk", "datuk seri", "tan sri", "bapak", // Indonesian, Malay
	"Президент", "Премьер-министр", "Министр", "Генерал", "Господин", "Доктор", "Шейх", "Председатель", // Russian
	"Прем'єр-міністр", "Міністр", // Ukrainian
	"الرئيس", "الشيخ", "شيخ", "الدكتور", "الوزير", "رئيس الوزراء", "اللواء", "العقيد", "الفريق", "العميد", "سمو", // Arabic
	"آقای", "خانم", "رئیس جمهور", "دکتر", "سردار", "سرلشکر", "سرتیپ", "آیت الله", "آیت\u200cالله", "حجت الاسلام", "مهندس", // Persian
	"הרב",                               // Hebrew
	"Πρόεδρος", "Υπουργός", "Στρατηγός", // Greek
}

// postTitles are titles written after the name in some languages
// (Hungarian "Putyin elnök", Turkish "Ahmet Bey", Korean "김 대통령"-like
// romanised forms); Tokenize makes them Title tokens at the end of a
// person's name. Words that are also Chinese or Korean syllables are left out.
var postTitles = map[string]bool{
	"elnok": true, "miniszterelnok": true, "ur": true, "bey": true, "hanim": true, "efendi": true,
	"pasa": true, "pasha": true, "sahib": true, "saheb": true, "sensei": true,
}

func loadLexicon() {
	lex = lexicon{
		legal: map[string]legalForm{}, legalFirst: map[string]int{},
		title: map[string]bool{}, titleFirst: map[string]int{},
	}
	var ot struct {
		Types []struct {
			Display string   `yaml:"display"`
			Compare string   `yaml:"compare"`
			Generic string   `yaml:"generic"`
			Aliases []string `yaml:"aliases"`
		} `yaml:"types"`
	}
	if err := yaml.Unmarshal(orgTypesYAML, &ot); err != nil {
		panic("names: embedded org_types.yml: " + err.Error())
	}
	for _, t := range ot.Types {
		cmp := t.Compare
		if cmp == "" {
			cmp = t.Display
		}
		if cmp == "" {
			cmp = t.Generic
		}
		if cmp == "" && len(t.Aliases) > 0 {
			cmp = t.Aliases[0]
		}
		lf := legalForm{
			compare: strings.ReplaceAll(Fold(cmp), " ", ""),
			generic: strings.ReplaceAll(Fold(t.Generic), " ", ""),
		}
		if lf.compare == "" {
			continue
		}
		all := append([]string{t.Display, t.Compare}, t.Aliases...)
		for _, a := range all {
			k := Fold(a)
			if k == "" || stopwords[k] {
				continue
			}
			if _, dup := lex.legal[k]; dup {
				continue // first definition wins
			}
			lex.legal[k] = lf
			addFirst(lex.legalFirst, k)
		}
	}
	var sw struct {
		Person []string `yaml:"PERSON_NAME_PREFIXES"`
	}
	if err := yaml.Unmarshal(stopwordsYAML, &sw); err != nil {
		panic("names: embedded stopwords.yml: " + err.Error())
	}
	for _, t := range append(sw.Person, extraTitles...) {
		k := Fold(t)
		if k == "" || stopwords[k] {
			continue
		}
		lex.title[k] = true
		addFirst(lex.titleFirst, k)
	}
}

func addFirst(m map[string]int, k string) {
	first, n := k, strings.Count(k, " ")+1
	if i := strings.IndexByte(k, ' '); i >= 0 {
		first = k[:i]
	}
	if n > m[first] {
		m[first] = n
	}
}

func lexicons() *lexicon {
	lexOnce.Do(loadLexicon)
	return &lex
}

func isOrgSchema(s lexscreen.Schema) bool {
	return s != lexscreen.SchemaPerson
}

// Tokenize folds and splits a name. For organisations (every schema but
// person) legal forms, also multi-word ones, are recognised from the embedded
// org_types.yml and become one LegalForm token carrying the compare form:
// "Limited Liability Company" -> "llc", "Общество с ограниченной
// ответственностью"/"ООО"/"OOO" -> "ooo" (Generic "llc"), "Aktiengesellschaft"
// and "AG" -> "ag". Only whole tokens are recognised ("SiemensAG" is one
// word). For persons, titles and honorifics (stopwords.yml person prefixes plus
// mr, dr, sheikh, haji, general, president, his excellency ...) at the start of
// the name become Title tokens when a non-title word follows, and so do the
// titles written after a name ("Putyin elnök", "Ahmet Bey"). Name particles
// (de, van, al, bin, the, of ...) are Stop tokens, single letters Initial,
// all-digit tokens Number.
func Tokenize(name string, schema lexscreen.Schema) []Token {
	out := tokenizeFolded(nil, Fold(name), schema, "", 0, true)
	if n := len(out); schema == lexscreen.SchemaPerson && n >= 2 && out[n-1].Kind == Word && postTitles[out[n-1].Text] {
		for _, t := range out[:n-1] {
			if t.Kind == Word {
				out[n-1].Kind = Title
				break
			}
		}
	}
	return out
}

// TokenizeParts tokenizes a name given as tagged parts (given, middle,
// family, patronymic, ...), setting Token.Part and numbering Pos across parts.
// A part of kind title yields Title tokens.
func TokenizeParts(parts []lexscreen.NamePart, schema lexscreen.Schema) []Token {
	var out []Token
	prefix := true
	for _, p := range parts {
		folded := Fold(p.Value)
		if folded == "" {
			continue
		}
		if p.Kind == lexscreen.PartTitle {
			for _, w := range strings.Split(folded, " ") {
				out = append(out, Token{Text: w, Kind: Title, Part: p.Kind, Pos: len(out)})
			}
			continue
		}
		out = tokenizeFolded(out, folded, schema, p.Kind, len(out), prefix)
		for _, t := range out {
			if t.Kind == Word || t.Kind == Initial {
				prefix = false
			}
		}
	}
	return out
}

// tokenizeFolded appends the tokens of an already folded string.
func tokenizeFolded(out []Token, folded string, schema lexscreen.Schema, part lexscreen.NamePartKind, pos int, prefix bool) []Token {
	if folded == "" {
		return out
	}
	var startsBuf, endsBuf [24]int
	starts, ends := startsBuf[:0], endsBuf[:0]
	for i := 0; i < len(folded); {
		j := strings.IndexByte(folded[i:], ' ')
		if j < 0 {
			j = len(folded)
		} else {
			j += i
		}
		starts = append(starts, i)
		ends = append(ends, j)
		i = j + 1
	}
	if out == nil {
		out = make([]Token, 0, len(starts))
	}
	lx := lexicons()
	org := isOrgSchema(schema)
	person := schema == lexscreen.SchemaPerson
	for i := 0; i < len(starts); {
		w := folded[starts[i]:ends[i]]
		// A legal form written in initials does not begin inside a run of
		// initials that starts the name: "Y.A.S. Co. Ltd" is Y.A.S., not
		// Y + A.S.; "I.C.I.C." is not I + C.I.C. (but "Fund V L.P." is
		// fund V, L.P.).
		inInitials := i > 0 && ends[i]-starts[i] == 1
		for k := 0; inInitials && k < i; k++ {
			inInitials = ends[k]-starts[k] == 1
		}
		if org && !inInitials {
			if n, lf := matchLegal(lx, folded, starts, ends, i); n > 0 {
				out = append(out, Token{Text: lf.compare, Kind: LegalForm, Part: part, Pos: pos, Generic: lf.generic})
				pos++
				i += n
				continue
			}
		}
		if person && prefix {
			if n := matchTitle(lx, folded, starts, ends, i); n > 0 {
				out = append(out, Token{Text: folded[starts[i]:ends[i+n-1]], Kind: Title, Part: part, Pos: pos})
				pos++
				i += n
				continue
			}
		}
		k := classify(w)
		if schema == lexscreen.SchemaVessel && i == 0 && w == "mv" && len(starts) > 1 {
			k = Stop
		}
		if k == Word || k == Initial {
			prefix = false
		}
		out = append(out, Token{Text: w, Kind: k, Part: part, Pos: pos})
		pos++
		i++
	}
	return out
}

func classify(w string) TokenKind {
	digits := true
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			digits = false
			break
		}
	}
	switch {
	case digits:
		return Number
	case len(w) == 1:
		return Initial
	case stopwords[w]:
		return Stop
	}
	return Word
}

func matchLegal(lx *lexicon, folded string, starts, ends []int, i int) (int, legalForm) {
	maxN := lx.legalFirst[folded[starts[i]:ends[i]]]
	if maxN == 0 {
		return 0, legalForm{}
	}
	if rem := len(starts) - i; maxN > rem {
		maxN = rem
	}
	for n := maxN; n >= 1; n-- {
		if lf, ok := lx.legal[folded[starts[i]:ends[i+n-1]]]; ok {
			return n, lf
		}
	}
	return 0, legalForm{}
}

// matchTitle matches a title at word i; a title must leave at least one word
// after it (so "General" alone stays a name word).
func matchTitle(lx *lexicon, folded string, starts, ends []int, i int) int {
	maxN := lx.titleFirst[folded[starts[i]:ends[i]]]
	if maxN == 0 {
		return 0
	}
	if rem := len(starts) - i - 1; maxN > rem {
		maxN = rem
	}
	for n := maxN; n >= 1; n-- {
		if lx.title[folded[starts[i]:ends[i+n-1]]] {
			return n
		}
	}
	return 0
}

// IsLegalForm reports whether the whole of s is a known legal form
// ("LLC", "Gesellschaft mit beschränkter Haftung", "ООО").
func IsLegalForm(s string) bool {
	_, ok := lexicons().legal[Fold(s)]
	return ok
}

// LegalFormOf returns the compare form and the generic class of a legal form
// ("Aktiengesellschaft" -> "ag", "jsc"), ok false when s is not one.
func LegalFormOf(s string) (compare, generic string, ok bool) {
	lf, ok := lexicons().legal[Fold(s)]
	return lf.compare, lf.generic, ok
}

// LegalForms returns the number of known legal-form aliases (for diagnostics).
func LegalForms() int { return len(lexicons().legal) }

// IsStopword reports whether a folded token is a name particle or
// organisation stop word.
func IsStopword(tok string) bool { return stopwords[tok] }

// IsTitle reports whether s (folded or not) is a known person title,
// written before or after a name.
func IsTitle(s string) bool { return IsFoldedTitle(Fold(s)) }

// IsFoldedTitle is IsTitle for a folded word (a token's text).
func IsFoldedTitle(f string) bool { return lexicons().title[f] || postTitles[f] }

var (
	legalWordsOnce sync.Once
	legalWords     map[string]bool
)

// LegalFormWords returns every word (two letters or more) that appears in
// a known legal form ("limited", "liability", "company", "joint", "stock",
// "obshchestvo" ...). The matcher uses it to treat misspelt legal-form words
// as particles rather than as distinctive name words. The map must not be
// modified.
func LegalFormWords() map[string]bool {
	legalWordsOnce.Do(func() {
		legalWords = map[string]bool{}
		for alias := range lexicons().legal {
			for _, w := range strings.Fields(alias) {
				if len(w) >= 2 && !stopwords[w] {
					legalWords[w] = true
				}
			}
		}
	})
	return legalWords
}

var (
	legalAliasWordsOnce sync.Once
	legalAliasWords     map[string][]string
)

// LegalFormAliasWords returns the words of every alias of the legal form
// whose compare form is given: "ojsc" -> open, joint, stock, company,
// otkrytoe, aktsionernoe ...; "ooo" -> obshchestvo, s, ogranichennoi ...
// The slice is shared; do not modify it.
func LegalFormAliasWords(compare string) []string {
	legalAliasWordsOnce.Do(func() {
		legalAliasWords = map[string][]string{}
		for alias, lf := range lexicons().legal {
			for _, w := range strings.Fields(alias) {
				if !slices.Contains(legalAliasWords[lf.compare], w) {
					legalAliasWords[lf.compare] = append(legalAliasWords[lf.compare], w)
				}
			}
		}
		for k := range legalAliasWords {
			slices.Sort(legalAliasWords[k])
		}
	})
	return legalAliasWords[compare]
}
