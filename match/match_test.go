package match

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ofac"
)

// Screening the real bundled lists (no ../shared needed).
func TestScreenBundled(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, c := range []struct {
		q    lexscreen.Query
		want string // entity id expected among the matches; "" = no match at all
	}{
		{lexscreen.Query{Name: "Karim Khan", Schema: lexscreen.SchemaPerson}, "us-ofac-sdn:52965"},
		{lexscreen.Query{Name: "Karim Asad Ahmad KHAN"}, "us-ofac-sdn:52965"},
		{lexscreen.Query{Name: "Kareem Asad Ahmed Khan"}, "us-ofac-sdn:52965"},               // transliteration variants
		{lexscreen.Query{Name: "KHAN, Karim", BirthDate: "1970-03-30"}, "us-ofac-sdn:52965"}, // reordered, with DOB
		{lexscreen.Query{Name: "Al-Haq", Schema: lexscreen.SchemaOrganization}, "us-ofac-sdn:55413"},
		{lexscreen.Query{Name: "Al Mezan Centre for Human Rights"}, "us-ofac-sdn:55414"},
		{lexscreen.Query{Name: "Palestinian Center for Human Rights"}, "us-ofac-sdn:55415"},
		{lexscreen.Query{Name: "Francesca Albanese"}, "us-ofac-sdn:54707"},
		{lexscreen.Query{Name: "Fransesca Albanesse"}, "us-ofac-sdn:54707"},                   // a typo in every word
		{lexscreen.Query{Name: "Solomy Bossa"}, "us-ofac-sdn:54215"},                          // middle name dropped
		{lexscreen.Query{Name: "S. B. Bossa"}, "us-ofac-sdn:54215"},                           // initials
		{lexscreen.Query{Name: "Dzhavad Darvish Vand"}, "eu-fsf:5267"},                        // dzh = j
		{lexscreen.Query{Name: "PUBLIC JOINT STOK KOMPANY ROSTELECOM"}, "us-ofac-cons:34556"}, // misspelt legal form
		{lexscreen.Query{Name: "ROSTELEKOM LIMIHED"}, "us-ofac-cons:34556"},                   // misspelt legal form at the end
		{lexscreen.Query{Name: "MV FORTUNE"}, "us-ofac-sdn:15068"},
		{lexscreen.Query{Name: "金英哲", Schema: lexscreen.SchemaPerson}, "eu-fsf:6847"},            // Hanja read in Korean: Kim Yong Chol                            // vessel prefix
		{lexscreen.Query{Name: "谢尔盖·拉夫罗夫", Schema: lexscreen.SchemaPerson}, "us-ofac-sdn:35233"}, // a Chinese transcription read back: Sergei Lavrov
		{lexscreen.Query{Name: "弗拉基米尔·普京", Schema: lexscreen.SchemaPerson}, "us-ofac-sdn:35096"}, // pujin ~ putin: transcribed words get the usual tolerance
		{lexscreen.Query{Name: "Ingeborg Abrahamsen"}, ""},
		{lexscreen.Query{Name: "Kathryn Barr", BirthDate: "1966-07-06"}, ""},
	} {
		ms := m.Screen(c.q)
		found := false
		for _, mt := range ms {
			if mt.Entity.ID == c.want {
				found = true
				if mt.Explanation.Summary == "" || len(mt.Explanation.Tokens) == 0 || mt.Explanation.MatchedName == "" {
					t.Errorf("%q: match without explanation: %+v", c.q.Name, mt.Explanation)
				}
				if mt.Score < DefaultThreshold || mt.Score > 1 {
					t.Errorf("%q: score %v", c.q.Name, mt.Score)
				}
			}
		}
		switch {
		case c.want == "" && len(ms) > 0:
			t.Errorf("%q: want no match, got %s %q %.3f", c.q.Name, ms[0].Entity.ID, ms[0].Explanation.MatchedName, ms[0].Score)
		case c.want != "" && !found:
			var got []string
			for _, mt := range ms {
				got = append(got, mt.Entity.ID)
			}
			t.Errorf("%q: %s not among %v", c.q.Name, c.want, got)
		}
	}
}

