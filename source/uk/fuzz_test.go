package uk

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// odsZip wraps a content.xml into an ODS zip.
func odsZip(t testing.TB, content string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(odsMime))
	w, _ = z.Create("content.xml")
	w.Write([]byte(content))
	z.Close()
	return buf.Bytes()
}

func fuzzParse(t *testing.T, f source.Format, name string, data []byte) {
	ctx := context.Background()
	_, _ = f.Parse(ctx, []source.File{memFile(name, data)}, func(e *lexscreen.Entity) error {
		if e.ID == "" || e.Source == "" {
			t.Fatalf("entity without id/source: %+v", e)
		}
		for _, d := range e.BirthDates {
			if !d.From.IsZero() && !d.From.Valid() {
				t.Fatalf("invalid date %+v", d)
			}
		}
		return nil
	})
}

func seed(f *testing.F, path string, cut int) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	if cut > 0 && len(b) > cut {
		b = b[:cut]
	}
	f.Add(b)
}

func FuzzOFSICSV(f *testing.F) {
	seed(f, "testdata/ofsi_ConList_excerpt.csv", 6000)
	f.Add([]byte("Last Updated,01/02/2024\nName 6,Group ID,Alias Type,DOB,Nationality\nX,1,AKA,00/00/1990,(1) Iran (2) Iraq\n"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, FormatOFSICSV, "ConList.csv", b) })
}

func FuzzFCDOCSV(f *testing.F) {
	seed(f, "testdata/fcdo_UK-Sanctions-List_excerpt.csv", 6000)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, FormatFCDOCSV, "UK-Sanctions-List.csv", b) })
}

func FuzzFCDOXML(f *testing.F) {
	seed(f, "testdata/fcdo_UK-Sanctions-List_excerpt.xml", 0)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, FormatFCDOXML, "UK-Sanctions-List.xml", b) })
}

// FuzzFCDOODS fuzzes content.xml inside a well-formed zip, so the ODS row
// reader (repeats, text:s, truncation) is what gets explored.
func FuzzFCDOODS(f *testing.F) {
	f.Add(`<office:document-content xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><table:table table:name="S"><table:table-row><table:table-cell><text:p>Unique ID</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"><text:p>Name 6</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell><text:p>A<text:s text:c="3"/>B</text:p></table:table-cell><table:table-cell><text:p>X</text:p><text:p>Y</text:p></table:table-cell></table:table-row></table:table></office:document-content>`)
	f.Fuzz(func(t *testing.T, content string) {
		fuzzParse(t, FormatFCDOODS, "UK_Sanctions_List.ods", odsZip(t, content))
	})
}

func FuzzOFSIXLSX(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzParse(t, FormatOFSIXLSX, "ConList.xlsx", b) })
}
