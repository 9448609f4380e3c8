package quality

import (
	_ "embed"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
)

// The name pools: ~2,000 given and ~2,000 family names of many origins,
// mostly Latin script with ~10% in other scripts, taken from the first and
// last names of the shared negatives set (most frequent first), the
// nomenklatura name bench, and a hand-written list of names common on
// sanctions lists (Arabic, Persian, Russian, Ukrainian, Korean, Chinese,
// Latin American).
var (
	//go:embed data/given.txt
	givenTxt string
	//go:embed data/family.txt
	familyTxt string
)

type namePools struct {
	given, family     []string            // Latin script
	givenBy, familyBy map[string][]string // other scripts, by script code
	scripts           []string            // scripts present in both
}

var (
	poolsOnce sync.Once
	pools     namePools
)

func loadPools() *namePools {
	poolsOnce.Do(func() {
		pools.givenBy, pools.familyBy = map[string][]string{}, map[string][]string{}
		split := func(txt string, latin *[]string, other map[string][]string) {
			for _, l := range strings.Split(txt, "\n") {
				l = strings.TrimSpace(l)
				if l == "" {
					continue
				}
				if sc := scriptOf(l); sc == "Latn" {
					*latin = append(*latin, l)
				} else {
					other[sc] = append(other[sc], l)
				}
			}
		}
		split(givenTxt, &pools.given, pools.givenBy)
		split(familyTxt, &pools.family, pools.familyBy)
		for sc := range pools.givenBy {
			if len(pools.givenBy[sc]) >= 5 && len(pools.familyBy[sc]) >= 5 {
				pools.scripts = append(pools.scripts, sc)
			}
		}
		sort.Strings(pools.scripts)
	})
	return &pools
}

