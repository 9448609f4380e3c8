package un

import (
	"bytes"
	"context"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

const excerpt = "testdata/consolidated_excerpt.xml"

func parseBytes(t testing.TB, name string, b []byte) ([]*lexscreen.Entity, source.Meta, error) {
	t.Helper()
	f := source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
	var out []*lexscreen.Entity
	meta, err := FormatXML.Parse(context.Background(), []source.File{f}, func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, meta, err
}

func parseExcerpt(t *testing.T) (map[string]*lexscreen.Entity, []*lexscreen.Entity, source.Meta) {
	t.Helper()
	b, err := os.ReadFile(excerpt)
	if err != nil {
		t.Fatal(err)
	}
	list, meta, err := parseBytes(t, "consolidated.xml", b)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*lexscreen.Entity{}
	for _, e := range list {
		m[e.ID] = e
	}
	return m, list, meta
}

func TestMeta(t *testing.T) {
	_, list, meta := parseExcerpt(t)
	if len(list) != 16 {
		t.Fatalf("got %d entities, want 16", len(list))
	}
	if meta.Source != "un-sc" || meta.Version != "2026-02-27T00:00:09.554Z" {
		t.Errorf("meta = %+v", meta)
	}
	if want := time.Date(2026, 2, 27, 0, 0, 9, 554e6, time.UTC); !meta.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", meta.Published, want)
	}
}

func names(e *lexscreen.Entity) []string {
	var out []string
	for _, n := range e.Names {
		s := string(n.Kind) + ":" + n.Full
		if n.Script != "" {
			s += "/" + n.Script
		}
		out = append(out, s)
	}
	return out
}

func TestEntities(t *testing.T) {
	m, _, _ := parseExcerpt(t)
	get := func(id string) *lexscreen.Entity {
		e := m["un-sc:"+id]
		if e == nil {
			t.Fatalf("entity un-sc:%s missing", id)
		}
		return e
	}

	// Tariq Aziz: Arabic original script, two places of birth, passport.
	e := get("6908072")
	if e.Source != "un-sc" || e.Schema != lexscreen.SchemaPerson || e.Caption() != "TARIQ AZIZ" {
		t.Errorf("6908072 = %s %s %q", e.Source, e.Schema, e.Caption())
	}
	if got, want := names(e), []string{"primary:TARIQ AZIZ", "alias:طارق عزيز/Arab", "alias:Tariq Mikhail Aziz"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names = %q, want %q", got, want)
	}
	if p := e.Names[0].Parts; len(p) != 2 || p[0] != (lexscreen.NamePart{Kind: lexscreen.PartOther, Value: "TARIQ"}) {
		t.Errorf("parts = %+v", p)
	}
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1936-07-01"}) {
		t.Errorf("dob = %q", got)
	}
	if len(e.BirthPlaces) != 2 || e.BirthPlaces[0].City != "Mosul" || e.BirthPlaces[0].Country.Code != "IQ" {
		t.Errorf("pob = %+v", e.BirthPlaces)
	}
	if len(e.Identifiers) != 1 || e.Identifiers[0] != (lexscreen.Identifier{Kind: lexscreen.IDPassport, Label: "Passport", Number: "No34409/129", Note: "(July 1997)"}) {
		t.Errorf("ids = %+v", e.Identifiers)
	}
	d := e.Designations[0]
	if d.Authority != "UN-SC" || d.Program != "Iraq" || d.Reference != "IQi.025" || d.List != "UN List" ||
		d.ListedOn.String() != "2003-06-27" || !reflect.DeepEqual(d.Measures, []string{"asset freeze"}) {
		t.Errorf("designation = %+v", d)
	}

	// LISTED_ON with a zone suffix "2015-04-07-04:00"; weak alias (Low).
	e = get("6908452")
	if got := e.Designations[0].ListedOn.String(); got != "2015-04-07" {
		t.Errorf("listed on = %q", got)
	}
	if got := names(e); got[len(got)-1] != "weak_alias:Mullah Radio" {
		t.Errorf("names = %q", got)
	}

	// Exact date and APPROXIMATELY year.
	if got := sharedtest.Dates(get("6908006").BirthDates); !reflect.DeepEqual(got, []string{"1962-03-17", "~1966"}) {
		t.Errorf("6908006 dob = %q", got)
	}
	// BETWEEN with NOTE "Approximately": two circa ranges.
	if got := sharedtest.Dates(get("110577").BirthDates); !reflect.DeepEqual(got, []string{"~1955..1958", "~1945..1950"}) {
		t.Errorf("110577 dob = %q", got)
	}
	// YEAR 1958 with NOTE "Sep." is September 1958, month precision.
	e = get("6908545")
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1958-09"}) || e.BirthDates[0].From.Precision() != "month" {
		t.Errorf("6908545 dob = %q", got)
	}
	if !reflect.DeepEqual(e.Titles, []string{"Ustad"}) || len(e.Identifiers) != 2 || e.Identifiers[0].Kind != lexscreen.IDNational ||
		e.Identifiers[0].Country.Code != "ID" {
		t.Errorf("6908545 titles %q ids %+v", e.Titles, e.Identifiers)
	}
	// Only a NOTE "Nov. 1973".
	if got := sharedtest.Dates(get("6907996").BirthDates); !reflect.DeepEqual(got, []string{"1973-11"}) {
		t.Errorf("6907996 dob = %q", got)
	}
	// Cyrillic original script, dates from aliases, two nationalities.
	e = get("2960872")
	if e.Names[1].Script != "Cyrl" || e.Names[1].Full != "Умаров Доку Хаматович" {
		t.Errorf("2960872 names = %q", names(e))
	}
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1964-04-13", "1965-04-13", "1964-05-12", "1955"}) {
		t.Errorf("2960872 dob = %q", got)
	}
	if len(e.Nationalities) != 2 || e.Nationalities[0].Code != "RU" {
		t.Errorf("nationalities = %+v", e.Nationalities)
	}
	if id := e.Identifiers[0]; id.Number != "96 03 464086" || id.Issued.String() != "2003-06-01" || id.Country.Code != "RU" {
		t.Errorf("id = %+v", id)
	}
	// Documents labelled in French and Spanish.
	e = get("690747")
	if len(e.Identifiers) != 3 || e.Identifiers[0].Label != "Numéro de passeport" || e.Identifiers[1].Kind != lexscreen.IDPassport {
		t.Errorf("690747 ids = %+v", e.Identifiers)
	}
	// Gender.
	if e := get("6908473"); e.Gender != "female" || e.Nationalities[0].Code != "GB" {
		t.Errorf("6908473 gender %q nat %+v", e.Gender, e.Nationalities)
	}
	if e := get("6907993"); e.Gender != "male" || e.Addresses[0].Country.Code != "RW" || e.Addresses[0].Note != "as of early 2016" {
		t.Errorf("6907993 = %q %+v", e.Gender, e.Addresses)
	}
	// Four name parts, title, designation.
	e = get("690748")
	if e.Caption() != "ABU BAKR YUNIS JABIR" || len(e.Names[0].Parts) != 4 || !reflect.DeepEqual(e.Titles, []string{"Major General"}) ||
		!reflect.DeepEqual(e.Positions, []string{"Defence Minister."}) {
		t.Errorf("690748 = %q %+v %q %q", e.Caption(), e.Names[0].Parts, e.Titles, e.Positions)
	}

	// Entities: a.k.a. / f.k.a., Han script, e-mails from the comments.
	e = get("6908402")
	if e.Schema != lexscreen.SchemaOrganization || e.Names[0].Parts != nil {
		t.Errorf("6908402 schema %s parts %+v", e.Schema, e.Names[0].Parts)
	}
	if got, want := names(e), []string{"primary:ADF", "alias:Allied Democratic Forces",
		"former:Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda", "former:ADF/NALU", "former:NALU"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names = %q, want %q", got, want)
	}
	e = get("690767")
	if last := e.Names[len(e.Names)-1]; last.Full != "朝鲜联合机械贸易会社" || last.Script != "Hani" || last.Kind != lexscreen.NameAlias {
		t.Errorf("690767 last name = %+v", last)
	}
	if e.Designations[0].Program != "DPRK" || !reflect.DeepEqual(e.Designations[0].Measures, []string{"asset freeze"}) {
		t.Errorf("690767 designation = %+v", e.Designations[0])
	}
	if len(e.Contacts) != 3 || e.Contacts[0] != (lexscreen.Contact{Kind: "email", Value: "ryonha@silibank.com"}) {
		t.Errorf("690767 contacts = %+v", e.Contacts)
	}
	if !strings.Contains(get("6908027").Remarks, "fdlrsrt@gmail.com") {
		t.Errorf("remarks lost")
	}
}

