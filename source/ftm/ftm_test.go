package ftm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

func memFile(name string, data []byte) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

func parseAll(t *testing.T, f source.Format, file source.File) (source.Meta, map[string]*lexscreen.Entity, []string) {
	t.Helper()
	got := map[string]*lexscreen.Entity{}
	var order []string
	meta, err := f.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
		got[e.ID] = e
		order = append(order, e.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", file.Name, err)
	}
	return meta, got, order
}

func TestEUFSF(t *testing.T) {
	meta, got, order := parseAll(t, FormatJSON, source.OSFile("testdata/eu_fsf_entities.ftm.json"))
	if meta.Source != "ftm-eu-fsf" {
		t.Errorf("Source = %q", meta.Source)
	}
	if meta.Version != "2024-06-01T10:57:03" || meta.Published.Year() != 2024 {
		t.Errorf("Version = %q, Published = %v", meta.Version, meta.Published)
	}
	// 7 lines, the Address record is folded away.
	if len(order) != 6 {
		t.Fatalf("got %d entities, want 6: %v", len(order), order)
	}
	p := got["ftm-eu-fsf:NK-2Ka3UvopqbpZmVDFjWd4LA"]
	if p == nil {
		t.Fatal("missing NK-2Ka3UvopqbpZmVDFjWd4LA")
	}
	if p.Source != "ftm-eu-fsf" || p.Schema != lexscreen.SchemaPerson || p.Gender != "male" {
		t.Errorf("person = %s %s %s", p.Source, p.Schema, p.Gender)
	}
	if p.Caption() != "Vitaly Yurievich KUZMENKO" {
		t.Errorf("Caption = %q", p.Caption())
	}
	n := sharedtest.FindName(p, "Виталий Юрьевич КУЗЬМЕНКО")
	if n == nil || n.Script != "Cyrl" || n.Kind != lexscreen.NamePrimary {
		t.Fatalf("Cyrillic name = %+v", n)
	}
	if len(n.Parts) != 2 || n.Parts[0] != (lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: "Виталий"}) ||
		n.Parts[1] != (lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: "КУЗЬМЕНКО"}) {
		t.Errorf("parts = %+v", n.Parts)
	}
	if n := sharedtest.FindName(p, "Vitalij Kuzmenko"); n == nil || len(n.Parts) != 2 || n.Parts[1].Value != "Kuzmenko" {
		t.Errorf("parts of Vitalij Kuzmenko = %+v", n)
	}
	if len(p.BirthDates) != 1 || p.BirthDates[0].From.String() != "1971-01-22" || p.BirthDates[0].From.Precision() != "day" {
		t.Errorf("BirthDates = %+v", p.BirthDates)
	}
	if len(p.Nationalities) != 1 || p.Nationalities[0].Code != "RU" {
		t.Errorf("Nationalities = %+v", p.Nationalities)
	}
	if len(p.Identifiers) != 1 || p.Identifiers[0] != (lexscreen.Identifier{Kind: lexscreen.IDTax, Label: "taxNumber", Number: "366510784303"}) {
		t.Errorf("Identifiers = %+v", p.Identifiers)
	}
	if len(p.Positions) != 1 || p.Positions[0] != "General Director of JSC 163 Armor Repair Plant" {
		t.Errorf("Positions = %+v", p.Positions)
	}
	if got := p.Attributes["topics"]; len(got) != 1 || got[0] != "sanction" {
		t.Errorf("topics = %v", got)
	}
	if p.Remarks != "The plant is part of the High Precision Systems holding company of Rostec" {
		t.Errorf("Remarks = %q", p.Remarks)
	}

	o := got["ftm-eu-fsf:NK-2GdmHtZTeNXjNVrBGEXZNj"]
	if o == nil || o.Schema != lexscreen.SchemaOrganization || o.Caption() != "RAB „Inter Tobacco“" {
		t.Fatalf("organization = %+v", o)
	}
	if len(o.Countries) != 1 || o.Countries[0] != (lexscreen.Country{Code: "BY", Name: "Belarus"}) {
		t.Errorf("Countries = %+v", o.Countries)
	}
	if n := sharedtest.FindName(o, "Εταιρία περιορισμένης ευθύνης “Inter Tobacco”"); n == nil || n.Script != "Grek" {
		t.Errorf("Greek name = %+v", n)
	}
	if o.Identifiers[0].Kind != lexscreen.IDRegistration || o.Identifiers[0].Number != "808000714" {
		t.Errorf("Identifiers = %+v", o.Identifiers)
	}
	if _, ok := got["ftm-eu-fsf:NK-2MQE6AmhAk4tqhENJAMUG9"]; ok {
		t.Error("Address record emitted as an entity")
	}
}