var (
	sylOnset   = []string{"b", "d", "k", "m", "n", "r", "s", "t", "v", "z", "kh", "sh", "ch", "l", "g", "h", "y", "j", "f", "p", "zh", "ts", "br", "dr", "st", "gr", "", ""}
	sylNucleus = []string{"a", "e", "i", "o", "u", "a", "e", "i", "ai", "ia", "ou", "ei", "ya", "io"}
	sylCoda    = []string{"", "", "", "n", "r", "l", "m", "s", "k", "t", "d", "sh"}
	famSuffix  = []string{"ov", "ev", "in", "enko", "ski", "ova", "i", "ani", "zadeh", "yan", "ashvili", "son", "sen", "ez", "es", "ic", "ovic", "oglu", "berg", "mann", "ero", "elli", "ari", "awi", "uddin", "ullah"}

	orgWords = []string{"Trading", "Global", "Energy", "Shipping", "Petro", "Tech", "Holding", "Industrial", "Investment",
		"Logistics", "Maritime", "International", "General", "Import", "Export", "Commercial", "Development", "Finance",
		"Capital", "Resources", "Mining", "Oil", "Gas", "Chemical", "Engineering", "Construction", "Aviation", "Electronics",
		"Systems", "Solutions", "Group", "Partners", "Services", "Consulting", "Industries", "Metals", "Steel", "Agro",
		"Pharma", "Medical", "Defense", "Security", "Marine", "Transport", "Freight", "Supply", "Equipment", "Machinery",
		"Bank", "Exchange", "Insurance", "Media", "Telecom", "Software", "Research", "Scientific", "Production", "Star",
		"Golden", "Silver", "Eastern", "Western", "Northern", "Southern", "Pacific", "Atlantic", "Gulf", "United", "National",
		"Royal", "Alpha", "Delta", "Omega", "Nova", "Prime", "First", "New", "Grand", "Ocean", "Sun", "Crescent", "Eagle"}
	orgPlaces = []string{"Dubai", "Tehran", "Moscow", "Minsk", "Caracas", "Pyongyang", "Damascus", "Hong Kong", "Shanghai",
		"Istanbul", "Beirut", "Baghdad", "Kabul", "Karachi", "Lagos", "Panama", "Cyprus", "Malta", "Baltic", "Caspian",
		"Black Sea", "Siberian", "Ural", "Volga", "Persian", "Arabian", "Sinai", "Andes", "Euro", "Asia", "Africa"}
	orgForms = []string{"LLC", "Ltd", "Limited", "JSC", "OJSC", "CJSC", "PJSC", "OOO", "AO", "Inc.", "Corp.", "Corporation",
		"Co., Ltd.", "GmbH", "AG", "S.A.", "S.R.L.", "B.V.", "PLC", "FZE", "FZCO", "LLP", "Pte Ltd", "Sdn Bhd", "Company"}
	synCountries = []lexscreen.Country{
		{Code: "RU", Name: "Russia"}, {Code: "IR", Name: "Iran"}, {Code: "KP", Name: "North Korea"}, {Code: "SY", Name: "Syria"},
		{Code: "BY", Name: "Belarus"}, {Code: "VE", Name: "Venezuela"}, {Code: "CU", Name: "Cuba"}, {Code: "CN", Name: "China"},
		{Code: "AE", Name: "United Arab Emirates"}, {Code: "TR", Name: "Turkey"}, {Code: "LB", Name: "Lebanon"},
		{Code: "IQ", Name: "Iraq"}, {Code: "AF", Name: "Afghanistan"}, {Code: "PK", Name: "Pakistan"}, {Code: "YE", Name: "Yemen"},
		{Code: "SD", Name: "Sudan"}, {Code: "SO", Name: "Somalia"}, {Code: "LY", Name: "Libya"}, {Code: "ML", Name: "Mali"},
		{Code: "CD", Name: "Congo, Democratic Republic of the"}, {Code: "MM", Name: "Burma"}, {Code: "NI", Name: "Nicaragua"},
		{Code: "MX", Name: "Mexico"}, {Code: "CO", Name: "Colombia"}, {Code: "UA", Name: "Ukraine"}, {Code: "KZ", Name: "Kazakhstan"},
		{Code: "GE", Name: "Georgia"}, {Code: "AM", Name: "Armenia"}, {Code: "AZ", Name: "Azerbaijan"}, {Code: "UZ", Name: "Uzbekistan"},
		{Code: "CY", Name: "Cyprus"}, {Code: "MT", Name: "Malta"}, {Code: "GB", Name: "United Kingdom"}, {Code: "US", Name: "United States"},
		{Code: "DE", Name: "Germany"}, {Code: "FR", Name: "France"}, {Code: "IT", Name: "Italy"}, {Code: "ES", Name: "Spain"},
		{Code: "NL", Name: "Netherlands"}, {Code: "CH", Name: "Switzerland"}, {Code: "IN", Name: "India"}, {Code: "SA", Name: "Saudi Arabia"},
		{Code: "EG", Name: "Egypt"}, {Code: "NG", Name: "Nigeria"}, {Code: "KE", Name: "Kenya"}, {Code: "ZW", Name: "Zimbabwe"},
		{Code: "HK", Name: "Hong Kong"}, {Code: "SG", Name: "Singapore"}, {Code: "MY", Name: "Malaysia"}, {Code: "PA", Name: "Panama"},
	}
	synPrograms = []string{"SYN-RUSSIA", "SYN-IRAN", "SYN-DPRK", "SYN-SYRIA", "SYN-SDGT", "SYN-SDNTK", "SYN-CYBER", "SYN-GLOMAG"}
)

// Synthetic streams n deterministic, realistic-looking entities to fn, with
// ids "synthetic:1" .. "synthetic:n" and source "synthetic". It stops at
// the first error fn returns. Nothing is kept between entities, so a
// million stream in a few seconds in constant memory. Entity i is
// SyntheticEntity(i, seed).
func Synthetic(n int, seed int64, fn func(*lexscreen.Entity) error) error {
	for i := 1; i <= n; i++ {
		if err := fn(SyntheticEntity(i, seed)); err != nil {
			return err
		}
	}
	return nil
}