// Names in other scripts find the listed Latin names.
func TestScreenCrossScript(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, q := range []string{"Владимир Путин", "Vladimir Poutine", "PUTIN, Vladimir", "Vladimir V. Putin", "Президент Путин",
		"व्लादिमीर पुतिन", "ウラジーミル・プーチン", "Putyin elnök"} {
		ms := m.Screen(lexscreen.Query{Name: q, Schema: lexscreen.SchemaPerson})
		ok := false
		for _, mt := range ms {
			for _, n := range mt.Entity.Names {
				ok = ok || strings.Contains(strings.ToLower(n), "putin")
			}
		}
		if !ok {
			t.Errorf("%q: Putin not found", q)
		}
	}
}

// Secondary evidence moves the score and says why.
func TestEvidence(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	score := func(q lexscreen.Query) (float64, []lexscreen.Evidence) {
		for _, mt := range m.Screen(q) {
			if mt.Entity.ID == "us-ofac-sdn:52965" {
				return mt.Score, mt.Explanation.Evidence
			}
		}
		mt, _ := m.ExplainPair(q, &lexscreen.Entity{ID: "x:1", Source: "x", Schema: lexscreen.SchemaPerson})
		return mt.Score, nil
	}
	base, _ := score(lexscreen.Query{Name: "Karim Khan"})
	same, ev := score(lexscreen.Query{Name: "Karim Khan", BirthDate: "1970-03-30", Countries: []string{"United Kingdom"}})
	if same <= base || len(ev) != 2 {
		t.Errorf("agreeing DOB and country: %v -> %v, evidence %+v", base, same, ev)
	}
	year, _ := score(lexscreen.Query{Name: "Karim Khan", BirthDate: "1970"})
	if year <= base {
		t.Errorf("agreeing year of birth: %v -> %v", base, year)
	}
	other, _ := score(lexscreen.Query{Name: "Karim Khan", BirthDate: "1991-01-01"})
	if other >= DefaultThreshold {
		t.Errorf("a Karim Khan born 1991 still matches the prosecutor (born 1970): %v", other)
	}
	// An identifier finds the entity on its own.
	ms := m.Screen(lexscreen.Query{Identifiers: []string{"518 353 876"}})
	if len(ms) == 0 || ms[0].Entity.ID != "us-ofac-sdn:52965" {
		t.Errorf("passport number: %+v", ms)
	}
}

// Types keep persons and organisations apart.
func TestSchemaFilter(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, mt := range m.Screen(lexscreen.Query{Name: "Al Haq", Schema: lexscreen.SchemaPerson}) {
		if mt.Entity.Schema == lexscreen.SchemaOrganization {
			t.Errorf("person query matched organisation %s", mt.Entity.ID)
		}
	}
}

// OFSI tags Korean names the wrong way round (the surname as the given
// name, the given name's two syllables as the family name); the matcher
// reads such a name untagged, and leaves other tagged names alone.
func TestKoreanTagsSwapped(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	tagged := func(given, family string) *lexscreen.Entity {
		return &lexscreen.Entity{ID: "p:1", Source: "p", Schema: lexscreen.SchemaPerson, Names: []lexscreen.Name{{
			Full: given + " " + family, Kind: lexscreen.NamePrimary,
			Parts: []lexscreen.NamePart{{Kind: lexscreen.PartGiven, Value: given}, {Kind: lexscreen.PartFamily, Value: family}}}}}
	}
	q := func(name string) lexscreen.Query { return lexscreen.Query{Name: name, Schema: lexscreen.SchemaPerson} }
	if s := m.ScorePair(q("PAK CHOL"), tagged("PAK", "SONG CHOL")); s < DefaultThreshold {
		t.Errorf("PAK CHOL ~ PAK [SONG CHOL]: %.3f, want a match", s)
	}
	if s := m.ScorePair(q("Maria Cruz"), tagged("Maria", "DE LA CRUZ")); s < DefaultThreshold {
		t.Errorf("Maria Cruz ~ Maria [DE LA CRUZ]: %.3f, want a match", s)
	}
	if koreanTagsSwapped(tagged("Maria", "DE LA CRUZ").Names[0]) || !koreanTagsSwapped(tagged("RI", "SU YONG").Names[0]) {
		t.Error("koreanTagsSwapped: wrong reading")
	}
}

