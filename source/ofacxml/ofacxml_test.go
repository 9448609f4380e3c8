package ofacxml

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

func parseAll(t testing.TB, f source.Format, files ...source.File) (map[string]*lexscreen.Entity, []string, source.Meta, error) {
	t.Helper()
	got := map[string]*lexscreen.Entity{}
	var order []string
	meta, err := f.Parse(context.Background(), files, func(e *lexscreen.Entity) error {
		got[e.ID] = e
		order = append(order, e.ID)
		return nil
	})
	return got, order, meta, err
}

func bytesFile(name string, b []byte) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }}
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func programs(e *lexscreen.Entity) string {
	var out []string
	for _, d := range e.Designations {
		out = append(out, d.List+"/"+d.Program)
	}
	return strings.Join(out, ",")
}

func TestLegacyXML(t *testing.T) {
	got, order, meta, err := parseAll(t, FormatXML, source.OSFile("testdata/consolidated_excerpt.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if meta.Source != "us-ofac-cons" || meta.Published.Format("2006-01-02") != "2025-03-28" || meta.Declared != 6 || len(order) != 6 {
		t.Fatalf("meta %+v, %d entities", meta, len(order))
	}
	z := got["us-ofac-cons:9647"]
	if z == nil || z.Caption() != "Mahmoud Khaled ZAHHAR" || z.Schema != lexscreen.SchemaPerson || z.Gender != "male" {
		t.Fatalf("9647: %+v", z)
	}
	if w := sharedtest.Names(z, lexscreen.NameWeakAlias); strings.Join(w, "|") != "ZAHAR, Mahmoud|AL-ZAHAR, Mahmoud" {
		t.Errorf("weak aliases %q", w)
	}
	if len(z.BirthDates) != 1 || z.BirthDates[0].From.Precision() != "year" || z.BirthDates[0].String() != "1945" {
		t.Errorf("dob %+v", z.BirthDates)
	}
	if len(z.Nationalities) != 1 || z.Nationalities[0].Code != "PS" || len(z.Links) != 1 || z.Links[0].Target != "HAMAS" {
		t.Errorf("nat %+v links %+v", z.Nationalities, z.Links)
	}
	if z.Addresses[0].Country.Name != "Region: Gaza" || z.Addresses[0].Country.Code != "" {
		t.Errorf("address %+v", z.Addresses)
	}
	k := got["us-ofac-cons:26182"]
	if k.BirthDates[0].From != (lexscreen.PartialDate{Year: 1980, Month: 2, Day: 8}) || k.Citizenships[0].Code != "TR" {
		t.Errorf("26182 %+v %+v", k.BirthDates, k.Citizenships)
	}
	if len(k.Identifiers) != 1 || k.Identifiers[0].Kind != lexscreen.IDPassport || k.Identifiers[0].Number != "U00242309" || k.Identifiers[0].Country.Code != "TR" {
		t.Errorf("26182 ids %+v", k.Identifiers)
	}
	if programs(k) != "Consolidated/FSE-IR" {
		t.Errorf("26182 programs %s", programs(k))
	}
	r := got["us-ofac-cons:17022"]
	if r.Schema != lexscreen.SchemaOrganization || len(r.Designations) != 1 || r.Attributes["secondary_sanctions_risk"] == nil {
		t.Errorf("17022 %+v %+v", r.Designations, r.Attributes)
	}
	for _, id := range r.Identifiers {
		if strings.Contains(id.Label, "Secondary") || strings.Contains(id.Label, "Directive") {
			t.Errorf("metadata kept as identifier: %+v", id)
		}
	}
}

func TestEnhancedXMLAndZip(t *testing.T) {
	raw := mustRead(t, "testdata/cons_enhanced_excerpt.xml")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("CONS_ENHANCED.XML")
	w.Write(raw)
	zw.Close()
	zipPath := filepath.Join(t.TempDir(), "CONS_ENHANCED.ZIP")
	os.WriteFile(zipPath, zb.Bytes(), 0o644)
	for _, f := range []source.File{source.OSFile("testdata/cons_enhanced_excerpt.xml"), source.OSFile(zipPath), bytesFile("CONS_ENHANCED.ZIP", zb.Bytes())} {
		if !FormatEnhanced.Sniff(f.Name, raw[:8192]) {
			t.Errorf("sniff %s", f.Name)
		}
		got, order, meta, err := parseAll(t, FormatEnhanced, f)
		if err != nil {
			t.Fatal(f.Name, err)
		}
		if meta.Source != "us-ofac-cons" || meta.Published.Format("2006-01-02") != "2025-01-10" || len(order) != 6 {
			t.Fatalf("%s: meta %+v, %d", f.Name, meta, len(order))
		}
		v := got["us-ofac-cons:17013"]
		if v.Caption() != "VTB BANK PUBLIC JOINT STOCK COMPANY" {
			t.Errorf("caption %q", v.Caption())
		}
		var cyr int
		for _, n := range v.Names {
			if n.Script == "Cyrl" {
				cyr++
			}
		}
		if cyr < 2 || len(sharedtest.Names(v, lexscreen.NameFormer)) < 5 || len(sharedtest.Names(v, lexscreen.NameWeakAlias)) != 1 {
			t.Errorf("17013 names %+v", v.Names)
		}
		b := got["us-ofac-cons:17017"]
		if len(b.Links) != 1 || b.Links[0].TargetID != "us-ofac-cons:17013" || b.Links[0].Relation != "owned_or_controlled_by" {
			t.Errorf("17017 links %+v", b.Links)
		}
		if d := b.Designations[0]; d.List != "Sectoral Sanctions Identifications List" || d.Program != "UKRAINE-EO13662" || d.ListedOn.String() != "2014-07-29" {
			t.Errorf("17017 designation %+v", d)
		}
		z := got["us-ofac-cons:9647"]
		if z.BirthDates[0].String() != "1945" || z.BirthDates[0].From.Precision() != "year" || z.Gender != "male" || z.Links[0].TargetID != "us-ofac-sdn:4695" {
			t.Errorf("9647 %+v %+v", z.BirthDates, z.Links)
		}
		var han bool
		for _, n := range got["us-ofac-cons:33091"].Names {
			han = han || n.Script == "Hani"
		}
		if !han {
			t.Errorf("33091: no Han name: %+v", got["us-ofac-cons:33091"].Names)
		}
		k := got["us-ofac-cons:26182"]
		if k.Identifiers[0].Kind != lexscreen.IDPassport || k.Identifiers[0].Country.Code != "TR" || k.Citizenships[0].Code != "TR" {
			t.Errorf("26182 %+v %+v", k.Identifiers, k.Citizenships)
		}
	}
}

func TestAdvancedXML(t *testing.T) {
	raw := mustRead(t, "testdata/sdn_advanced_sample.xml")
	if !FormatAdvanced.Sniff("SDN_ADVANCED.XML", raw[:2048]) || FormatXML.Sniff("SDN_ADVANCED.XML", raw[:2048]) || FormatEnhanced.Sniff("x.xml", raw[:2048]) {
		t.Error("sniff")
	}
	got, order, meta, err := parseAll(t, FormatAdvanced, bytesFile("SDN_ADVANCED.XML", raw))
	if err != nil {
		t.Fatal(err)
	}
	if meta.Source != "us-ofac-sdn" || meta.Published.Format("2006-01-02") != "2025-12-24" || strings.Join(order, ",") != "us-ofac-sdn:50001,us-ofac-sdn:50002,us-ofac-sdn:50003,us-ofac-sdn:52965" {
		t.Fatalf("meta %+v order %v", meta, order)
	}
	iv := got["us-ofac-sdn:50001"]
	if iv.Schema != lexscreen.SchemaPerson || iv.Caption() != "Sergei Petrovich IVANOV" || iv.Gender != "male" {
		t.Errorf("50001 %+v", iv)
	}
	want := []struct {
		full   string
		kind   lexscreen.NameKind
		script string
	}{{"Sergei Petrovich IVANOV", "primary", ""}, {"Сергей Петрович ИВАНОВ", "primary", "Cyrl"}, {"IVANOFF", "weak_alias", ""}, {"Sergei SIDOROV", "former", ""}}
	for i, w := range want {
		if i >= len(iv.Names) || iv.Names[i].Full != w.full || iv.Names[i].Kind != w.kind || iv.Names[i].Script != w.script {
			t.Errorf("name %d = %+v, want %+v", i, iv.Names, w)
		}
	}
	if iv.Names[0].Parts[2] != (lexscreen.NamePart{Kind: lexscreen.PartPatronymic, Value: "Petrovich"}) {
		t.Errorf("parts %+v", iv.Names[0].Parts)
	}
	if len(iv.BirthDates) != 2 || iv.BirthDates[0].String() != "1962" || iv.BirthDates[0].From.Precision() != "year" ||
		iv.BirthDates[1].String() != "~1960..1961" {
		t.Errorf("dob %+v", iv.BirthDates)
	}
	if iv.BirthPlaces[0].City != "Moscow" || iv.BirthPlaces[0].Country.Code != "RU" || iv.Nationalities[0].Code != "RU" {
		t.Errorf("pob/nat %+v %+v", iv.BirthPlaces, iv.Nationalities)
	}
	if p := iv.Identifiers[0]; p.Kind != lexscreen.IDPassport || p.Number != "720123456" || p.Issued.String() != "2015-03-02" || p.Country.Code != "RU" {
		t.Errorf("passport %+v", p)
	}
	if c := iv.Identifiers[1]; c.Kind != lexscreen.IDCrypto || c.Label != "Digital Currency Address - XBT" {
		t.Errorf("crypto %+v", c)
	}
	if a := iv.Addresses[0]; a.Street != "12 Tverskaya Street" || a.City != "Moscow" || a.Country.Code != "RU" {
		t.Errorf("address %+v", a)
	}
	if d := iv.Designations[0]; d.Program != "RUSSIA-EO14024" || d.List != "SDN" || d.LegalBasis != "EO 14024" || d.ListedOn.String() != "2022-03-11" || d.Measures[0] != "Block" {
		t.Errorf("designation %+v", d)
	}
	org := got["us-ofac-sdn:50002"]
	if org.Schema != lexscreen.SchemaOrganization || org.Attributes["secondary_sanctions_risk"][0] != "Subject to Secondary Sanctions" {
		t.Errorf("50002 %+v", org)
	}
	v := got["us-ofac-sdn:50003"]
	if v.Schema != lexscreen.SchemaVessel || v.Attributes["call_sign"][0] != "HOXA" || v.Attributes["flag"][0] != "Panama" || v.Countries[0].Code != "PA" {
		t.Errorf("vessel %+v", v)
	}
	if v.Identifiers[0].Kind != lexscreen.IDIMO || v.Links[0].TargetID != "us-ofac-sdn:50002" {
		t.Errorf("vessel ids/links %+v %+v", v.Identifiers, v.Links)
	}
	k := got["us-ofac-sdn:52965"]
	if programs(k) != "SDN/ICC-EO14203" || k.Designations[0].ListedOn.String() != "2025-02-13" || k.Citizenships[0].Code != "GB" {
		t.Errorf("52965 %+v", k)
	}
	// The Consolidated variant takes its source from the file name.
	_, _, meta, err = parseAll(t, FormatAdvanced, bytesFile("CONS_ADVANCED.XML", raw))
	if err != nil || meta.Source != "us-ofac-cons" {
		t.Errorf("cons: %v %+v", err, meta)
	}
}

func TestDeterministic(t *testing.T) {
	for _, c := range []struct {
		f source.Format
		p string
	}{{FormatXML, "testdata/consolidated_excerpt.xml"}, {FormatEnhanced, "testdata/cons_enhanced_excerpt.xml"}, {FormatAdvanced, "testdata/sdn_advanced_sample.xml"}} {
		a, _, _, _ := parseAll(t, c.f, source.OSFile(c.p))
		b, _, _, _ := parseAll(t, c.f, source.OSFile(c.p))
		if fmt.Sprintf("%+v", a) == "" || len(a) != len(b) {
			t.Fatal(c.f.ID)
		}
		for id, e := range a {
			if fmt.Sprintf("%+v", *e) != fmt.Sprintf("%+v", *b[id]) {
				t.Errorf("%s: %s differs between runs", c.f.ID, id)
			}
		}
	}
}

func TestSniff(t *testing.T) {
	legacy := mustRead(t, "testdata/consolidated_excerpt.xml")[:1024]
	enh := mustRead(t, "testdata/cons_enhanced_excerpt.xml")[:8192]
	adv := mustRead(t, "testdata/sdn_advanced_sample.xml")[:2048]
	cases := []struct {
		f    source.Format
		name string
		head []byte
		want bool
	}{
		{FormatXML, "SDN.XML", legacy, true}, {FormatXML, "x.xml", enh, false}, {FormatXML, "x.xml", adv, false},
		{FormatEnhanced, "x.xml", enh, true}, {FormatEnhanced, "x.xml", legacy, false}, {FormatEnhanced, "SDN.ZIP", []byte("PK\x03\x04"), false},
		{FormatEnhanced, "SDN_ENHANCED.ZIP", []byte("PK\x03\x04"), true},
		{FormatAdvanced, "x.xml", adv, true}, {FormatAdvanced, "x.xml", []byte("<Sanctions><foo/>"), false},
		{FormatXML, "a.csv", []byte("garbage,,,"), false},
	}
	for _, c := range cases {
		if got := c.f.Sniff(c.name, c.head); got != c.want {
			t.Errorf("%s.Sniff(%s, %.30q) = %v", c.f.ID, c.name, c.head, got)
		}
	}
}

func TestErrors(t *testing.T) {
	legacy := mustRead(t, "testdata/consolidated_excerpt.xml")
	enh := mustRead(t, "testdata/cons_enhanced_excerpt.xml")
	adv := mustRead(t, "testdata/sdn_advanced_sample.xml")
	cut := func(b []byte, marker string, n int) []byte {
		i := bytes.Index(b, []byte(marker))
		return b[:i+n]
	}
	cases := []struct {
		name string
		f    source.Format
		data []byte
		want string
	}{
		{"legacy truncated in entry", FormatXML, cut(legacy, "<uid>26182", 40), "unexpected end of file inside <sdnEntry after uid="},
		{"legacy truncated between entries", FormatXML, legacy[:bytes.LastIndex(legacy, []byte("</sdnEntry>"))+11], "unexpected end of file inside <sdnList"},
		{"legacy count", FormatXML, bytes.Replace(legacy, []byte("<Record_Count>6<"), []byte("<Record_Count>7<"), 1), "declares 7 records but holds 6"},
		{"legacy bad date", FormatXML, bytes.Replace(legacy, []byte("03/28/2025"), []byte("2025-03-28"), 1), "bad publish date"},
		{"legacy wrong root", FormatXML, adv, "want <sdnList>"},
		{"legacy garbage", FormatXML, []byte("\x00\x01garbage"), "SDN.XML"},
		{"legacy empty", FormatXML, nil, "unexpected end of file"},
		{"enhanced truncated", FormatEnhanced, cut(enh, `<entity id="17017">`, 300), "unexpected end of file inside <entity id=17017>"},
		{"enhanced wrong root", FormatEnhanced, legacy, "want <sanctionsData>"},
		{"advanced truncated in parties", FormatAdvanced, cut(adv, `<DistinctParty FixedRef="50003">`, 100), "unexpected end of file inside <DistinctParty FixedRef=50003>"},
		{"advanced truncated in entries", FormatAdvanced, cut(adv, `<SanctionsEntry ID="2"`, 30), "unexpected end of file"},
		{"advanced wrong root", FormatAdvanced, enh, "want <Sanctions>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, err := parseAll(t, c.f, bytesFile("SDN.XML", c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var le *lexscreen.Error
			if !errors.As(err, &le) || le.File != "SDN.XML" || lexscreen.ErrorCode(err) != lexscreen.EINVALID {
				t.Errorf("not a located EINVALID error: %#v", err)
			}
		})
	}
	// A broken zip.
	_, _, _, err := parseAll(t, FormatEnhanced, bytesFile("CONS_ENHANCED.ZIP", []byte("PK\x03\x04garbage")))
	if err == nil || !strings.Contains(err.Error(), "bad zip") {
		t.Errorf("zip: %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range []source.Format{FormatXML, FormatEnhanced, FormatAdvanced} {
		_, err := f.Parse(ctx, []source.File{source.OSFile("testdata/sdn_advanced_sample.xml")}, func(*lexscreen.Entity) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v", f.ID, err)
		}
	}
}

// sharedDir is the folder of real list files (see internal/sharedtest).
func sharedDir(t *testing.T) string { return sharedtest.Path(t, "data", "lists") }

func TestRealFiles(t *testing.T) {
	dir := sharedDir(t)
	for _, c := range []struct {
		f    source.Format
		path string
		want int
		src  string
	}{
		{FormatXML, "us_ofac/cons_xml/2025-03-28/consolidated.xml", 443, "us-ofac-cons"},
		{FormatEnhanced, "us_ofac/cons_enhanced_xml/2025-01-10/CONS_ENHANCED.ZIP", 443, "us-ofac-cons"},
	} {
		p := filepath.Join(dir, c.path)
		if _, err := os.Stat(p); err != nil {
			t.Skip(err)
		}
		head := make([]byte, 8192)
		fh, _ := os.Open(p)
		n, _ := io.ReadFull(fh, head)
		fh.Close()
		if !c.f.Sniff(filepath.Base(p), head[:n]) {
			t.Errorf("%s does not sniff %s", c.f.ID, p)
		}
		got, order, meta, err := parseAll(t, c.f, source.OSFile(p))
		if err != nil {
			t.Fatal(err)
		}
		if len(order) != c.want || len(got) != c.want || meta.Source != c.src {
			t.Errorf("%s: %d entities (%d ids), source %s; want %d %s", p, len(order), len(got), meta.Source, c.want, c.src)
		}
		for _, e := range got {
			if e.Caption() == "" || len(e.Designations) == 0 || e.Schema == lexscreen.SchemaUnknown {
				t.Errorf("%s: incomplete %+v", e.ID, e)
			}
		}
	}
}

// genAdvanced writes a synthetic Advanced XML document of n parties to w,
// using the reference values of the sample document.
func genAdvanced(w io.Writer, sample []byte, n int) error {
	head := sample[:bytes.Index(sample, []byte("<DistinctParties>"))+len("<DistinctParties>")]
	if _, err := w.Write(head); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		id := 100000 + i
		fmt.Fprintf(w, `<DistinctParty FixedRef="%d"><Profile ID="%d" PartySubTypeID="4"><Identity ID="%d" Primary="true" False="false">`, id, id, id)
		for a := 0; a < 8; a++ {
			typ, prim := "1400", "false"
			if a == 0 {
				typ, prim = "1403", "true"
			}
			fmt.Fprintf(w, `<Alias AliasTypeID="%s" Primary="%s" LowQuality="false"><DocumentedName><DocumentedNamePart><NamePartValue NamePartGroupID="1" ScriptID="215">PERSON%dALIAS%d</NamePartValue></DocumentedNamePart><DocumentedNamePart><NamePartValue NamePartGroupID="2" ScriptID="215">Given Name Number %d</NamePartValue></DocumentedNamePart></DocumentedName></Alias>`, typ, prim, i, a, a)
		}
		fmt.Fprintf(w, `<NamePartGroups><MasterNamePartGroup><NamePartGroup ID="1" NamePartTypeID="1520"/></MasterNamePartGroup><MasterNamePartGroup><NamePartGroup ID="2" NamePartTypeID="1521"/></MasterNamePartGroup></NamePartGroups></Identity>`)
		fmt.Fprintf(w, `<Feature FeatureTypeID="8"><FeatureVersion><DatePeriod><Start Approximate="false"><From><Year>%d</Year><Month>1</Month><Day>1</Day></From><To><Year>%d</Year><Month>1</Month><Day>1</Day></To></Start><End Approximate="false"><From><Year>%d</Year><Month>12</Month><Day>31</Day></From><To><Year>%d</Year><Month>12</Month><Day>31</Day></To></End></DatePeriod></FeatureVersion></Feature>`, 1940+i%60, 1940+i%60, 1940+i%60, 1940+i%60)
		fmt.Fprintf(w, `<Feature FeatureTypeID="504"><FeatureVersion><VersionDetail>%s</VersionDetail></FeatureVersion></Feature></Profile></DistinctParty>`+"\n", strings.Repeat("remark text ", 200))
	}
	io.WriteString(w, "</DistinctParties><ProfileRelationships/><SanctionsEntries>")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, `<SanctionsEntry ID="%d" ProfileID="%d" ListID="1550"><EntryEvent LegalBasisID="2"><Date><Year>2022</Year><Month>3</Month><Day>11</Day></Date></EntryEvent><SanctionsMeasure SanctionsTypeID="1"><Comment>RUSSIA-EO14024</Comment></SanctionsMeasure></SanctionsEntry>`+"\n", i, 100000+i)
	}
	_, err := io.WriteString(w, "</SanctionsEntries></Sanctions>\n")
	return err
}