// SyntheticEntity makes entity i (1-based) of the synthetic corpus for a
// seed. It depends only on (i, seed): 70% persons with 2-4 name tokens
// (given, middle, family; ~8% in a non-Latin script; ~15% written
// "FAMILY, Given" as OFAC does), 30% organisations with legal forms;
// aliases for ~30% (a few weak or former); birth dates for most persons
// at day, month or year precision (some circa, some with a second date);
// nationalities, countries, a few identifiers, and one designation.
func SyntheticEntity(i int, seed int64) *lexscreen.Entity {
	p := loadPools()
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)*0x9e3779b97f4a7c15+1))
	e := &lexscreen.Entity{ID: fmt.Sprintf("synthetic:%d", i), Source: "synthetic"}
	if r.IntN(10) < 7 {
		synPerson(r, p, e)
	} else {
		synOrg(r, e)
	}
	d := lexscreen.Designation{Authority: "SYNTHETIC", List: "Synthetic", Program: synPrograms[r.IntN(len(synPrograms))],
		ListedOn: lexscreen.Single(lexscreen.PartialDate{Year: 2000 + r.IntN(26), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)})}
	e.Designations = []lexscreen.Designation{d}
	return e
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func syllables(r *rand.Rand, k int) string {
	var b strings.Builder
	for j := 0; j < k; j++ {
		b.WriteString(pick(r, sylOnset))
		b.WriteString(pick(r, sylNucleus))
		if j == k-1 || r.IntN(3) == 0 {
			b.WriteString(pick(r, sylCoda))
		}
	}
	return titleWord(b.String())
}

func synGiven(r *rand.Rand, p *namePools) string {
	if r.IntN(5) == 0 {
		return syllables(r, 2+r.IntN(2))
	}
	return pick(r, p.given)
}

func synFamily(r *rand.Rand, p *namePools) string {
	if r.IntN(5) == 0 {
		return titleWord(strings.ToLower(syllables(r, 1+r.IntN(2))) + pick(r, famSuffix))
	}
	return pick(r, p.family)
}

func synPerson(r *rand.Rand, p *namePools, e *lexscreen.Entity) {
	e.Schema = lexscreen.SchemaPerson
	ntok := 2
	switch x := r.IntN(100); {
	case x >= 90:
		ntok = 4
	case x >= 55:
		ntok = 3
	}
	var parts []lexscreen.NamePart
	script := ""
	if len(p.scripts) > 0 && r.IntN(100) < 8 {
		script = pick(r, p.scripts)
		parts = []lexscreen.NamePart{
			{Kind: lexscreen.PartGiven, Value: pick(r, p.givenBy[script])},
			{Kind: lexscreen.PartFamily, Value: pick(r, p.familyBy[script])},
		}
	} else {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: synGiven(r, p)})
		for j := 2; j < ntok; j++ {
			if j == 3 && r.IntN(2) == 0 {
				break // a second family name instead
			}
			parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartMiddle, Value: synGiven(r, p)})
		}
		fam := synFamily(r, p)
		if len(parts)+1 < ntok {
			fam += " " + synFamily(r, p)
		}
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: fam})
	}
	upperFamily := r.IntN(4) == 0
	if upperFamily {
		parts[len(parts)-1].Value = strings.ToUpper(parts[len(parts)-1].Value)
	}
	var words []string
	for _, pt := range parts {
		words = append(words, pt.Value)
	}
	full := strings.Join(words, " ")
	if script == "" && r.IntN(100) < 15 {
		full = parts[len(parts)-1].Value + ", " + strings.Join(words[:len(words)-1], " ")
	}
	scode := ""
	if script != "" {
		scode = script
	}
	e.AddName(lexscreen.Name{Full: full, Kind: lexscreen.NamePrimary, Script: scode, Parts: parts})
	// aliases
	if r.IntN(100) < 30 {
		nm := lexscreen.Name{Kind: lexscreen.NameAlias}
		switch x := r.IntN(10); {
		case x < 4 && script == "": // a transliteration variant of one word
			alt := append([]string(nil), words...)
			j := r.IntN(len(alt))
			if vs := translitWord(strings.ToLower(alt[j])); len(vs) > 0 {
				alt[j] = caseLike(alt[j], vs[r.IntN(len(vs))])
			} else {
				alt[j] = synGiven(r, p)
			}
			nm.Full = strings.Join(alt, " ")
		case x < 7: // another name entirely
			nm.Full = synGiven(r, p) + " " + synFamily(r, p)
		case x < 9: // a short form
			nm.Full = words[0] + " " + words[len(words)-1]
			if len(words) == 2 {
				nm.Full = synGiven(r, p) + " " + words[len(words)-1]
			}
		default: // a weak alias: a single nickname
			nm.Kind = lexscreen.NameWeakAlias
			nm.Full = strings.ToUpper(syllables(r, 2))
		}
		if nm.Full != full {
			e.AddName(nm)
		}
	}
	// dates of birth
	if r.IntN(100) < 80 {
		d := lexscreen.PartialDate{Year: 1930 + r.IntN(76)}
		switch x := r.IntN(100); {
		case x < 70:
			d.Month, d.Day = 1+r.IntN(12), 1+r.IntN(28)
		case x < 80:
			d.Month = 1 + r.IntN(12)
		}
		dv := lexscreen.DateValue{From: d, Circa: r.IntN(100) < 4, Text: d.String()}
		e.BirthDates = append(e.BirthDates, dv)
		if r.IntN(100) < 5 {
			e.BirthDates = append(e.BirthDates, lexscreen.Single(lexscreen.PartialDate{Year: d.Year + 1}))
		}
	}
	if r.IntN(100) < 70 {
		e.Nationalities = append(e.Nationalities, synCountries[r.IntN(len(synCountries))])
		if r.IntN(100) < 15 {
			c := synCountries[r.IntN(len(synCountries))]
			if c != e.Nationalities[0] {
				e.Nationalities = append(e.Nationalities, c)
			}
		}
	}
	if r.IntN(100) < 30 {
		c := synCountries[r.IntN(len(synCountries))]
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDPassport, Label: "Passport",
			Number: fmt.Sprintf("%c%08d", 'A'+rune(r.IntN(26)), r.IntN(100000000)), Country: c})
	}
}