// Untyped queries of people's names against ships' and firms' names.
func TestUntypedPersonAgainstVessels(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, c := range []struct {
		query, listed string
		schema        lexscreen.Schema
	}{
		{"Lauren Dunn", "LAUREN", lexscreen.SchemaVessel},                               // no legal forms on ships: Dunn is a word
		{"Maria Rivera", "INMOBILIARIA RIVERA MARADIAGA", lexscreen.SchemaOrganization}, // Maria is no abbreviation of Maradiaga
	} {
		e := &lexscreen.Entity{ID: "p:1", Source: "p", Schema: c.schema, Names: []lexscreen.Name{{Full: c.listed, Kind: lexscreen.NamePrimary}}}
		if s := m.ScorePair(lexscreen.Query{Name: c.query}, e); s >= DefaultThreshold {
			t.Errorf("%q ~ %q (%s): %.3f, want no match", c.query, c.listed, c.schema, s)
		}
	}
	e := &lexscreen.Entity{ID: "p:1", Source: "p", Schema: lexscreen.SchemaOrganization, Names: []lexscreen.Name{{Full: "Volga International Manufacturing", Kind: lexscreen.NamePrimary}}}
	if s := m.ScorePair(lexscreen.Query{Name: "Volga Intl Mfg"}, e); s < DefaultThreshold {
		t.Errorf("Volga Intl Mfg ~ Volga International Manufacturing: %.3f, want a match", s)
	}
}

