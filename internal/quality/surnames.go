package quality

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Variation kinds of the one-surname and syllable-break benchmarks.
const (
	KindFirstSurname = "given_first_surname" // given name + the first of two surnames ("Nicolas MADURO")
	KindLastSurname  = "given_last_surname"  // given name + the last of two surnames ("Nicolas MOROS")
	KindNationality  = "nationality"         // the listed nationality attached to the query
	KindBreakLeft    = "break_left"          // a syllable break moved one letter left ("Jon-gun")
	KindBreakRight   = "break_right"         // a syllable break moved one letter right ("Jongu-n" is not made: both sides keep 2 letters)
	KindBreakJoined  = "break_joined"        // the syllables run on ("Jongun")
)

// TwoSurnameVariants makes, for every listed person's name (primary or
// alias, Latin script) with two surnames, the queries that write it the
// customary way: the first given name with the first surname, and with the
// last. A name has two surnames when its parts tag a given name and a
// family name of two or three words (particles aside), and the person is
// linked to a country where names have two (names.TwoSurnameCountry) or a
// joining particle stands between the family words (names.IsSurnameJoiner).
// withEvidence carries the listed date of birth and nationality (for the
// persons that have both listed); nameOnly the names alone.
func TwoSurnameVariants(entities []*lexscreen.Entity) (withEvidence, nameOnly []Variant) {
	es := sortedPersons(entities)
	seen := map[string]bool{}
	for _, e := range es {
		hispanic := false
		for _, c := range linkedCountries(e) {
			hispanic = hispanic || names.TwoSurnameCountry(c)
		}
		for _, nm := range e.Names {
			if !usableName(e.Schema, nm) {
				continue
			}
			given, surnames, joined := twoSurnames(nm)
			if given == "" || !hispanic && !joined {
				continue
			}
			for i, kind := range []string{KindFirstSurname, KindLastSurname} {
				s := surnames[0]
				if i == 1 {
					s = surnames[len(surnames)-1]
				}
				name := given + " " + s
				if seen[e.ID+"\x00"+name] {
					continue
				}
				seen[e.ID+"\x00"+name] = true
				v := Variant{Query: lexscreen.Query{Name: name}, EntityID: e.ID, Schema: e.Schema, Kind: kind, Original: nm.Full}
				nameOnly = append(nameOnly, v)
				d, ok := listedDOB(e)
				c := nationality(e)
				if !ok || c == "" {
					continue
				}
				v.Query.BirthDate, v.Query.Countries = d.String(), []string{c}
				v.Kind = strings.Join([]string{kind, KindDOB, KindNationality}, "+")
				withEvidence = append(withEvidence, v)
			}
		}
	}
	number(withEvidence, "one-surname+evidence")
	number(nameOnly, "one-surname")
	return withEvidence, nameOnly
}

// twoSurnames reads a tagged name: its first given name and its surnames
// (the words of the family name that are not particles), when there are
// two or three; joined tells whether a joining particle stands between
// two of them.
func twoSurnames(nm lexscreen.Name) (given string, surnames []string, joined bool) {
	for _, p := range nm.Parts {
		switch p.Kind {
		case lexscreen.PartGiven:
			if f := strings.Fields(p.Value); given == "" && len(f) > 0 {
				given = f[0]
			}
		case lexscreen.PartFamily:
			for _, w := range strings.Fields(p.Value) {
				if names.IsStopword(names.Fold(w)) {
					joined = joined || len(surnames) > 0 && names.IsSurnameJoiner(names.Fold(w))
					continue
				}
				surnames = append(surnames, w)
			}
		}
	}
	if len(surnames) < 2 || len(surnames) > 3 {
		return "", nil, false
	}
	return given, surnames, joined
}