func synOrg(r *rand.Rand, e *lexscreen.Entity) {
	e.Schema = lexscreen.SchemaOrganization
	var words []string
	switch x := r.IntN(10); {
	case x < 3: // a family name or place, then business words
		if r.IntN(2) == 0 {
			words = append(words, pick(r, orgPlaces))
		} else {
			words = append(words, pick(r, loadPools().family))
		}
	case x < 5: // an invented brand
		words = append(words, syllables(r, 2+r.IntN(2)))
	}
	for k := 1 + r.IntN(2); k > 0; k-- {
		w := pick(r, orgWords)
		if len(words) == 0 || words[len(words)-1] != w {
			words = append(words, w)
		}
	}
	base := strings.Join(words, " ")
	full := base
	form := ""
	if r.IntN(100) < 85 {
		form = pick(r, orgForms)
		if r.IntN(4) == 0 && strings.Contains("JSC OJSC CJSC PJSC OOO AO", form) {
			full = form + " " + base
		} else {
			full = base + " " + form
		}
	}
	if r.IntN(5) == 0 {
		full = strings.ToUpper(full)
	}
	e.AddName(lexscreen.Name{Full: full, Kind: lexscreen.NamePrimary})
	if r.IntN(100) < 30 {
		nm := lexscreen.Name{Kind: lexscreen.NameAlias}
		switch x := r.IntN(10); {
		case x < 4 && len(words) >= 2: // acronym
			var b strings.Builder
			for _, w := range words {
				b.WriteByte(w[0])
			}
			nm.Full = strings.ToUpper(b.String())
			if form != "" {
				nm.Full += " " + form
			}
		case x < 7: // the other spelling of its legal form
			if m := findForm(strings.Fields(full)); m != nil {
				if alts := m.group.alternatives(m.spelling); len(alts) > 0 {
					toks := strings.Fields(full)
					nm.Full = strings.Join(splice(toks, m.start, m.end, []string{formCase(full, pick(r, alts))}), " ")
				}
			}
			if nm.Full == "" {
				nm.Full = base
			}
		default: // a former name
			nm.Kind = lexscreen.NameFormer
			nm.Full = syllables(r, 2) + " " + pick(r, orgWords) + " " + pick(r, orgForms)
		}
		if nm.Full != full {
			e.AddName(nm)
		}
	}
	if r.IntN(100) < 80 {
		e.Countries = append(e.Countries, synCountries[r.IntN(len(synCountries))])
	}
	if r.IntN(100) < 40 {
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDRegistration, Label: "Registration Number",
			Number: fmt.Sprintf("%d", 1000000000+r.IntN(9000000000))})
	}
}