func TestZalaExcerpt(t *testing.T) {
	meta, got, order := parseAll(t, FormatJSON, source.OSFile("testdata/zala_excerpt.ftm.json"))
	if meta.Source != "ftm-zala-excerpt" {
		t.Errorf("Source = %q (records of several datasets: from the file name)", meta.Source)
	}
	if len(order) != 4 {
		t.Fatalf("got %d entities, want 4 (2 persons, 2 companies): %v", len(order), order)
	}
	p := got["ftm-zala-excerpt:NK-aU5ybkbRFJucf8YMwsJvDw"]
	if p == nil {
		t.Fatal("missing Zakharov")
	}
	if p.Caption() != "Alexander Vyacheslavovich ZAKHAROV" {
		t.Errorf("Caption = %q", p.Caption())
	}
	if a := sharedtest.Names(p, lexscreen.NameAlias); len(a) == 0 || a[0] != "Zacharov Aleksandr Vjačeslavovič" {
		t.Errorf("aliases = %v", a)
	}
	if len(p.BirthDates) != 1 || p.BirthDates[0].String() != "1965-09-21" {
		t.Errorf("BirthDates = %+v", p.BirthDates)
	}
	// Designations folded from Sanction records, in file (id) order.
	var ofac, fcdo *lexscreen.Designation
	for i, d := range p.Designations {
		switch d.Authority {
		case "US-OFAC":
			ofac = &p.Designations[i]
		case "GB-FCDO":
			fcdo = &p.Designations[i]
		}
	}
	if ofac == nil || ofac.Program != "RUSSIA-EO14024" || ofac.Reference != "45937" || ofac.List != "us_ofac_sdn" ||
		len(ofac.Measures) != 2 || ofac.Measures[1] != "Block" || !ofac.ListedOn.IsZero() {
		t.Errorf("OFAC designation = %+v", ofac)
	}
	if fcdo == nil || fcdo.Program != "The Russia (Sanctions) (EU Exit) Regulations 2019" || fcdo.ListedOn.From.String() != "2023-12-06" ||
		fcdo.Reference != "16271, RUS2051" || !strings.Contains(fcdo.Remarks, "Source: https://www.gov.uk/") {
		t.Errorf("FCDO designation = %+v", fcdo)
	}
	if len(p.Designations) != 3 {
		t.Errorf("got %d designations, want 3 (OFAC, FCDO, UA NSDC)", len(p.Designations))
	}
	// Address folded from the Address record.
	if len(p.Addresses) == 0 || p.Addresses[0].Full != "272 Pushkinskaya Street, Apt 41, Izhevsk, 426008" ||
		p.Addresses[0].City != "Izhevsk" || p.Addresses[0].Country.Code != "RU" || p.Addresses[0].PostalCode != "426008" {
		t.Errorf("Addresses = %+v", p.Addresses)
	}
	// Links from Family and Ownership.
	want := map[lexscreen.Link]bool{
		{Relation: "family_of", TargetID: "ftm-zala-excerpt:NK-JseaPJctnK9o8wrmz8xmoT"}:                                        false,
		{Relation: "owner_of", TargetID: "ftm-zala-excerpt:NK-cWSvGMvufNH5KwEV88FwTA", Start: "2005-09-16", End: "2005-11-03"}: false,
	}
	for _, l := range p.Links {
		if _, ok := want[l]; ok {
			want[l] = true
		}
	}
	for l, ok := range want {
		if !ok {
			t.Errorf("missing link %+v in %+v", l, p.Links)
		}
	}
	c := got["ftm-zala-excerpt:NK-cWSvGMvufNH5KwEV88FwTA"]
	if c == nil || c.Schema != lexscreen.SchemaOrganization {
		t.Fatalf("company = %+v", c)
	}
	found := false
	for _, l := range c.Links {
		// The Ownership's dates come with the link: a holding of 2005 is no holding today.
		found = found || l == lexscreen.Link{Relation: "owned_by", TargetID: "ftm-zala-excerpt:NK-aU5ybkbRFJucf8YMwsJvDw", Start: "2005-09-16", End: "2005-11-03"}
	}
	if !found {
		t.Errorf("company links = %+v", c.Links)
	}
	zala := got["ftm-zala-excerpt:NK-cPks3aTbes8k4aCerfBAzN"]
	if zala == nil || zala.Caption() != `Акціонерне товариство "Зала Аеро"` || zala.Names[0].Script != "Cyrl" {
		t.Fatalf("Zala Aero = %+v", zala)
	}
	var ogrn bool
	for _, id := range zala.Identifiers {
		ogrn = ogrn || (id.Label == "ogrnCode" && id.Kind == lexscreen.IDRegistration)
	}
	if !ogrn {
		t.Errorf("Zala identifiers = %+v", zala.Identifiers)
	}
	if zala.Attributes["target"][0] != "true" {
		t.Errorf("target = %v", zala.Attributes["target"])
	}
}