func TestScorePair(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	pair := func(a, b string, s lexscreen.Schema) float64 {
		return m.ScorePair(lexscreen.Query{Name: a, Schema: s},
			&lexscreen.Entity{ID: "p:1", Source: "p", Schema: s, Names: []lexscreen.Name{{Full: b, Kind: lexscreen.NamePrimary}}})
	}
	for _, c := range []struct {
		a, b  string
		s     lexscreen.Schema
		match bool
	}{
		{"Olaf Scholz", "Olaf Scholz", lexscreen.SchemaPerson, true},
		{"Siemens Aktiengesellschaft", "Siemens AG", lexscreen.SchemaOrganization, true},
		{"Good Will Company", "Goodwill Company", lexscreen.SchemaOrganization, true},
		{"Mohammed Ali", "Muhammad Ali", lexscreen.SchemaPerson, true},
		{"Alisher Usmanov", "AlisherUsmanov", lexscreen.SchemaPerson, true},
		{"Oleg Popoff", "Oleg Popov", lexscreen.SchemaPerson, true},
		{"L.X.C Aviation", "LXC Aviation", lexscreen.SchemaOrganization, true},
		{"John Smith", "Jane Doe", lexscreen.SchemaPerson, false},
		{"Mark Albert Taylor", "Mark John Taylor", lexscreen.SchemaPerson, false},
		{"Wang Wei", "Yang Wei", lexscreen.SchemaPerson, false},
		{"Volga Trading GmbH", "Volga Trading AG", lexscreen.SchemaOrganization, false}, // limited company vs joint-stock company
		{"Volga Trading GmbH", "Volga Trading Ltd", lexscreen.SchemaOrganization, true},
		{"Volga Trading OU", "Volga Trading OOO", lexscreen.SchemaOrganization, true}, // a form of unknown class
		{"Aurora Capital Fund II", "Aurora Capital Fund", lexscreen.SchemaOrganization, false},
		{"MV Northern Star", "Northern Star 2", lexscreen.SchemaVessel, false}, // another hull of the fleet
		{"Northern Star 5", "Northern Star 6", lexscreen.SchemaVessel, false},
		{"Northern Spirit Capital Fund", "Northern Spirit Capital Fund I", lexscreen.SchemaOrganization, false}, // a numeral, not an initial
		{"Peter K. Lindqvist", "Peter Johan Lindqvist", lexscreen.SchemaPerson, false},                          // middle names disagree
		{"Peter J. Lindqvist", "Peter Johan Lindqvist", lexscreen.SchemaPerson, true},
		{"Kalina Cosmetics", "Kalina Cosmetics Europe", lexscreen.SchemaOrganization, true}, // a region in a firm's name
		{"Kalina Cosmetics Spain", "Kalina Cosmetics Netherlands", lexscreen.SchemaOrganization, false},
		{"Lotus", "Lotus", lexscreen.SchemaVessel, true},
		{"Daniel Martin", "Danielle Martin", lexscreen.SchemaPerson, false}, // a man's and a woman's name (a weak pair: with a rare family name it still matches)
		{"Denis Martin", "Denise Martin", lexscreen.SchemaPerson, false},
		{"Julien Martin", "Julienne Martin", lexscreen.SchemaPerson, false},
		{"Volga Credit Bank Trust Company", "Volga Credit Bank", lexscreen.SchemaOrganization, false}, // the group's trust arm
		{"Volga Credit Insurance", "Volga Credit Bank", lexscreen.SchemaOrganization, false},
		{"Volga Credit", "Volga Credit Bank", lexscreen.SchemaOrganization, true},
		{"NWC Europe", "Northern Wind Consortium", lexscreen.SchemaOrganization, true},                                     // a firm's acronym, and a region
		{"Volgatrans Obschchestvo S Ogranichennoy Otvetstvennostyu", "Volgatrans OOO", lexscreen.SchemaOrganization, true}, // a legal form written out, transliterated
		{"Volgatrans Commercial Ban", "Volgatrans JSCB", lexscreen.SchemaOrganization, true},
		{"Karadeniz Gida Anoneem Sirketi", "Karadeniz Gida Anonim Sirketi", lexscreen.SchemaOrganization, true}, // read only in part: its kind is unknown
		{"Volga Trading Bank AG", "Volga Trading Bank GmbH", lexscreen.SchemaOrganization, false},               // ... but a form read whole keeps its kind
		{"Kyivtrans Logistyka Toff", "Kyivtrans Logistyka TOV", lexscreen.SchemaOrganization, true},             // a short legal form transliterated
		{"Joint Stok Commercial Bank Volga Credit", "JSCB Volga Credit", lexscreen.SchemaOrganization, true},    // "bank" of the legal form is no sector word
		{"M/V S-Mariner", "S-MARINER", lexscreen.SchemaVessel, true},                                            // the ship-type prefix is not part of an acronym
		{"Torgoviy Dom Opk", "TORGOVIY DOM OPK", lexscreen.SchemaOrganization, true},                            // a word one side reads as a particle
		{"Sigrun Jonsdottir", "Sigrun Olafsdottir", lexscreen.SchemaPerson, false},                              // alike only in the patronymic ending
		{"Giorgi Beridze", "Giorgi Baramidze", lexscreen.SchemaPerson, false},
		{"Ahmad Abdulrashid", "Ahmad Abdulrahman", lexscreen.SchemaPerson, false}, // "servant of" two other names
		{"Nikolai Kostyenko", "Nikolai Kostenko", lexscreen.SchemaPerson, true},
		{"Roberto Castellano", "Roberto Castelli", lexscreen.SchemaPerson, false}, // same beginning, another family name
		{"Roberto Castelano", "Roberto Castellano", lexscreen.SchemaPerson, true}, // a slip
		{"Sahib Nurzai", "Nurzai Sahib", lexscreen.SchemaPerson, true},            // an honorific written after the name, put first
		{"Francesca esenablA", "Francesca Albanese", lexscreen.SchemaPerson, true},
		{"Chou Hsiao-kang", "Zhou Xiaogang", lexscreen.SchemaPerson, true},   // Wade-Giles query, pinyin listed
		{"Zhou Xiaogang", "Chou Hsiao-kang", lexscreen.SchemaPerson, true},   // and the other way round // a word typed backwards (text direction lost)
		{"Lena Troels Skov", "LANA TV", lexscreen.SchemaOrganization, false}, // ... explains nothing when it is only part of an acronym
		{"Otus", "Lotus", lexscreen.SchemaVessel, true},                      // a letter missing
		{"Snow", "Snoe", lexscreen.SchemaVessel, false},
		{"Lotsu", "Lotus", lexscreen.SchemaVessel, true},                                     // two letters swapped
		{"Paola Ferreira", "Paolo Ferreira", lexscreen.SchemaPerson, false},                  // a woman and a man
		{"Husain Karimi", "Hossein Karimi", lexscreen.SchemaPerson, true},                    // spellings of one name
		{"Nordwind Trading Ink", "Nordwind Trading Inc", lexscreen.SchemaOrganization, true}, // the listed legal form misspelt
		{"UO Nordwind Trading", "OOO Nordwind Trading", lexscreen.SchemaOrganization, true},
		{"Nordwind Holdings PLK", "Nordwind Holdings PLC", lexscreen.SchemaOrganization, true},
		{"Nordic Ban Holding", "Nordic Bank Holding", lexscreen.SchemaOrganization, true},             // a letter dropped from a short word
		{"Kim Jon Su", "Kim Jong Su", lexscreen.SchemaPerson, false},                                  // but not the g of ng
		{"Fith Avenue Holdings", "Fifth Avenue Holdings", lexscreen.SchemaOrganization, true},         // a slip in a number word
		{"Baltic Shipping Intl", "Baltic Shipping International", lexscreen.SchemaOrganization, true}, // an abbreviation
		{"Brigade Forty 4", "Brigade 44", lexscreen.SchemaOrganization, true},                         // tens in words, units in digits
		{"Vanderstaal Shipping", "Van der Staal Shipping", lexscreen.SchemaOrganization, true},        // particles written joined
		{"Ali Hassan", "Abdali Hassan", lexscreen.SchemaPerson, false},                                // not in persons names
	} {
		if got := pair(c.a, c.b, c.s) >= DefaultThreshold; got != c.match {
			t.Errorf("%q ~ %q: match=%v, want %v (score %.3f)", c.a, c.b, got, c.match, pair(c.a, c.b, c.s))
		}
	}
}

