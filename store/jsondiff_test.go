package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

func mustJSON(t testing.TB, e *lexscreen.Entity) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func base() *lexscreen.Entity {
	return &lexscreen.Entity{
		ID: "t:1", Source: "t", Schema: lexscreen.SchemaPerson,
		Names: []lexscreen.Name{
			{Full: "Ivan Petrov", Kind: lexscreen.NamePrimary},
			{Full: "Vanya", Kind: lexscreen.NameAlias},
			{Full: "Иван Петров", Kind: lexscreen.NameAlias, Script: "Cyrl"},
		},
		Gender:     "male",
		BirthDates: []lexscreen.DateValue{lexscreen.Single(lexscreen.PartialDate{Year: 1960})},
		Addresses: []lexscreen.Address{
			{City: "Moscow", Country: lexscreen.Country{Code: "RU", Name: "Russia"}},
			{Street: "1 Main St", City: "Minsk", Country: lexscreen.Country{Code: "BY", Name: "Belarus"}},
		},
		Designations: []lexscreen.Designation{
			{Authority: "US-OFAC", Program: "RUSSIA-EO14024", ListedOn: lexscreen.Single(lexscreen.PartialDate{Year: 2022, Month: 2, Day: 24})},
		},
		Titles:     []string{"General"},
		Attributes: map[string][]string{"call_sign": {"ABC"}},
	}
}

