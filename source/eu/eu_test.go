package eu

import (
	"bytes"
	"context"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

const (
	csvExcerpt = "testdata/eu_csl_excerpt.csv"
	xmlExcerpt = "testdata/fsf_xml_1_1_excerpt.xml"
)

func parseBytes(t testing.TB, f source.Format, name string, b []byte) ([]*lexscreen.Entity, source.Meta, error) {
	t.Helper()
	file := source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
	var out []*lexscreen.Entity
	meta, err := f.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, meta, err
}

func parseFile(t *testing.T, f source.Format, path string) (map[string]*lexscreen.Entity, []*lexscreen.Entity, source.Meta) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	list, meta, err := parseBytes(t, f, filepath.Base(path), b)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*lexscreen.Entity{}
	for _, e := range list {
		m[e.ID] = e
	}
	return m, list, meta
}

func names(e *lexscreen.Entity) []string {
	var out []string
	for _, n := range e.Names {
		s := string(n.Kind) + ":" + n.Full
		if n.Script != "" || n.Lang != "" {
			s += "/" + n.Script + "/" + n.Lang
		}
		out = append(out, s)
	}
	return out
}

func TestCSVMeta(t *testing.T) {
	_, list, meta := parseFile(t, FormatCSV, csvExcerpt)
	if len(list) != 15 {
		t.Fatalf("got %d entities, want 15", len(list))
	}
	if meta.Source != "eu-fsf" || meta.Version != "2024-01-24" || !meta.Published.Equal(time.Date(2024, 1, 24, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("meta = %+v", meta)
	}
}

func TestCSVEntities(t *testing.T) {
	m, _, _ := parseFile(t, FormatCSV, csvExcerpt)
	get := func(id string) *lexscreen.Entity {
		e := m["eu-fsf:"+id]
		if e == nil {
			t.Fatalf("entity eu-fsf:%s missing", id)
		}
		return e
	}
	// Saddam Hussein: name parts, language, full birth date, place, citizenship.
	e := get("13")
	if got, want := names(e), []string{"primary:Saddam Hussein Al-Tikriti", "alias:Abu Ali", "alias:Abou Ali//fr"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names = %q, want %q", got, want)
	}
	if want := []lexscreen.NamePart{{Kind: lexscreen.PartGiven, Value: "Saddam"}, {Kind: lexscreen.PartFamily, Value: "Hussein Al-Tikriti"}}; !reflect.DeepEqual(e.Names[0].Parts, want) {
		t.Errorf("parts = %+v", e.Names[0].Parts)
	}
	if e.Schema != lexscreen.SchemaPerson || e.Gender != "male" || e.Remarks != "UNSC RESOLUTION 1483" {
		t.Errorf("13: %s %q %q", e.Schema, e.Gender, e.Remarks)
	}
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1937-04-28"}) {
		t.Errorf("dob = %q", got)
	}
	if p := e.BirthPlaces[0]; p.City != "al-Awja, near Tikrit" || p.Country.Code != "IQ" {
		t.Errorf("pob = %+v", p)
	}
	if len(e.Citizenships) != 1 || e.Citizenships[0].Code != "IQ" {
		t.Errorf("citizenships = %+v", e.Citizenships)
	}
	want := lexscreen.Designation{Authority: "EU", Program: "IRQ", LegalBasis: "1210/2003 (OJ L169)", Reference: "EU.27.28",
		ListedOn: lexscreen.Single(lexscreen.PartialDate{Year: 2003, Month: 7, Day: 7}), Measures: []string{"asset freeze"}}
	if !reflect.DeepEqual(e.Designations, []lexscreen.Designation{want}) {
		t.Errorf("designations = %+v", e.Designations)
	}

	// Two programmes -> two designations; designation date from the CSV rows.
	e = get("547")
	if len(e.Designations) != 2 || e.Designations[0].Program != "AFG" || e.Designations[0].ListedOn.String() != "2001-02-23" ||
		e.Designations[1].Program != "TAQA" || e.Designations[1].LegalBasis != "969/2007 (OJ L215)" || e.Designations[1].ListedOn.String() != "2007-08-17" {
		t.Errorf("547 designations = %+v", e.Designations)
	}
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"~1967"}) {
		t.Errorf("547 dob = %q", got)
	}
	if !strings.HasPrefix(e.Remarks, "Date of UN designation: 2001-02-23\nBelieved to be in Afghanistan") {
		t.Errorf("547 remarks = %q", e.Remarks)
	}
	// Circa year range; month precision; Hijri year.
	if got := sharedtest.Dates(get("521").BirthDates); !reflect.DeepEqual(got, []string{"~1953..1958"}) {
		t.Errorf("521 dob = %q", got)
	}
	e = get("6971")
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1960", "1961-08"}) || e.BirthDates[1].From.Precision() != "month" {
		t.Errorf("6971 dob = %q", got)
	}
	e = get("127388")
	if got := sharedtest.Dates(e.BirthDates); !reflect.DeepEqual(got, []string{"1964..1965", "1965", "1964"}) || e.BirthDates[0].Text != "1343 (ISLAMIC)" {
		t.Errorf("127388 dob = %q %+v", got, e.BirthDates)
	}
	// Hijri date with its Gregorian equivalent.
	if got := sharedtest.Dates(get("6177").BirthDates); !reflect.DeepEqual(got, []string{"1982-04-19", "1982-04-18"}) {
		t.Errorf("6177 dob = %q", got)
	}
	// Quality remarks: low quality -> weak alias; script from the runes.
	e = get("514")
	if got, want := names(e), []string{"primary:Abdul Manan Agha//en", "alias:Abdul Manan//en", "weak_alias:Abdul Man’am Saiyid//en",
		"weak_alias:Saiyid Abd al-Man//en", "alias:عبد المنان آغا/Arab/ar"}; !reflect.DeepEqual(got, want) {
		t.Errorf("514 names = %q, want %q", got, want)
	}
	if !reflect.DeepEqual(e.Titles, []string{"Haji"}) {
		t.Errorf("514 titles = %q", e.Titles)
	}
	// Cyrillic name with parts.
	e = get("6125")
	if n := e.Names[1]; n.Full != "Доку Хаматович Умаров" || n.Script != "Cyrl" || len(n.Parts) != 3 || n.Parts[2].Value != "Умаров" {
		t.Errorf("6125 name = %+v", n)
	}
	// Identifiers: composite CSV number cut down; known expired; validity.
	e = get("537")
	if len(e.Identifiers) != 2 {
		t.Fatalf("537 ids = %+v", e.Identifiers)
	}
	if id := e.Identifiers[1]; id.Number != "347834" || id.Kind != lexscreen.IDPassport || id.Label != "National passport" ||
		id.Country.Code != "LY" || id.Expires.String() != "2014-02-21" || !strings.HasPrefix(id.Note, "known expired; ") {
		t.Errorf("537 id = %+v", id)
	}
	e = get("6106")
	if id := e.Identifiers[0]; id.Number != "FK117RK0" || id.Issued.String() != "2018-11-25" || id.Expires.String() != "2026-11-24" {
		t.Errorf("6106 id = %+v", id)
	}
	if !reflect.DeepEqual(e.Attributes["un_id"], []string{"LYi.006"}) {
		t.Errorf("6106 un_id = %q", e.Attributes["un_id"])
	}
	e = get("107840")
	if e.Schema != lexscreen.SchemaOrganization || len(e.Identifiers) != 1 || e.Identifiers[0] != (lexscreen.Identifier{Kind: lexscreen.IDIMO, Label: "IMO (vessel identification)", Number: "5342883"}) {
		t.Errorf("107840 = %s %+v", e.Schema, e.Identifiers)
	}
	// Contacts from "PHONE[...]\nFAX[...]".
	e = get("330")
	if len(e.Contacts) < 3 || e.Contacts[1] != (lexscreen.Contact{Kind: "phone", Value: "668 33 01; 0300- 820 91 99"}) || e.Contacts[2] != (lexscreen.Contact{Kind: "fax", Value: "662 38 14"}) {
		t.Errorf("330 contacts = %+v", e.Contacts)
	}
	e = get("7349")
	if a := e.Addresses[0]; a.PostalCode != "295000" || a.City != "Simferopol" || a.Country.Code != "UA" {
		t.Errorf("7349 address = %+v", a)
	}
	if !reflect.DeepEqual(e.Contacts[2], lexscreen.Contact{Kind: "email", Value: "office@chernomorneftegaz.ru"}) {
		t.Errorf("7349 contacts = %+v", e.Contacts)
	}
	// Designation details -> designation remarks.
	if d := get("3181").Designations[0]; d.Remarks != "Date of UN designation: 1 November 2005." || d.Program != "COD" {
		t.Errorf("3181 designation = %+v", d)
	}
	// Two regulations of different programmes (TAQA, UNLI).
	if d := get("120128").Designations; len(d) != 2 || d[1].Program != "UNLI" || d[1].ListedOn.String() != "2019-05-14" {
		t.Errorf("120128 designations = %+v", d)
	}
}