// Retrieval never scans the corpus: the names a query reaches through the
// inverted indexes are a small part of all names, also when every word is
// common or misspelt, and only a bounded number of them is scored.
func TestCandidatesBounded(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, name := range []string{"Mohammed Ali Abdullah", "Mohamad Aly Abdulah", "Limited Liability Company Trading"} {
		pq, err := m.prepare(lexscreen.Query{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		sc := m.scratch.Get().(*scratch)
		for vi, v := range pq.variants {
			scored := len(m.candidates(v, pq.lookups[vi], sc, candidateK))
			reached := len(sc.touched)
			if scored > candidateK || reached == 0 || reached > ix.Names()/5 {
				t.Errorf("%q variant %d: reached %d of %d names, scored %d (want at most %d)",
					name, vi, reached, ix.Names(), scored, candidateK)
			}
		}
		m.scratch.Put(sc)
	}
}

func FuzzScreen(f *testing.F) {
	for _, s := range []string{"Karim Khan", "Владимир Путин", "习近平", "N. A. B.", "MV GAS DIOR", "", "a-b-c", "1st Bank"} {
		f.Add(s, "1970")
	}
	ix, _ := bundledIndex(f)
	m := New(ix)
	f.Fuzz(func(t *testing.T, name, dob string) {
		ms, err := m.ScreenWith(lexscreen.Query{Name: name, BirthDate: dob}, Options{Threshold: 0.5})
		if err != nil {
			return
		}
		for _, mt := range ms {
			if mt.Score < 0.5 || mt.Score > 1 || mt.Entity.ID == "" {
				t.Fatalf("%q: bad match %+v", name, mt)
			}
		}
	})
}

// A short name in Chinese, Korean or Japanese script is a person's name:
// screened without a type it does not match firms or vessels.
func TestShortHanNameIsPerson(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, name := range []string{"娜 冯", "稔 近藤", "영호 최", "金英哲"} {
		for _, mt := range m.Screen(lexscreen.Query{Name: name}) {
			if mt.Entity.Schema != lexscreen.SchemaPerson {
				t.Errorf("%q matched %s %s %q", name, mt.Entity.Schema, mt.Entity.ID, mt.Explanation.MatchedName)
			}
		}
	}
	if ms := m.Screen(lexscreen.Query{Name: "金英哲"}); len(ms) == 0 {
		t.Errorf("金英哲 without a type: no match")
	}
}

// smallIndex indexes entities with a few others for token rarity.
func smallIndex(es ...*lexscreen.Entity) *Index {
	b := NewBuilder(nil)
	for i, n := range []string{"SMITH, John", "GARCIA, Maria", "LOPEZ, Jose", "MARTIN, Pierre", "KIM, Song Il", "PAK, Chol",
		"WANG, Wei", "NOVAK, Petra", "HASSAN, Ali", "OKAFOR, Chidi"} {
		b.Add(&lexscreen.Entity{ID: "pad:" + string(rune('a'+i)), Source: "pad", Schema: lexscreen.SchemaPerson,
			Names: []lexscreen.Name{{Full: n, Kind: lexscreen.NamePrimary, Parts: ofac.PersonNameParts(n)}}})
	}
	for _, e := range es {
		b.Add(e)
	}
	return b.Build()
}

// listedPerson is a person as OFAC's list is read: "LAST, First Middle"
// split into parts.
func listedPerson(id, name, dob, country string) *lexscreen.Entity {
	e := &lexscreen.Entity{ID: id, Source: "test", Schema: lexscreen.SchemaPerson,
		Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary, Parts: ofac.PersonNameParts(name)}}}
	if dob != "" {
		d, _ := lexscreen.ParseISODate(dob)
		e.BirthDates = []lexscreen.DateValue{{From: d}}
	}
	if country != "" {
		e.Nationalities = []lexscreen.Country{{Code: country}}
	}
	return e
}