func TestDeterministic(t *testing.T) {
	_, a, _ := parseExcerpt(t)
	_, b, _ := parseExcerpt(t)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two parses of the same file differ")
	}
}

func TestErrors(t *testing.T) {
	full, err := os.ReadFile(excerpt)
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(full, []byte("<DATAID>6908072</DATAID>")) + 60
	between := bytes.Index(full, []byte("  <ENTITIES>"))
	for _, c := range []struct {
		name, in, want string
	}{
		{"truncated record", string(full[:cut]), "unexpected end of file inside <INDIVIDUAL DATAID=6908072>"},
		{"truncated between records", string(full[:between]), "unexpected end of file inside <CONSOLIDATED_LIST>"},
		{"wrong root", `<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>`, "root element <sdnList>"},
		{"garbage", "\x00\x01garbage<<<", "XML syntax error"},
		{"empty", "", "no <CONSOLIDATED_LIST>"},
		{"bad listed on", `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><LISTED_ON>2015-13-45</LISTED_ON></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`, "LISTED_ON"},
		{"no dataid", `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`, "without DATAID"},
		{"bad utf-8", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>P\xC9REZ</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>", "UTF-8"},
	} {
		_, _, err := parseBytes(t, "consolidated.xml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "consolidated.xml") {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
			continue
		}
		if lexscreen.ErrorCode(err) != lexscreen.EINVALID {
			t.Errorf("%s: code = %q", c.name, lexscreen.ErrorCode(err))
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FormatXML.Parse(ctx, []source.File{source.OSFile(excerpt)}, func(*lexscreen.Entity) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestEmitError(t *testing.T) {
	stop := errors.New("stop")
	_, err := FormatXML.Parse(context.Background(), []source.File{source.OSFile(excerpt)}, func(*lexscreen.Entity) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want stop", err)
	}
}

func TestSniff(t *testing.T) {
	head, _ := os.ReadFile(excerpt)
	if len(head) > 8192 {
		head = head[:8192]
	}
	if !FormatXML.Sniff("consolidated.xml", head) {
		t.Error("excerpt not sniffed")
	}
	for _, h := range []string{`<?xml version="1.0"?><sdnList xmlns="x">`, `<export xmlns="http://eu.europa.ec/fpi/fsd/export">`, "fileGenerationDate;Entity_LogicalId;"} {
		if FormatXML.Sniff("x.xml", []byte(h)) {
			t.Errorf("sniffed %q", h)
		}
	}
}

func TestDetectScript(t *testing.T) {
	for in, want := range map[string]string{
		"Tariq Aziz": "", "طارق عزيز": "Arab", "Умаров Доку": "Cyrl", "朝鲜联合机械贸易会社": "Hani",
		"김정은": "Hang", "Ελλάδα": "Grek", "": "", "123": "", "Pérez": "",
	} {
		if got := source.Script(in); got != want {
			t.Errorf("source.Script(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRealFile parses the whole real list when the shared data is present.
func TestRealFile(t *testing.T) {
	p := sharedtest.Path(t, "data", "lists", "un", "2026-02-27", "consolidated.xml")
	counts := map[lexscreen.Schema]int{}
	ids := map[string]bool{}
	meta, err := FormatXML.Parse(context.Background(), []source.File{source.OSFile(p)}, func(e *lexscreen.Entity) error {
		counts[e.Schema]++
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		if e.Caption() == "" || len(e.Designations) != 1 || e.Designations[0].ListedOn.IsZero() {
			t.Errorf("%s: incomplete entity %+v", e.ID, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// README.md: 730 individuals + 273 entities = 1,003.
	if counts[lexscreen.SchemaPerson] != 730 || counts[lexscreen.SchemaOrganization] != 273 || len(ids) != 1003 {
		t.Errorf("counts = %v (%d), want 730 persons + 273 organizations = 1003", counts, len(ids))
	}
	if meta.Published.IsZero() {
		t.Error("no publication date")
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(excerpt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:4096])
	f.Add([]byte(`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1990</FROM_YEAR><TO_YEAR>1980</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH><INDIVIDUAL_DATE_OF_BIRTH><YEAR>0</YEAR><NOTE>Sep.</NOTE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`))
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>2</DATAID><FIRST_NAME>B</FIRST_NAME><ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>C</ALIAS_NAME></ENTITY_ALIAS><LISTED_ON>2015-04-07-04:00</LISTED_ON></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		list, _, err := parseBytes(t, "fuzz.xml", in)
		if err != nil {
			if lexscreen.ErrorCode(err) != lexscreen.EINVALID {
				t.Fatalf("error without EINVALID code: %v", err)
			}
			return
		}
		for _, e := range list {
			if !strings.HasPrefix(e.ID, "un-sc:") || e.Caption() == "" {
				t.Fatalf("bad entity %+v", e)
			}
			for _, d := range e.BirthDates {
				if (!d.From.IsZero() && !d.From.Valid()) || d.Latest().Before(d.Earliest()) {
					t.Fatalf("bad date %+v", d)
				}
			}
		}
	})
}
