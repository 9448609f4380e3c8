package ca

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"os"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

const excerpt = "testdata/sema-lmes-excerpt.xml"

func parseBytes(t testing.TB, b []byte) ([]*lexscreen.Entity, error) {
	t.Helper()
	var out []*lexscreen.Entity
	err := parseReader(context.Background(), "sema-lmes.xml", bytes.NewReader(b), func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

func parseExcerpt(t *testing.T) map[string]*lexscreen.Entity {
	t.Helper()
	var list []*lexscreen.Entity
	meta, err := FormatSEMA.Parse(context.Background(), []source.File{source.OSFile(excerpt)}, func(e *lexscreen.Entity) error {
		list = append(list, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Source != SourceID {
		t.Fatalf("Meta.Source = %q", meta.Source)
	}
	if len(list) != 23 {
		t.Fatalf("parsed %d entities, want 23", len(list))
	}
	m := map[string]*lexscreen.Entity{}
	for _, e := range list {
		if m[e.ID] != nil {
			t.Fatalf("duplicate id %s", e.ID)
		}
		if e.Source != SourceID {
			t.Fatalf("%s: Source %q", e.ID, e.Source)
		}
		m[e.ID] = e
	}
	return m
}

func names(e *lexscreen.Entity) []string {
	var s []string
	for _, n := range e.Names {
		x := string(n.Kind) + ":" + n.Full
		if n.Script != "" {
			x += "|" + n.Script
		}
		if n.Lang != "" {
			x += "|" + n.Lang
		}
		s = append(s, x)
	}
	return s
}

func TestExcerpt(t *testing.T) {
	m := parseExcerpt(t)
	tests := []struct {
		id       string
		schema   lexscreen.Schema
		names    []string // prefix of names
		dob      []string
		program  string
		law      string
		listed   string
		ref      string
		country  string
		attrs    map[string]string
		titles   []string
		imo      string
		partsGiv string
	}{
		{id: "ca-sema:belarus-1-part-1-1", schema: lexscreen.SchemaPerson, names: []string{"primary:Khazalbek Bakhtibekovich Atabekov"},
			program: "Belarus / Bélarus", law: LawSEMA, listed: "2020-09-28", ref: "Schedule 1, Part 1, Item 1", country: "BY", partsGiv: "Khazalbek Bakhtibekovich"},
		{id: "ca-sema:belarus-1-part-1-8", schema: lexscreen.SchemaPerson, names: []string{"primary:Aleksandr Grigoryevich Lukashenko"}, dob: []string{"1954-08-30"}},
		{id: "ca-sema:belarus-1-part-1-99", schema: lexscreen.SchemaPerson, names: []string{
			"primary:Ruslan Khikmetavich MASHADZIYEU", "alias:Ruslan Khikmetavich MASHADZEOU", "alias:Ruslan Chikmetovič MAŠADZEV",
			"alias:Mashadiyev Ruslan Khikmetovich", "alias:Ruslan Khikmetovich MASHADIYEV",
			"alias:Руслан Хiкметовiч МАШАДЗЕЎ|Cyrl|be", "alias:Руслан Хикметович МАШАДИЕВ|Cyrl|ru"}},
		{id: "ca-sema:hamas-terrorist-attacks-part-1-1", names: []string{"primary:Yahya Sinwar", "alias:Yehya Sinwar", "alias:Abu Ibrahim", "alias:يحيى السنوار|Arab"},
			dob: []string{"1962-10-29"}, program: "Hamas Terrorist Attacks / Attaques terroristes du Hamas", ref: "Schedule Part 1, Item 1", country: "-"},
		{id: "ca-sema:sudan-part-1-1", dob: []string{"~1970..1973"}, country: "SD",
			names: []string{"primary:Abdelrahim Hamdan Dagalo", "alias:Abdel Rahim Hamdan Dagalo", "alias:Abdelrahim Dagalo", "alias:Abdul Rahim Dagalo", "alias:Abdelrahim Hamdan Dagalo Mousa", "alias:عبدالرحيم دقلو|Arab|ar"}},
		{id: "ca-sema:iran-1-part-2-1-70", dob: []string{"1963..1964"}},
		{id: "ca-sema:iran-1-part-2-1-107", dob: []string{"1963", "1964"}},
		{id: "ca-sema:venezuela-117", dob: []string{"1965-07-15", "1969-09-28"}, ref: "Item 117", country: "VE"},
		{id: "ca-sema:russia-1-part-1-1114", dob: []string{"1999-09"}, names: []string{"primary:Kirill Alekseevich MORDASHOV", "alias:Кирилл Алексеевич Мордашов|Cyrl"}},
		{id: "ca-sema:sudan-part-1-2", dob: []string{"1953-10-27"}, names: []string{"primary:Ali Karti", "alias:Ali Ahmed Karti", "alias:علي أحمد كرتي|Arab|ar"}},
		{id: "ca-sema:russia-1-1-1", schema: lexscreen.SchemaVessel, names: []string{"primary:Balitiyskiy III"}, imo: "7612448",
			attrs: map[string]string{"build_year": "1980", "vessel_type": "General Cargo / Multi Purpose"}, ref: "Schedule 1.1, Item 1", listed: "2025-02-21", country: "RU"},
		{id: "ca-sema:russia-1-1-6", schema: lexscreen.SchemaVessel, attrs: map[string]string{"vessel_type": "Oil Tanker", "build_year": "1997"}},
		{id: "ca-sema:iran-1-part-1-136", schema: lexscreen.SchemaOrganization, names: []string{
			"primary:Islamic Revolutionary Guard Corps/Corps des Gardiens de la Révolution islamique",
			"alias:Islamic Revolutionary Guard Corps", "alias:Corps des Gardiens de la Révolution islamique", "alias:IRGC"}, program: "Iran", country: "IR"},
		{id: "ca-sema:russia-1-part-3-16", schema: lexscreen.SchemaOrganization, names: []string{"primary:Khamovnicheskiy District Court of Moscow",
			"alias:Хамовнический районный суд города Москвы|Cyrl", "alias:Khamovnichesky Court of Moscow", "alias:Khamovniki Court of Moscow"}},
		{id: "ca-sema:ukraine-part-2-52", names: []string{"primary:Ministry of Education, Science and Youth of the Republic of Crimea",
			"alias:Министерство образования, науки и молодежи Республики Крым|Cyrl"}},
		{id: "ca-sema:justice-for-victims-of-corrupt-foreign-officials-regulations-jvcfor-1", names: []string{"primary:Nicolás MADURO MOROS"}, law: LawJVCFOA, country: "-"},
		{id: "ca-sema:russia-1-part-1-115", names: []string{"primary:Sergey Alekseyevich SHCHERBAKOV", "weak_alias:Sergei", "alias:Serhii SHERBAKOV"}},
		{id: "ca-sema:myanmar-burma-part-1-84", names: []string{"primary:Myanma Five Star Shipping Company", "alias:Myanma Five Star Line Company Limited"}, country: "MM"},
		{id: "ca-sema:iran-1-part-2-1-80", names: []string{"primary:Abbas Nilforushan", "alias:Abbas Morteza Nilforoushan Abbas Morteza Nilforushan", "alias:عباس نیلفروشان|Arab"}},
		{id: "ca-sema:syria-part-2-81", titles: []string{"Dr."}},
		{id: "ca-sema:zimbabwe-166", names: []string{"primary:Josaya Dunira Hungwe"}, listed: "2008-09-04", ref: "Item 166"},
	}
	for _, tc := range tests {
		e := m[tc.id]
		if e == nil {
			t.Errorf("missing %s", tc.id)
			continue
		}
		if tc.schema != "" && e.Schema != tc.schema {
			t.Errorf("%s: schema %q, want %q", tc.id, e.Schema, tc.schema)
		}
		got := names(e)
		for i, n := range tc.names {
			if i >= len(got) || got[i] != n {
				t.Errorf("%s: names %q, want prefix %q", tc.id, got, tc.names)
				break
			}
		}
		if tc.dob != nil && strings.Join(sharedtest.Dates(e.BirthDates), ",") != strings.Join(tc.dob, ",") {
			t.Errorf("%s: birth dates %q, want %q", tc.id, sharedtest.Dates(e.BirthDates), tc.dob)
		}
		if len(e.Designations) != 1 {
			t.Fatalf("%s: %d designations", tc.id, len(e.Designations))
		}
		d := e.Designations[0]
		if d.Authority != "CA-GAC" {
			t.Errorf("%s: authority %q", tc.id, d.Authority)
		}
		if tc.program != "" && d.Program != tc.program {
			t.Errorf("%s: program %q, want %q", tc.id, d.Program, tc.program)
		}
		if tc.law != "" && d.LegalBasis != tc.law {
			t.Errorf("%s: legal basis %q, want %q", tc.id, d.LegalBasis, tc.law)
		}
		if tc.listed != "" && d.ListedOn.String() != tc.listed {
			t.Errorf("%s: listed %q, want %q", tc.id, d.ListedOn.String(), tc.listed)
		}
		if tc.ref != "" && d.Reference != tc.ref {
			t.Errorf("%s: reference %q, want %q", tc.id, d.Reference, tc.ref)
		}
		switch tc.country {
		case "":
		case "-":
			if len(e.Countries) != 0 {
				t.Errorf("%s: countries %v, want none", tc.id, e.Countries)
			}
		default:
			if len(e.Countries) != 1 || e.Countries[0].Code != tc.country {
				t.Errorf("%s: countries %v, want %s", tc.id, e.Countries, tc.country)
			}
		}
		for k, v := range tc.attrs {
			if a := e.Attributes[k]; len(a) != 1 || a[0] != v {
				t.Errorf("%s: attribute %s = %q, want %q", tc.id, k, a, v)
			}
		}
		if tc.titles != nil && strings.Join(e.Titles, "|") != strings.Join(tc.titles, "|") {
			t.Errorf("%s: titles %q, want %q", tc.id, e.Titles, tc.titles)
		}
		if tc.imo != "" && (len(e.Identifiers) != 1 || e.Identifiers[0].Kind != lexscreen.IDIMO || e.Identifiers[0].Number != tc.imo) {
			t.Errorf("%s: identifiers %+v, want IMO %s", tc.id, e.Identifiers, tc.imo)
		}
		if tc.partsGiv != "" && (len(e.Names[0].Parts) != 2 || e.Names[0].Parts[0] != (lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: tc.partsGiv})) {
			t.Errorf("%s: parts %+v", tc.id, e.Names[0].Parts)
		}
	}
	// Year-only precision must stay year-only, never a full date.
	if d := m["ca-sema:iran-1-part-2-1-107"].BirthDates[0].From; d.Precision() != "year" {
		t.Errorf("1963 precision %q", d.Precision())
	}
}

func TestDeterministic(t *testing.T) {
	b, err := os.ReadFile(excerpt)
	if err != nil {
		t.Fatal(err)
	}
	a1, err1 := parseBytes(t, b)
	a2, err2 := parseBytes(t, b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	j1, _ := json.Marshal(a1)
	j2, _ := json.Marshal(a2)
	if !bytes.Equal(j1, j2) {
		t.Fatal("two parses differ")
	}
}

func TestDuplicateKey(t *testing.T) {
	doc := `<data-set>
<record><Country>Russia / Russie</Country><EntityOrShip>A</EntityOrShip><Schedule>1, Part 3</Schedule><Item>5</Item></record>
<record><Country>Russia / Russie</Country><EntityOrShip>B</EntityOrShip><Schedule>1,Part 3</Schedule><Item>5</Item></record>
</data-set>`
	es, err := parseBytes(t, []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if es[0].ID != "ca-sema:russia-1-part-3-5" || es[1].ID != "ca-sema:russia-1-part-3-5-2" {
		t.Fatalf("ids %s %s", es[0].ID, es[1].ID)
	}
}

func TestErrors(t *testing.T) {
	full, err := os.ReadFile(excerpt)
	if err != nil {
		t.Fatal(err)
	}
	s := string(full)
	mid := strings.Index(s, "Balitiyskiy")
	afterRec := strings.LastIndex(s, "</record>") + len("</record>")
	tests := []struct {
		name, doc, want string
	}{
		{"truncated inside record", s[:mid], "unexpected end of file inside <record 16>"},
		{"truncated before root end", s[:afterRec], "unexpected end of file inside <data-set>"},
		{"wrong root", `<?xml version="1.0"?><sdnList><record/></sdnList>`, "root element <sdnList>, want <data-set>"},
		{"garbage", "this is not xml at all", "text before the root element"},
		{"empty", "", "no <data-set> element"},
		{"no records", "<data-set></data-set>", "no <record> elements"},
		{"no item", "<data-set><record><Country>Iran</Country><LastName>X</LastName></record></data-set>", "no key"},
		{"no name", "<data-set><record><Country>Iran</Country><Item>3</Item></record></data-set>", "has no name"},
		{"bad xml", "<data-set><record><Item>1</Itm></record></data-set>", "XML syntax error"},
	}
	for _, tc := range tests {
		_, err := parseBytes(t, []byte(tc.doc))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var le *lexscreen.Error
		if !errors.As(err, &le) || le.File != "sema-lmes.xml" || le.Code != lexscreen.EINVALID {
			t.Errorf("%s: error %#v not a located EINVALID error", tc.name, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want %q", tc.name, err, tc.want)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FormatSEMA.Parse(ctx, []source.File{source.OSFile(excerpt)}, func(*lexscreen.Entity) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSniff(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	if !FormatSEMA.Sniff("list.xml", b[:min(len(b), 8192)]) {
		t.Error("excerpt not sniffed")
	}
	if !FormatSEMA.Sniff("sema-lmes.xml", []byte("<?xml version=\"1.0\"?>\n<data-set>")) {
		t.Error("file name not sniffed")
	}
	for _, h := range []string{`<sdnList><sdnEntry>`, `<CONSOLIDATED_LIST><INDIVIDUALS>`, "_id,source,entity_number", `<data-set><row><a>1</a></row>`} {
		if FormatSEMA.Sniff("x.xml", []byte(h)) {
			t.Errorf("sniffed %q", h)
		}
	}
}

func TestSplitAliases(t *testing.T) {
	tests := map[string][]string{
		"KGB, Belarusian KGB, Belarusian State Security Committee":                 {"KGB", "Belarusian KGB", "Belarusian State Security Committee"},
		"Пётр Михайлович Фрадков; Pyotr Mikhailovich Fradkov":                      {"Пётр Михайлович Фрадков", "Pyotr Mikhailovich Fradkov"},
		"Belarusian: Юры Іванавіч ВАСІЛЕВІЧ, Russian: Юрий Иванович ВАСИЛЕВИЧ":     {"Юры Іванавіч ВАСІЛЕВІЧ|be", "Юрий Иванович ВАСИЛЕВИЧ|ru"},
		"Анна Андреевна Пушкарева or Анна Андреевна Шейман":                        {"Анна Андреевна Пушкарева", "Анна Андреевна Шейман"},
		"GSK Advance, GSK Advance Co. Ltd. and GSK for Advanced Business Co. Ltd.": {"GSK Advance", "GSK Advance Co. Ltd.", "GSK for Advanced Business Co. Ltd."},
		"Syrian Company for the Storage and Distribution of Petroleum Products":    {"Syrian Company for the Storage and Distribution of Petroleum Products"},
		"(Владимир Михайлович РУЩАК / Володимир Михайлович РУЩАК":                  {"Владимир Михайлович РУЩАК", "Володимир Михайлович РУЩАК"},
		"Myanma Five Star Line Company\nLimited":                                   {"Myanma Five Star Line Company Limited"},
		"Ali Ahmed Karti \nArabic: علي أحمد كرتي":                                  {"Ali Ahmed Karti", "علي أحمد كرتي|ar"},
		" ": nil,
	}
	for in, want := range tests {
		var got []string
		for _, a := range splitAliases(in) {
			s := a.text
			if a.lang != "" {
				s += "|" + a.lang
			}
			got = append(got, s)
		}
		if strings.Join(got, "#") != strings.Join(want, "#") {
			t.Errorf("splitAliases(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRealFile parses the whole published list when the shared data folder
// is present (see internal/sharedtest).
func TestRealFile(t *testing.T) {
	path := sharedtest.Path(t, "data/lists/ca/2025-05/sema-lmes.xml")
	ids := map[string]bool{}
	schemas := map[lexscreen.Schema]int{}
	_, err := FormatSEMA.Parse(context.Background(), []source.File{source.OSFile(path)}, func(e *lexscreen.Entity) error {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		schemas[e.Schema]++
		if len(e.Names) == 0 || e.Names[0].Kind != lexscreen.NamePrimary {
			t.Errorf("%s: no primary name", e.ID)
		}
		for _, d := range e.BirthDates {
			if !d.From.IsZero() && !d.From.Valid() {
				t.Errorf("%s: invalid date %+v", e.ID, d)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 4759 {
		t.Errorf("parsed %d entities, want 4759 (README)", len(ids))
	}
	if schemas[lexscreen.SchemaVessel] != 109 || schemas[lexscreen.SchemaPerson] != 3334 || schemas[lexscreen.SchemaOrganization] != 1316 {
		t.Errorf("schemas %v", schemas)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile(excerpt)
	f.Add(b[:min(len(b), 4000)])
	f.Add([]byte(`<data-set><record><Country>Russia / Russie</Country><GivenName>A</GivenName><Item>1</Item><Aliases>x, y or z/ w; Russian: б</Aliases><DateOfBirthOrShipBuildDate>1960 or Sep-77</DateOfBirthOrShipBuildDate></record></data-set>`))
	f.Add([]byte(`<data-set><record>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseBytes(t, data)
		if err != nil {
			var le *lexscreen.Error
			if !errors.As(err, &le) {
				t.Fatalf("unlocated error %v", err)
			}
			return
		}
		for _, e := range es {
			if e.ID == "" || len(e.Names) == 0 {
				t.Fatalf("bad entity %+v", e)
			}
		}
	})
}