func TestDeterministic(t *testing.T) {
	var a, b []string
	for _, out := range []*[]string{&a, &b} {
		_, err := FormatJSON.Parse(context.Background(), []source.File{source.OSFile("testdata/zala_excerpt.ftm.json")}, func(e *lexscreen.Entity) error {
			*out = append(*out, strings.TrimSpace(strings.ReplaceAll(fmtEntity(e), "\n", " ")))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("two parses differ")
	}
}

func TestDelta(t *testing.T) {
	ctx := context.Background()
	var got []*lexscreen.Entity
	d, err := ParseDelta(ctx, []source.File{source.OSFile("testdata/yente_t2_20240528134729-3iv_entities.delta.json")}, func(e *lexscreen.Entity) error {
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Source != "ftm-yente-t2" || d.Meta.Version != "20240528134729-3iv" || d.Meta.Published.Hour() != 13 {
		t.Errorf("Meta = %+v", d.Meta)
	}
	if len(got) != 1 || got[0].ID != "ftm-yente-t2:Q4365364" || got[0].Caption() != "Vladimir Nikolaevich PLOTNIKOV" ||
		got[0].BirthDates[0].String() != "1961-11-30" || got[0].Gender != "male" {
		t.Fatalf("entities = %+v", got)
	}
	if len(d.Upserted) != 1 || len(d.Deleted) != 0 {
		t.Errorf("Delta = %+v", d)
	}

	d, err = ParseDelta(ctx, []source.File{source.OSFile("testdata/yente_t2_20240528074703-npf_entities.delta.json")}, nil)
	if err != nil || len(d.Deleted) != 1 || d.Deleted[0] != "ftm-yente-t2:NK-500Poltergeist" || len(d.Upserted) != 0 {
		t.Errorf("DEL delta = %+v, %v", d, err)
	}
	d, err = ParseDelta(ctx, []source.File{source.OSFile("testdata/yente_t2_20240528014702-pfh_entities.delta.json")}, nil)
	if err != nil || len(d.Upserted) != 2 || d.Upserted[1] != "ftm-yente-t2:NK-2T3S8Hu29ktYnKSTgQp2wL" {
		t.Errorf("ADD/MOD delta = %+v, %v", d, err)
	}
	// The empty delta is valid.
	n := 0
	meta, err := FormatDelta.Parse(ctx, []source.File{source.OSFile("testdata/yente_t2_20240527134702-zbn_entities.delta.json")}, func(*lexscreen.Entity) error { n++; return nil })
	if err != nil || n != 0 || meta.Source != "ftm-yente-t2" {
		t.Errorf("empty delta: %+v %d %v", meta, n, err)
	}
	// A Sanction-only delta lists the entity it changes as affected.
	sanction := `{"op":"ADD","entity":{"id":"ofac-1","schema":"Sanction","properties":{"entity":["NK-x"],"program":["SDGT"]},"datasets":["us_ofac_sdn"]}}` + "\n"
	d, err = ParseDelta(ctx, []source.File{memFile("entities.delta.json", []byte(sanction))}, nil)
	if err != nil || len(d.Affected) != 1 || !strings.HasSuffix(d.Affected[0], ":NK-x") || len(d.Upserted) != 0 {
		t.Errorf("sanction delta = %+v, %v", d, err)
	}
}

func TestErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/zala_excerpt.ftm.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, data, want string
		delta            bool
	}{
		{"truncated", string(good[:len(good)-200]), "zala.ftm.json:11", false},
		{"garbage", "\x00\x01garbage\n", "zala.ftm.json:1", false},
		{"no id", `{"schema":"Person","properties":{}}` + "\n", "without \"id\"", false},
		{"no schema", `{"id":"x","properties":{}}` + "\n", "without \"schema\"", false},
		{"delta in entities", `{"op":"ADD","entity":{"id":"x","schema":"Person"}}` + "\n", "delta operation", false},
		{"bad op", `{"op":"UPSERT","entity":{"id":"x","schema":"Person"}}` + "\n", "unknown delta operation", true},
		{"del without id", `{"op":"DEL","entity":{}}` + "\n", "DEL operation without", true},
		{"truncated delta", `{"op":"ADD","entity":{"id":"x","schema":"Pers`, "truncated", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := FormatJSON
			if c.delta {
				f = FormatDelta
			}
			_, err := f.Parse(context.Background(), []source.File{memFile("zala.ftm.json", []byte(c.data))}, func(*lexscreen.Entity) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var le *lexscreen.Error
			if !errors.As(err, &le) || le.Code != lexscreen.EINVALID || le.File != "zala.ftm.json" {
				t.Errorf("not a located EINVALID error: %#v", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FormatJSON.Parse(ctx, []source.File{memFile("a.ftm.json", good)}, func(*lexscreen.Entity) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled parse: %v", err)
	}
}

func TestSniff(t *testing.T) {
	ents, _ := os.ReadFile("testdata/zala_excerpt.ftm.json")
	delta, _ := os.ReadFile("testdata/yente_t2_20240528014702-pfh_entities.delta.json")
	head := func(b []byte) []byte {
		if len(b) > 8192 {
			return b[:8192]
		}
		return b
	}
	cases := []struct {
		name        string
		head        []byte
		json, delta bool
	}{
		{"entities.ftm.json", head(ents), true, false},
		{"anything.json", head(ents), true, false},
		{"entities.delta.json", head(delta), false, true},
		{"x.delta.json", nil, false, true},
		{"entities.ftm.json", nil, true, false},
		{"custom.json", []byte(`{"source":"icc-warrants","entities":[{"id":"1","names":[]}]}`), false, false},
		{"index.json", []byte(`{"datasets": [{"name": "x"}]}`), false, false},
		{"sdn.csv", []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n"), false, false},
	}
	for _, c := range cases {
		if got := FormatJSON.Sniff(c.name, c.head); got != c.json {
			t.Errorf("ftm-json Sniff(%s, %.30q) = %v", c.name, c.head, got)
		}
		if got := FormatDelta.Sniff(c.name, c.head); got != c.delta {
			t.Errorf("ftm-delta Sniff(%s, %.30q) = %v", c.name, c.head, got)
		}
	}
}

// TestSharedFiles parses the real FtM files of the shared data folder.
func TestSharedFiles(t *testing.T) {
	dir := sharedtest.Path(t, "data", "ftm")
	// Entity counts: the things (Person, Company, Organization, ...) of
	// each file; README.md there counts all 91 / 7 records including the
	// Sanction, Address and relationship records folded into them.
	for _, c := range []struct {
		file   string
		delta  bool
		n, del int
		source string
	}{
		{"yente_zala_entities.ftm.json", false, 17, 0, "ftm-yente-zala"}, // 6 Person + 11 Company of 91 records
		{"yente_t1_eu_fsf_entities.ftm.json", false, 6, 0, "ftm-eu-fsf"}, // 4 Person + 2 Organization of 7
		{"yente_t2_20240527134702-zbn_entities.delta.json", true, 0, 0, "ftm-yente-t2"},
		{"yente_t2_20240527194702-wnk_entities.delta.json", true, 2, 0, "ftm-yente-t2"},
		{"yente_t2_20240528014702-pfh_entities.delta.json", true, 2, 0, "ftm-yente-t2"},
		{"yente_t2_20240528074703-npf_entities.delta.json", true, 0, 1, "ftm-yente-t2"},
		{"yente_t2_20240528134729-3iv_entities.delta.json", true, 1, 0, "ftm-yente-t2"},
	} {
		f := source.OSFile(filepath.Join(dir, c.file))
		n := 0
		count := func(e *lexscreen.Entity) error {
			if len(e.Names) == 0 || !strings.HasPrefix(e.ID, c.source+":") {
				t.Errorf("%s: bad entity %s with %d names", c.file, e.ID, len(e.Names))
			}
			n++
			return nil
		}
		var meta source.Meta
		del := 0
		if c.delta {
			d, err := ParseDelta(context.Background(), []source.File{f}, count)
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			meta, del = d.Meta, len(d.Deleted)
		} else {
			var err error
			if meta, err = FormatJSON.Parse(context.Background(), []source.File{f}, count); err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
		}
		if n != c.n || del != c.del || meta.Source != c.source {
			t.Errorf("%s: %d entities, %d deletions, source %q; want %d, %d, %q", c.file, n, del, meta.Source, c.n, c.del, c.source)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/eu_fsf_entities.ftm.json", "testdata/yente_t2_20240528014702-pfh_entities.delta.json", "testdata/yente_t2_20240528074703-npf_entities.delta.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 4000 {
			b = b[:4000]
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"s","schema":"Sanction","properties":{"entity":["p"],"startDate":["2020"]}}` + "\n" + `{"id":"p","schema":"Person","properties":{"name":["A B"],"firstName":["A"],"lastName":["B"],"birthDate":["1960-13"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := memFile("fuzz.ftm.json", data)
		_, _ = FormatJSON.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
			if e.ID == "" || e.Source == "" {
				t.Fatalf("entity without id or source: %+v", e)
			}
			return nil
		})
		_, _ = ParseDelta(context.Background(), []source.File{file}, nil)
		FormatJSON.Sniff("fuzz.json", data)
		FormatDelta.Sniff("fuzz.json", data)
	})
}

func fmtEntity(e *lexscreen.Entity) string {
	b, _ := json.Marshal(e)
	return string(b)
}