// A Spanish or Portuguese name with two surnames, written with a given
// name and one of them, is that name: above the threshold with an
// agreeing date of birth or nationality, just under it alone.
func TestOneSurname(t *testing.T) {
	m := New(smallIndex(
		listedPerson("t:soto", "SOTO VALDIVIA, Ramiro Esteban", "1971-05-02", "MX"),
		listedPerson("t:nunes", "NUNES FERRAZ, Tiago", "1980-02-11", "BR"),
		listedPerson("t:ruiz", "RUIZ Y ARANDA, Benigno", "1958-09-30", ""),  // a joining particle, no country
		listedPerson("t:karimi", "KARIMI NASAB, Hamid", "1966-01-01", "IR"), // a compound family name elsewhere
	))
	for _, c := range []struct {
		q    lexscreen.Query
		want string // "" = no match
	}{
		{lexscreen.Query{Name: "Ramiro Soto", BirthDate: "1971-05-02"}, "t:soto"},       // given + first surname, middle name left out
		{lexscreen.Query{Name: "Ramiro Valdivia", Countries: []string{"MX"}}, "t:soto"}, // given + last surname
		{lexscreen.Query{Name: "Ramiro Esteban Soto", Countries: []string{"Mexico"}}, "t:soto"},
		{lexscreen.Query{Name: "Tiago Ferraz", BirthDate: "1980", Countries: []string{"BR"}}, "t:nunes"}, // Portuguese: the last surname
		{lexscreen.Query{Name: "Benigno Ruiz", BirthDate: "1958-09-30"}, "t:ruiz"},
		{lexscreen.Query{Name: "Ramiro Soto"}, ""},                                                     // the name alone is near, not above
		{lexscreen.Query{Name: "Ramiro Soto", BirthDate: "1990-01-01", Countries: []string{"MX"}}, ""}, // another person
		{lexscreen.Query{Name: "Ramiro Lopez Soto", BirthDate: "1971-05-02"}, ""},                      // another second surname
		{lexscreen.Query{Name: "Hamid Karimi", BirthDate: "1966-01-01"}, ""},                           // not a two-surname name
	} {
		ms := m.Screen(c.q)
		got := ""
		if len(ms) > 0 {
			got = ms[0].Entity.ID
		}
		if got != c.want {
			summary := ""
			if len(ms) > 0 {
				summary = ms[0].Explanation.Summary
			}
			t.Errorf("%+v: got %q, want %q (%s)", c.q, got, c.want, summary)
		}
	}
	// On the name alone it is near the threshold, and says why.
	mt, ok := m.ExplainPair(lexscreen.Query{Name: "Ramiro Soto"}, listedPerson("t:soto", "SOTO VALDIVIA, Ramiro Esteban", "", "MX"))
	if !ok || mt.Score < DefaultThreshold-0.03 || mt.Score >= DefaultThreshold {
		t.Errorf("Ramiro Soto alone: %v %s", mt.Score, mt.Explanation.Summary)
	}
	if !strings.Contains(mt.Explanation.Summary, "one_surname") {
		t.Errorf("no one_surname evidence: %s", mt.Explanation.Summary)
	}
}

