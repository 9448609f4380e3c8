package report

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
)

// listing is an SDN entry as the index gives it, first seen in a file of 2025-03-01.
func listing(num, name, program string) regime.Listing {
	return regime.Listing{EntityID: "us-ofac-sdn:" + num, Source: "us-ofac-sdn", Names: []string{name}, FirstSeen: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: program}}}
}

// realListings are SDN entries of programs the EU Blocking Statute does and
// does not annex, and one in Cyrillic.
var realListings = []regime.Listing{
	listing("52965", "KHAN, Karim Asad Ahmad", "ICC-EO14203"),
	listing("13285", "NATIONAL IRANIAN OIL COMPANY", "IRAN"),
	listing("306", "BANCO NACIONAL DE CUBA", "CUBA"),
	listing("2674", "ABBAS, Abu", "SDGT"),
	listing("36005", "ШОЙГУ Сергей Кужугетович", "UKRAINE-EO13661"),
}

// exposure evaluates the listings for an EU subsidiary of a US bank in
// 2027, without and with the EU annexing EO 14203 from 2027-01-01
// (examples/eu-blocks-icc-2027.yaml).
func exposure(t *testing.T) Exposure {
	t.Helper()
	overlay, err := os.ReadFile("../examples/eu-blocks-icc-2027.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, err := regime.Load()
	if err != nil {
		t.Fatal(err)
	}
	with, err := regime.Load(overlay)
	if err != nil {
		t.Fatal(err)
	}
	op, _ := regime.ParseOperator("eu-subsidiary-of-us-bank")
	date := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	rb, err := base.Exposure(op, date, realListings)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := with.Exposure(op, date, realListings)
	if err != nil {
		t.Fatal(err)
	}
	return Exposure{Operator: op.Name, Date: "2027-03-01", Base: rb, Overlay: &ro, OverlayName: "eu-blocks-icc-2027.yaml",
		Lists:     []lexscreen.ListVersion{{Source: "us-ofac-sdn", Version: "2025-03-01", Published: "2025-03-01", Snapshot: 7}},
		Warnings:  []string{"us-ofac-sdn is 730 days old"},
		Generated: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
}

// TestCompare: annexing EO 14203 moves the ICC designee from binding to in
// conflict for an EU subsidiary of a US bank, and nothing else.
func TestCompare(t *testing.T) {
	x := exposure(t)
	changes := Compare(x.Base, *x.Overlay)
	if len(changes) != 1 || changes[0].EntityID != "us-ofac-sdn:52965" || changes[0].Without != Binding || changes[0].With != InConflict {
		t.Fatalf("changes %+v, want Khan binding -> in_conflict", changes)
	}
	if !slices.Contains(changes[0].Kinds, "DO_NOT_COMPLY") {
		t.Errorf("kinds with overlay %v: want DO_NOT_COMPLY", changes[0].Kinds)
	}
	if got := Compare(x.Base, x.Base); len(got) != 0 {
		t.Errorf("a report compared with itself: %+v", got)
	}
}

func TestByProgram(t *testing.T) {
	x := exposure(t)
	rows := ByProgram(*x.Overlay)
	byProg := map[string]ProgramRow{}
	total := 0
	for _, r := range rows {
		byProg[r.Program] = r
		total += r.Total
	}
	if r := byProg["ICC-EO14203"]; r.Sections[InConflict] != 1 || r.Source != "us-ofac-sdn" {
		t.Errorf("ICC-EO14203 row %+v", r)
	}
	if r := byProg["IRAN"]; r.Sections[InConflict] != 1 {
		t.Errorf("IRAN row %+v: the ITSR is annexed, want in conflict", r)
	}
	if want := len(Items(*x.Overlay)); total != want {
		t.Errorf("rows count %d listings, report items %d", total, want)
	}
}

// TestXLSX opens the workbook written and reads its sheets back.
func TestXLSX(t *testing.T) {
	x := exposure(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, x); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("written XLSX does not open: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetSummary, SheetPrograms, SheetListings, SheetOverlay, SheetChanges}) {
		t.Errorf("sheets %v", got)
	}
	rows, _ := f.GetRows(SheetSummary)
	if rows[1][1] != "eu-subsidiary-of-us-bank" || rows[2][1] != "2027-03-01" {
		t.Errorf("summary %v", rows[:3])
	}
	obs, _ := f.GetRows(SheetOverlay)
	var khan []string
	for _, r := range obs[1:] {
		if r[1] == "us-ofac-sdn:52965" && r[5] == "DO_NOT_COMPLY" {
			khan = r
		}
		if r[9] == "" || r[7] == "" {
			t.Errorf("obligation row without confidence or basis: %v", r)
		}
	}
	if khan == nil || khan[0] != "In conflict" || !strings.Contains(khan[7], "2271/96") {
		t.Errorf("Khan's DO_NOT_COMPLY row %v", khan)
	}
	ch, _ := f.GetRows(SheetChanges)
	if len(ch) != 2 || ch[1][3] != "Binding" || ch[1][4] != "In conflict" {
		t.Errorf("changes sheet %v", ch)
	}
	names := map[string]bool{}
	for _, r := range obs[1:] {
		names[r[2]] = true
	}
	if !names["ШОЙГУ Сергей Кужугетович"] {
		t.Errorf("the Cyrillic name is not kept in the XLSX: %v", names)
	}
}

// TestPDF checks the PDF written: its header, trailer, page count, and the
// note on text its font can't show.
func TestPDF(t *testing.T) {
	x := exposure(t)
	var buf bytes.Buffer
	if err := WritePDF(&buf, x); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.Contains(b[len(b)-64:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q ... %q", b[:min(16, len(b))], b[max(0, len(b)-16):])
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")); n < 2 || n > 12 {
		t.Errorf("%d pages for five listings, three in conflict printed in full", n) // each conflict takes about a page
	}
	x.Overlay = nil
	buf.Reset()
	if err := WritePDF(&buf, x); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Errorf("without overlay: not a PDF")
	}
}

func TestCell(t *testing.T) {
	long := strings.Repeat("é", maxCellLength)
	c := cell(long)
	if len(c) > maxCellLength || !strings.HasSuffix(c, truncateMarker) || !utf8Valid(c) {
		t.Errorf("cell of %d bytes: %d bytes, marker %v", len(long), len(c), strings.HasSuffix(c, truncateMarker))
	}
	if cell("short") != "short" {
		t.Error("short text changed")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