func TestDiffJSON(t *testing.T) {
	cases := []struct {
		name   string
		change func(e *lexscreen.Entity)
		want   []string
	}{
		{"identical", func(e *lexscreen.Entity) {}, nil},
		{"scalar", func(e *lexscreen.Entity) { e.Gender = "female" },
			[]string{`gender: "male" -> "female"`}},
		{"scalar removed", func(e *lexscreen.Entity) { e.Gender = "" },
			[]string{`gender: "male" -> ""`}},
		{"name inserted at the front is one addition", func(e *lexscreen.Entity) {
			e.Names = append([]lexscreen.Name{{Full: "Johnny", Kind: lexscreen.NameWeakAlias}}, e.Names...)
		}, []string{"names: + {full: Johnny, kind: weak_alias}"}},
		{"name removed", func(e *lexscreen.Entity) { e.Names = append(e.Names[:1], e.Names[2:]...) },
			[]string{"names: - {full: Vanya, kind: alias}"}},
		{"names reordered is no change", func(e *lexscreen.Entity) { e.Names[1], e.Names[2] = e.Names[2], e.Names[1] }, nil},
		{"name modified in place", func(e *lexscreen.Entity) { e.Names[2].Full = "Иван Петрович Петров" },
			[]string{`names[2].full: "Иван Петров" -> "Иван Петрович Петров"`}},
		{"name kind changed", func(e *lexscreen.Entity) { e.Names[1].Kind = lexscreen.NameWeakAlias },
			[]string{`names[1].kind: "alias" -> "weak_alias"`}},
		{"modified and moved", func(e *lexscreen.Entity) {
			e.Names = []lexscreen.Name{e.Names[0], {Full: "New", Kind: lexscreen.NamePrimary, Lang: "en", Script: "Latn"}, e.Names[2], {Full: "Vanya", Kind: lexscreen.NameAlias, Lang: "ru"}}
		}, []string{"names: + {full: New, kind: primary, script: Latn, lang: en}", `names[3].lang: "" -> "ru"`}},
		{"birth date precision", func(e *lexscreen.Entity) {
			e.BirthDates = []lexscreen.DateValue{lexscreen.Single(lexscreen.PartialDate{Year: 1960, Month: 8})}
		}, []string{"birth_dates: - 1960", "birth_dates: + 1960-08"}},
		{"birth date added as range", func(e *lexscreen.Entity) {
			e.BirthDates = append(e.BirthDates, lexscreen.DateValue{From: lexscreen.PartialDate{Year: 1961}, To: lexscreen.PartialDate{Year: 1962}, Circa: true})
		}, []string{"birth_dates: + ~1961..1962"}},
		{"list field appears", func(e *lexscreen.Entity) { e.Positions = []string{"Minister"} },
			[]string{"positions: + Minister"}},
		{"list field disappears", func(e *lexscreen.Entity) { e.Titles = nil },
			[]string{"titles: - General"}},
		{"address city", func(e *lexscreen.Entity) { e.Addresses[1].City = "Brest" },
			[]string{`addresses[1].city: "Minsk" -> "Brest"`}},
		{"nested object added", func(e *lexscreen.Entity) { e.BirthPlaces = []lexscreen.Place{{City: "Tula"}} },
			[]string{"birth_places: + {city: Tula}"}},
		{"country of address", func(e *lexscreen.Entity) { e.Addresses[0].Country = lexscreen.Country{Code: "UA", Name: "Ukraine"} },
			[]string{"addresses: - {city: Moscow, country: {code: RU, name: Russia}}", "addresses: + {city: Moscow, country: {code: UA, name: Ukraine}}"}},
		{"address postal code added", func(e *lexscreen.Entity) { e.Addresses[1].PostalCode = "220000" },
			[]string{`addresses[1].postal_code: "" -> "220000"`}},
		{"designation program", func(e *lexscreen.Entity) { e.Designations[0].Program = "UKRAINE-EO13660" },
			[]string{`designations[0].program: "RUSSIA-EO14024" -> "UKRAINE-EO13660"`}},
		{"designation date", func(e *lexscreen.Entity) {
			e.Designations[0].ListedOn = lexscreen.Single(lexscreen.PartialDate{Year: 2022, Month: 3, Day: 1})
		}, []string{`designations[0].listed_on: "2022-02-24" -> "2022-03-01"`}},
		{"attribute value", func(e *lexscreen.Entity) { e.Attributes["call_sign"] = []string{"XYZ"} },
			[]string{"attributes.call_sign: - ABC", "attributes.call_sign: + XYZ"}},
		{"attribute added", func(e *lexscreen.Entity) { e.AddAttribute("flag", "Panama") },
			[]string{"attributes.flag: + Panama"}},
		{"remarks", func(e *lexscreen.Entity) { e.Remarks = "new" },
			[]string{`remarks: "" -> "new"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := base()
			b := base()
			c.change(b)
			fields, err := DiffJSON(mustJSON(t, a), mustJSON(t, b))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fields {
				got = append(got, f.String())
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestDiffJSONFieldOps(t *testing.T) {
	a, b := base(), base()
	b.Names = append(b.Names, lexscreen.Name{Full: "X", Kind: lexscreen.NameAlias})
	b.Titles = nil
	b.Gender = "female"
	fields, err := DiffJSON(mustJSON(t, a), mustJSON(t, b))
	if err != nil {
		t.Fatal(err)
	}
	want := []FieldChange{
		{Field: "names", Op: OpAdd, To: "{full: X, kind: alias}"},
		{Field: "gender", Op: OpChange, From: "male", To: "female"},
		{Field: "titles", Op: OpRemove, From: "General"},
	}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("got %+v", fields)
	}
	if _, err := DiffJSON([]byte("{"), []byte("{}")); err == nil {
		t.Error("truncated JSON accepted")
	}
	if _, err := DiffJSON([]byte("{} x"), []byte("{}")); err == nil {
		t.Error("trailing garbage accepted")
	}
}

// FuzzDiffJSON checks that comparing arbitrary JSON never panics and that a
// value compared with itself has no changes.
func FuzzDiffJSON(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[1,2,{"c":"d"}]}`), []byte(`{"b":[{"c":"e"},2],"a":null}`))
	f.Add(mustJSON(f, base()), []byte(`[]`))
	f.Add([]byte(`{"birth_dates":[{"from":"1960","circa":true}],"designations":[{"listed_on":{"to":"2020"}}]}`), []byte(`"x"`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		DiffJSON(a, b)
		if strings.Count(string(a), "[") > 200 {
			return
		}
		if json.Valid(a) {
			fields, err := DiffJSON(a, a)
			if err != nil {
				t.Fatalf("valid JSON %q: %v", a, err)
			}
			if len(fields) != 0 {
				t.Fatalf("self-diff of %q: %v", a, fields)
			}
		}
	})
}