// The break between the syllables of a romanised Korean given name is no
// evidence: moved by a letter or dropped, the name is the same.
func TestSyllableBreak(t *testing.T) {
	m := New(smallIndex(
		listedPerson("t:ryang", "RYANG, Chol Hun", "", "KP"),
		listedPerson("t:so", "SO, Myong Ae", "", "KP"),
		listedPerson("t:hwang", "HWANG, Chol", "", "KP"),
	))
	for _, c := range []struct{ q, want string }{
		{"Ryang Cho-lhun", "t:ryang"},
		{"Ryang Cholh-un", "t:ryang"},
		{"Ryang Cholhun", "t:ryang"},
		{"Ryang Chol-hun", "t:ryang"},
		{"So Myo-ngae", "t:so"}, // a syllable that is a particle elsewhere ("ae" is not, "on" is)
		{"Hwang Cho-lhun", ""},  // the letters run on into no listed name
		{"Ryang Cho-lhan", ""},  // other letters
	} {
		for _, schema := range []lexscreen.Schema{lexscreen.SchemaPerson, ""} {
			ms := m.Screen(lexscreen.Query{Name: c.q, Schema: schema})
			got := ""
			if len(ms) > 0 {
				got = ms[0].Entity.ID
			}
			if got != c.want {
				t.Errorf("%q (%q): got %q, want %q", c.q, schema, got, c.want)
			}
		}
	}
}

// ScorePair scores what screening scores: the same pairs, persons and
// organisations, read as a list entry, score the same.
func TestScorePairIsScreen(t *testing.T) {
	org := func(id, name string) *lexscreen.Entity {
		return &lexscreen.Entity{ID: id, Source: "test", Schema: lexscreen.SchemaOrganization, Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary}}}
	}
	es := []*lexscreen.Entity{
		listedPerson("t:soto", "SOTO VALDIVIA, Ramiro Esteban", "1971-05-02", "MX"),
		listedPerson("t:lind", "LINDQVIST, Peter Johan", "", ""),
		listedPerson("t:ryang", "RYANG, Chol Hun", "", "KP"),
		{ID: "t:plain", Source: "test", Schema: lexscreen.SchemaPerson, Names: []lexscreen.Name{{Full: "Ramiro Esteban Soto Valdivia", Kind: lexscreen.NamePrimary}}},
		org("t:volga", "Volga Trading Bank GmbH"),
		org("t:nord", "Nordwind Holdings PLC"),
	}
	m := New(smallIndex(es...))
	byID := map[string]*lexscreen.Entity{}
	for _, e := range es {
		byID[e.ID] = e
	}
	for _, c := range []struct {
		q  lexscreen.Query
		id string
	}{
		{lexscreen.Query{Name: "Ramiro Soto"}, "t:soto"},
		{lexscreen.Query{Name: "Ramiro Soto", BirthDate: "1971-05-02", Countries: []string{"MX"}}, "t:soto"},
		{lexscreen.Query{Name: "Ramiro Soto", Schema: lexscreen.SchemaPerson}, "t:plain"},
		{lexscreen.Query{Name: "Peter J. Lindqvist"}, "t:lind"},
		{lexscreen.Query{Name: "Petr Lindkvist", Schema: lexscreen.SchemaPerson}, "t:lind"},
		{lexscreen.Query{Name: "Ryang Cho-lhun"}, "t:ryang"},
		{lexscreen.Query{Name: "Volga Trading Bank"}, "t:volga"},
		{lexscreen.Query{Name: "Volga Trading Bank AG", Schema: lexscreen.SchemaOrganization}, "t:volga"},
		{lexscreen.Query{Name: "Nordwind Holdings PLK"}, "t:nord"},
		{lexscreen.Query{Name: "Nordwind Holding"}, "t:nord"},
	} {
		ms, err := m.ScreenWith(c.q, Options{Threshold: 0.01, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		screened := -1.0
		for _, mt := range ms {
			if mt.Entity.ID == c.id {
				screened = mt.Score
			}
		}
		pair := m.ScorePair(c.q, byID[c.id])
		if screened < 0 || pair != screened {
			t.Errorf("%+v ~ %s: screen %.3f, ScorePair %.3f", c.q, c.id, screened, pair)
		}
	}
}

// "The" before a firm's or a ship's name is no part of the name: a query
// that adds or drops it loses nothing, so a misspelt name keeps its score.
func TestLeadingArticle(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, c := range []struct {
		q, listed string
		s         lexscreen.Schema
		match     bool
	}{
		{"The Ekmlarota", "Kelmarota", lexscreen.SchemaOrganization, true}, // two slips in the one word
		{"Olrivanek", "THE LORIVANKE", lexscreen.SchemaOrganization, true},
		{"The Elvnartoi", "Velnartoi", lexscreen.SchemaVessel, true},
		{"The Nordwind Group", "Sudwind Group", lexscreen.SchemaOrganization, false},
		{"Thea Ekmlarota", "Kelmarota", lexscreen.SchemaOrganization, false}, // a word, not the article
	} {
		s := m.ScorePair(lexscreen.Query{Name: c.q, Schema: c.s},
			&lexscreen.Entity{ID: "p:1", Source: "p", Schema: c.s, Names: []lexscreen.Name{{Full: c.listed, Kind: lexscreen.NamePrimary}}})
		if got := s >= DefaultThreshold; got != c.match {
			t.Errorf("%q ~ %q (%s): match=%v, want %v (score %.3f)", c.q, c.listed, c.s, got, c.match, s)
		}
	}
}

// A slip in a name written in another transliteration is found: one slip
// apart in the canonical spelling (a letter added, or a letter typed with
// the key next to it).
func TestTranslitSlip(t *testing.T) {
	org := func(id, name string, s lexscreen.Schema) *lexscreen.Entity {
		return &lexscreen.Entity{ID: id, Source: "test", Schema: s, Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary}}}
	}
	m := New(smallIndex(
		org("t:corv", "CORVINA", lexscreen.SchemaOrganization),
		org("t:wal", "WALDRIN", lexscreen.SchemaVessel),
	))
	for _, c := range []struct{ q, want string }{
		{"Korvijna", "t:corv"}, // c written k, and a letter added
		{"Korbina", "t:corv"},  // b for v (the next key)
		{"Vaoldrin", "t:wal"},  // w written v, and a letter added
		{"Valdrinka", ""},      // more than a slip
	} {
		ms := m.Screen(lexscreen.Query{Name: c.q})
		got := ""
		if len(ms) > 0 {
			got = ms[0].Entity.ID
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.q, got, c.want)
		}
	}
}