func TestXML(t *testing.T) {
	_, list, meta := parseFile(t, FormatXML, xmlExcerpt)
	if len(list) != 1 {
		t.Fatalf("got %d entities", len(list))
	}
	if meta.Source != "eu-fsf" || meta.Version != "171703" || !meta.Published.Equal(time.Date(2024, 12, 11, 20, 24, 35, 826e6, time.UTC)) {
		t.Errorf("meta = %+v", meta)
	}
	x := list[0]
	m, _, _ := parseFile(t, FormatCSV, csvExcerpt)
	c := m["eu-fsf:13"]
	// Same entity, same id and (where the files carry the same facts) values.
	if x.ID != c.ID || !reflect.DeepEqual(x.Names, c.Names) || !reflect.DeepEqual(x.BirthDates, c.BirthDates) ||
		x.Gender != c.Gender || x.Remarks != c.Remarks || x.Schema != c.Schema {
		t.Errorf("XML and CSV differ:\n%+v\n%+v", x, c)
	}
	if x.Citizenships[0].Code != "IQ" || x.BirthPlaces[0].Country.Code != "IQ" {
		t.Errorf("countries = %+v %+v", x.Citizenships, x.BirthPlaces)
	}
	if d := x.Designations[0]; d.Program != "IRQ" || d.LegalBasis != "1210/2003 (OJ L169)" || d.ListedOn.String() != "2003-07-07" {
		t.Errorf("designation = %+v", d)
	}
}