// TestAdvancedLarge parses a generated ~100 MB document (20,000 parties,
// each ~5 KB) through an io.Pipe and checks the heap stays far below the
// document size. It takes ~40 s, so it runs only with LEXSCREEN_BIG=1
// (and never with -short).
func TestAdvancedLarge(t *testing.T) {
	if testing.Short() || os.Getenv("LEXSCREEN_BIG") == "" {
		t.Skip("large document; set LEXSCREEN_BIG=1 to run")
	}
	sample := mustRead(t, "testdata/sdn_advanced_sample.xml")
	const n = 20000
	var written int64
	f := source.File{Name: "SDN_ADVANCED.XML", Open: func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		cw := &countWriter{w: pw}
		go func() { pw.CloseWithError(genAdvanced(cw, sample, n)) }()
		written = 0
		return &pipeReader{PipeReader: pr, cw: cw, total: &written}, nil
	}}
	var peak uint64
	var ms runtime.MemStats
	count := 0
	_, err := FormatAdvanced.Parse(context.Background(), []source.File{f}, func(e *lexscreen.Entity) error {
		count++
		if count%2000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		if len(e.Names) != 8 || len(e.Designations) != 1 {
			return fmt.Errorf("%s: %d names %d designations", e.ID, len(e.Names), len(e.Designations))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("%d parties, want %d", count, n)
	}
	t.Logf("document %d MB, peak heap %d MB", written>>20, peak>>20)
	if written < 90<<20 {
		t.Errorf("document only %d bytes", written)
	}
	if peak > 40<<20 {
		t.Errorf("peak heap %d MB: not streaming", peak>>20)
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type pipeReader struct {
	*io.PipeReader
	cw    *countWriter
	total *int64
}

func (p *pipeReader) Close() error {
	*p.total = p.cw.n
	return p.PipeReader.Close()
}

func BenchmarkAdvanced(b *testing.B) {
	sample := mustRead(b, "testdata/sdn_advanced_sample.xml")
	var buf bytes.Buffer
	genAdvanced(&buf, sample, 2000)
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FormatAdvanced.Parse(context.Background(), []source.File{bytesFile("SDN_ADVANCED.XML", doc)}, func(*lexscreen.Entity) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func fuzzFormat(f *testing.F, format source.Format, name string, seeds ...string) {
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			if len(b) > 20000 {
				b = b[:20000]
			}
			f.Add(b)
		}
	}
	f.Add([]byte("<x/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format.Sniff(name, data)
		format.Parse(context.Background(), []source.File{bytesFile(name, data)}, func(e *lexscreen.Entity) error {
			if e.ID == "" {
				t.Fatal("entity without id")
			}
			return nil
		})
	})
}

func FuzzLegacyXML(f *testing.F) {
	fuzzFormat(f, FormatXML, "SDN.XML", "testdata/consolidated_excerpt.xml")
}

func FuzzEnhancedXML(f *testing.F) {
	fuzzFormat(f, FormatEnhanced, "SDN_ENHANCED.XML", "testdata/cons_enhanced_excerpt.xml")
}

func FuzzAdvancedXML(f *testing.F) {
	fuzzFormat(f, FormatAdvanced, "SDN_ADVANCED.XML", "testdata/sdn_advanced_sample.xml")
}