// A name of one word of three letters is the listed one of four with a
// letter after the first left out; a letter changed is not enough.
func TestOneWordLetterLeftOut(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, c := range []struct {
		q, listed string
		s         lexscreen.Schema
		match     bool
	}{
		{"Tev", "TERV", lexscreen.SchemaVessel, true},
		{"MT Bal", "BALK", lexscreen.SchemaVessel, true},
		{"Dux S.A.", "DUNX S.A.", lexscreen.SchemaOrganization, true},
		{"Snoe", "Snow", lexscreen.SchemaVessel, false}, // a letter changed
		{"Olo", "VOLO", lexscreen.SchemaVessel, false},  // the first letter left out
	} {
		s := m.ScorePair(lexscreen.Query{Name: c.q, Schema: c.s},
			&lexscreen.Entity{ID: "p:1", Source: "p", Schema: c.s, Names: []lexscreen.Name{{Full: c.listed, Kind: lexscreen.NamePrimary}}})
		if got := s >= DefaultThreshold; got != c.match {
			t.Errorf("%q ~ %q: match=%v, want %v (score %.3f)", c.q, c.listed, got, c.match, s)
		}
	}
}

// An initial is never part of a word written apart: "Belanoc V. A." is a
// misspelt family name and two initials, not "belanocv".
func TestInitialNotJoined(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	for _, c := range []struct {
		q, listed string
		match     bool
	}{
		{"BELANOC V. A.", "BELANOV, Vadim Arkadievich", true},
		{"Tarvosk P. I.", "TARVOSKI, Pavel Ilyich", true},
		{"Belanov S. A.", "BELANOV, Vadim Arkadievich", false}, // the initials disagree
	} {
		s := m.ScorePair(lexscreen.Query{Name: c.q, Schema: lexscreen.SchemaPerson}, listedPerson("p:1", c.listed, "", ""))
		if got := s >= DefaultThreshold; got != c.match {
			t.Errorf("%q ~ %q: match=%v, want %v (score %.3f)", c.q, c.listed, got, c.match, s)
		}
	}
}