// TestXMLMapping checks XML-only shapes on a document built from the schema
// in FORMATS.md §3.1 (the real excerpt has one entity).
func TestXMLMapping(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-12-11T21:24:35.826+01:00" globalFileId="1">
 <sanctionEntity designationDate="2022-02-25" designationDetails="" unitedNationId="" euReferenceNumber="EU.1.1" logicalId="42">
  <remark>first</remark><remark>second</remark>
  <regulation regulationType="amendment" programme="UKR" numberTitle="2022/300" entryIntoForceDate="2022-02-28" logicalId="2"/>
  <regulation regulationType="regulation" programme="UKR" numberTitle="269/2014" entryIntoForceDate="2014-03-17" logicalId="1"/>
  <subjectType code="enterprise" classificationCode="E"/>
  <nameAlias wholeName="OOO Romashka" nameLanguage="" strong="true" logicalId="1"/>
  <nameAlias wholeName="ООО Ромашка" nameLanguage="RU" strong="false" logicalId="2"><remark>low quality</remark></nameAlias>
  <identification number="1027700000000" identificationTypeCode="regnumber" identificationTypeDescription="Registration Number" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" knownFalse="true" logicalId="3"/>
  <address city="Moscow" street="Tverskaya 1" zipCode="125009" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION" logicalId="4">
   <contactInfo key="EMAIL" value="info@example.ru"/><contactInfo key="WEB" value="example.ru"/>
  </address>
 </sanctionEntity>
</export>`
	list, _, err := parseBytes(t, FormatXML, "fsf.xml", []byte(doc))
	if err != nil || len(list) != 1 {
		t.Fatalf("err %v, %d entities", err, len(list))
	}
	e := list[0]
	if e.ID != "eu-fsf:42" || e.Schema != lexscreen.SchemaOrganization || e.Remarks != "first\nsecond" {
		t.Errorf("entity = %+v", e)
	}
	if got, want := names(e), []string{"primary:OOO Romashka", "weak_alias:ООО Ромашка/Cyrl/ru"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names = %q", got)
	}
	if d := e.Designations; len(d) != 1 || d[0].LegalBasis != "269/2014" || d[0].ListedOn.String() != "2022-02-25" || d[0].Reference != "EU.1.1" {
		t.Errorf("designations = %+v", d)
	}
	if id := e.Identifiers[0]; id.Kind != lexscreen.IDRegistration || id.Note != "known false" || id.Country.Code != "RU" {
		t.Errorf("id = %+v", id)
	}
	if want := []lexscreen.Contact{{Kind: "email", Value: "info@example.ru"}, {Kind: "website", Value: "example.ru"}}; !reflect.DeepEqual(e.Contacts, want) {
		t.Errorf("contacts = %+v", e.Contacts)
	}
}

func TestDeterministic(t *testing.T) {
	_, a, _ := parseFile(t, FormatCSV, csvExcerpt)
	_, b, _ := parseFile(t, FormatCSV, csvExcerpt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two parses differ")
	}
}

func TestCSVErrors(t *testing.T) {
	full, err := os.ReadFile(csvExcerpt)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(full, []byte("\r\n"))
	header := string(lines[0])
	row := string(lines[1])
	short := strings.Join(strings.Split(strings.TrimRight(row, "\r\n"), ";")[:12], ";") + "\r\n"
	// Rows of entity 13 split by another entity's rows.
	var other string
	for _, l := range lines[1:] {
		if bytes.HasPrefix(l, []byte("24/01/2024;330;")) {
			other = string(l)
			break
		}
	}
	for _, c := range []struct{ name, in, want string }{
		{"wrong columns", header + row + short, "row 3: 12 columns, want 118"},
		{"truncated row", string(full[:len(header)+len(row)+200]), "columns, want 118"},
		{"garbage", "\x00\x01\x02 not a csv at all", "not an EU FSF CSV file"},
		{"empty", "", "empty file"},
		{"other csv", "a;b;c\r\n1;2;3\r\n", "no Entity_LogicalId column"},
		{"not consecutive", header + row + other + row, "rows of entity 13 are not consecutive"},
		{"empty id", header + strings.Replace(row, ";13;", ";;", 1), "empty Entity_LogicalId"},
	} {
		_, _, err := parseBytes(t, FormatCSV, "eu_csl.csv", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "eu_csl.csv") {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
			continue
		}
		if lexscreen.ErrorCode(err) != lexscreen.EINVALID {
			t.Errorf("%s: code %q", c.name, lexscreen.ErrorCode(err))
		}
	}
}

func TestXMLErrors(t *testing.T) {
	full, err := os.ReadFile(xmlExcerpt)
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(full, []byte("<citizenship"))
	end := bytes.Index(full, []byte("</export>"))
	for _, c := range []struct{ name, in, want string }{
		{"truncated entity", string(full[:cut]), "unexpected end of file inside <sanctionEntity logicalId=13>"},
		{"truncated after entity", string(full[:end]), "unexpected end of file inside <export>"},
		{"wrong root", `<?xml version="1.0"?><CONSOLIDATED_LIST/>`, "root element <CONSOLIDATED_LIST>"},
		{"garbage", "<<<\x00", "XML syntax error"},
		{"no id", `<export xmlns="http://eu.europa.ec/fpi/fsd/export"><sanctionEntity/></export>`, "without logicalId"},
	} {
		_, _, err := parseBytes(t, FormatXML, "fsf.xml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "fsf.xml") {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range []struct {
		f source.Format
		p string
	}{{FormatCSV, csvExcerpt}, {FormatXML, xmlExcerpt}} {
		_, err := f.f.Parse(ctx, []source.File{source.OSFile(f.p)}, func(*lexscreen.Entity) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v", f.f.ID, err)
		}
	}
}

func TestSniff(t *testing.T) {
	head := func(p string) []byte {
		b, _ := os.ReadFile(p)
		if len(b) > 8192 {
			b = b[:8192]
		}
		return b
	}
	c, x := head(csvExcerpt), head(xmlExcerpt)
	if !FormatCSV.Sniff("eu_csl.csv", c) || FormatCSV.Sniff("x.xml", x) {
		t.Error("CSV sniff wrong")
	}
	if !FormatXML.Sniff("fsf.xml", x) || FormatXML.Sniff("eu_csl.csv", c) {
		t.Error("XML sniff wrong")
	}
	for _, h := range []string{`<CONSOLIDATED_LIST>`, "Ent_num,SDN_Name", `<sdnList xmlns="http://tempuri.org/sdnList.xsd">`} {
		if FormatCSV.Sniff("x", []byte(h)) || FormatXML.Sniff("x", []byte(h)) {
			t.Errorf("sniffed %q", h)
		}
	}
}

func TestDetectScript(t *testing.T) {
	for in, want := range map[string]string{"Abu Ali": "", "Доку": "Cyrl", "عبد": "Arab", "Κράτος": "Grek", "朝鲜": "Hani"} {
		if got := source.Script(in); got != want {
			t.Errorf("source.Script(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRealFiles parses the real files completely when the shared data is
// present and checks the counts in README.md.
func TestRealFiles(t *testing.T) {
	for _, c := range []struct {
		f    source.Format
		path string
		want int
	}{
		{FormatCSV, "eu/csv/2024-01-24/eu_csl.csv", 4589},
		{FormatCSV, "eu/csv/2022-10-28/eu_csl.csv", 3569},
		{FormatXML, "eu/xml/2024-12-11/fsf_xml_1_1_excerpt.xml", 1},
	} {
		p := sharedtest.Path(t, "data", "lists", filepath.FromSlash(c.path))
		ids := map[string]bool{}
		meta, err := c.f.Parse(context.Background(), []source.File{source.OSFile(p)}, func(e *lexscreen.Entity) error {
			if ids[e.ID] {
				t.Errorf("%s: duplicate %s", c.path, e.ID)
			}
			ids[e.ID] = true
			if e.Caption() == "" || len(e.Designations) == 0 {
				t.Errorf("%s: %s has no name or designation", c.path, e.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if len(ids) != c.want || meta.Published.IsZero() {
			t.Errorf("%s: %d entities (published %v), want %d", c.path, len(ids), meta.Published, c.want)
		}
	}
}

func FuzzCSV(f *testing.F) {
	b, err := os.ReadFile(csvExcerpt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:6000])
	f.Add([]byte("Entity_LogicalId;NameAlias_WholeName;BirthDate_LogicalId;BirthDate_Year;BirthDate_CalendarType;BirthDate_YearRangeFrom;BirthDate_YearRangeTo;Identification_LogicalId;Identification_Number\n1;A;2;1343;ISLAMIC;;;3;x (passport-y)\n1;;4;;;1990;1980;;\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkFuzz(t, FormatCSV, in)
	})
}

func FuzzXML(f *testing.F) {
	b, err := os.ReadFile(xmlExcerpt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`<export xmlns="http://eu.europa.ec/fpi/fsd/export"><sanctionEntity logicalId="1"><nameAlias wholeName="A"/><birthdate year="0" monthOfYear="13" yearRangeFrom="9999" yearRangeTo="1"/></sanctionEntity></export>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkFuzz(t, FormatXML, in)
	})
}

func checkFuzz(t *testing.T, f source.Format, in []byte) {
	list, _, err := parseBytes(t, f, "fuzz", in)
	if err != nil {
		if lexscreen.ErrorCode(err) != lexscreen.EINVALID {
			t.Fatalf("error without EINVALID code: %v", err)
		}
		return
	}
	for _, e := range list {
		if !strings.HasPrefix(e.ID, "eu-fsf:") || e.ID == "eu-fsf:" {
			t.Fatalf("bad id %q", e.ID)
		}
		for _, d := range e.BirthDates {
			if (!d.From.IsZero() && !d.From.Valid()) || (!d.To.IsZero() && !d.To.Valid()) || d.Latest().Before(d.Earliest()) {
				t.Fatalf("bad date %+v", d)
			}
		}
	}
}