// KoreanBreakVariants makes, for every listed Korean person's name
// (linked to KP or KR) tagged as a one-word family name and a given name
// of two syllables ("KIM, Jong Un", "CHOE Ryong-hae"), the queries that
// move the break between the syllables by one letter either way ("Kim
// Jon-gun", "Choe Ryongh-ae") or drop it ("Kim Jongun"), where each side
// keeps two letters at least.
func KoreanBreakVariants(entities []*lexscreen.Entity) []Variant {
	var out []Variant
	seen := map[string]bool{}
	for _, e := range sortedPersons(entities) {
		korean := false
		for _, c := range linkedCountries(e) {
			korean = korean || c == "KP" || c == "KR"
		}
		if !korean {
			continue
		}
		for _, nm := range e.Names {
			if !usableName(e.Schema, nm) {
				continue
			}
			var family, syl []string
			for _, p := range nm.Parts {
				switch p.Kind {
				case lexscreen.PartFamily:
					family = append(family, strings.Fields(p.Value)...)
				case lexscreen.PartGiven, lexscreen.PartMiddle:
					syl = append(syl, strings.FieldsFunc(p.Value, func(r rune) bool { return r == ' ' || r == '-' })...)
				}
			}
			if len(family) != 1 || len(syl) != 2 || !asciiLetters(syl[0]) || !asciiLetters(syl[1]) {
				continue
			}
			fam := titleWords(strings.ToLower(family[0]))
			j := strings.ToLower(syl[0] + syl[1])
			k := len(syl[0])
			add := func(name, kind string) {
				if !seen[e.ID+"\x00"+name] {
					seen[e.ID+"\x00"+name] = true
					out = append(out, Variant{Query: lexscreen.Query{Name: name}, EntityID: e.ID, Schema: e.Schema, Kind: kind, Original: nm.Full})
				}
			}
			up := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
			if k-1 >= 2 {
				add(fam+" "+up(j[:k-1])+"-"+j[k-1:], KindBreakLeft)
			}
			if len(j)-(k+1) >= 2 {
				add(fam+" "+up(j[:k+1])+"-"+j[k+1:], KindBreakRight)
			}
			add(fam+" "+up(j), KindBreakJoined)
		}
	}
	number(out, "korean-break")
	return out
}

func asciiLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// sortedPersons returns the persons among entities, sorted by ID.
func sortedPersons(entities []*lexscreen.Entity) []*lexscreen.Entity {
	var es []*lexscreen.Entity
	for _, e := range entities {
		if e != nil && e.Schema == lexscreen.SchemaPerson {
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	return es
}

// linkedCountries are the codes of the countries an entity is linked to:
// nationality, citizenship, country, addresses and birth places.
func linkedCountries(e *lexscreen.Entity) []string {
	var out []string
	for _, cs := range [][]lexscreen.Country{e.Nationalities, e.Citizenships, e.Countries} {
		for _, c := range cs {
			out = append(out, c.Code)
		}
	}
	for _, a := range e.Addresses {
		out = append(out, a.Country.Code)
	}
	for _, p := range e.BirthPlaces {
		out = append(out, p.Country.Code)
	}
	return out
}

// nationality is the code of the entity's first listed nationality or
// citizenship, or "".
func nationality(e *lexscreen.Entity) string {
	for _, cs := range [][]lexscreen.Country{e.Nationalities, e.Citizenships} {
		for _, c := range cs {
			if c.Code != "" {
				return c.Code
			}
		}
	}
	return ""
}

func number(vs []Variant, prefix string) {
	for i := range vs {
		vs[i].Query.ID = fmt.Sprintf("%s:%d", prefix, i)
	}
}

// OneSurnameReport is the recall of persons' names with two surnames
// written with one, with and without the listed date of birth and
// nationality, and of Korean names whose syllable break moved.
type OneSurnameReport struct {
	WithEvidence RecallReport `json:"with_dob_nationality"`
	NameOnly     RecallReport `json:"name_only"`
	KoreanBreaks RecallReport `json:"korean_breaks"`
}

// OneSurname measures recall on TwoSurnameVariants and
// KoreanBreakVariants of entities, listing the first misses of each.
func OneSurname(entities []*lexscreen.Entity, sc Screener, maxMisses int) OneSurnameReport {
	ev, only := TwoSurnameVariants(entities)
	return OneSurnameReport{
		WithEvidence: RecallN(ev, sc, maxMisses),
		NameOnly:     RecallN(only, sc, maxMisses),
		KoreanBreaks: RecallN(KoreanBreakVariants(entities), sc, maxMisses),
	}
}

func (r OneSurnameReport) String() string {
	var b strings.Builder
	b.WriteString("two surnames written with one, with the listed DOB and nationality (persons with both listed):\n")
	b.WriteString(indent(r.WithEvidence.String()))
	b.WriteString("two surnames written with one, name only:\n")
	b.WriteString(indent(r.NameOnly.String()))
	b.WriteString("Korean names, syllable break moved or dropped, name only:\n")
	b.WriteString(indent(r.KoreanBreaks.String()))
	return strings.TrimRight(b.String(), "\n")
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
