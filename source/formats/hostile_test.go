package formats_test

// Security tests for issue 11: hostile list files (decompression bombs,
// giant tokens, fields, records and lines; text that is not UTF-8). Each
// builds its file at test time, streams it (the input costs no memory) and
// checks that the reader refuses it with an error naming the file, before
// reading far: the bytes allocated while parsing stay small, far below the
// size the file expands to. They use only the Format API, so they also run
// on commits before the limits existed, where they fail.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/xuri/excelize/v2"
)

// bomb is how far each hostile payload expands: well past every default
// limit (1 MiB per token, 16 MiB per record), small enough that a reader
// without limits survives it in a test (a few hundred MB at most).
const bomb = 40 << 20

// What a parse that stops at a limit may allocate: a token (1 MiB) is
// buffered a few times over; a record (4 MiB) or a JSON line (16 MiB) is
// decoded into values several times its size before the limit is reached.
const (
	tokenAlloc  = 24 << 20
	recordAlloc = 96 << 20
	lineAlloc   = 128 << 20
)

// repeatReader yields n copies of unit.
type repeatReader struct {
	unit []byte
	n    int64 // bytes left
	off  int
}

func repeat(unit string, n int64) io.Reader { return &repeatReader{unit: []byte(unit), n: n} }

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	k := 0
	for k < len(p) {
		c := copy(p[k:], r.unit[r.off:])
		k += c
		r.off = (r.off + c) % len(r.unit)
	}
	r.n -= int64(k)
	return k, nil
}

// streamFile is a file whose content is made by gen at each Open.
func streamFile(name string, gen func() io.Reader) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(gen()), nil }}
}

func bytesFile(name string, b []byte) source.File {
	return streamFile(name, func() io.Reader { return bytes.NewReader(b) })
}

func concat(parts ...any) func() io.Reader {
	return func() io.Reader {
		rs := make([]io.Reader, len(parts))
		for i, p := range parts {
			switch v := p.(type) {
			case string:
				rs[i] = strings.NewReader(v)
			case func() io.Reader:
				rs[i] = v()
			}
		}
		return io.MultiReader(rs...)
	}
}

// fill repeats unit to at least n bytes, in whole units.
func fill(unit string, n int64) func() io.Reader {
	if len(unit) > 0 {
		n = (n + int64(len(unit)) - 1) / int64(len(unit)) * int64(len(unit))
	}
	return func() io.Reader { return repeat(unit, n) }
}

// zipOf builds a zip in memory; entries are streamed through deflate, so a
// bomb of tens of MB compresses to tens of KB.
func zipOf(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e.name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, e.body()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type zipEntry struct {
	name string
	body func() io.Reader
}

// parseMeasured runs a format's parser and returns its error and the bytes
// allocated meanwhile.
func parseMeasured(t *testing.T, formatID string, files ...source.File) (uint64, error) {
	t.Helper()
	f := formats.ByID(formatID)
	if f == nil {
		t.Fatalf("no format %s", formatID)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := f.Parse(context.Background(), files, func(*lexscreen.Entity) error { return nil })
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// wantRefused checks a located EINVALID error naming file and containing
// want, reached after allocating little.
func wantRefused(t *testing.T, err error, alloc, maxAlloc uint64, file, want string) {
	t.Helper()
	t.Logf("allocated %d MiB; error: %v", alloc>>20, err)
	var le *lexscreen.Error
	if err == nil || !errors.As(err, &le) || le.Code != lexscreen.EINVALID || le.File != file || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v (%#v), want an EINVALID error in %s containing %q", err, le, file, want)
	}
	if alloc > maxAlloc {
		t.Errorf("allocated %d MiB before stopping, want at most %d MiB", alloc>>20, maxAlloc>>20)
	}
}

func TestHostileArchives(t *testing.T) {
	const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"`
	t.Run("ofac enhanced zip: one text node of 40 MiB", func(t *testing.T) {
		z := zipOf(t, zipEntry{"SDN_ENHANCED.XML", concat(`<?xml version="1.0" encoding="utf-8"?>
<sanctionsData xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML">
<publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf></publicationInfo>
<entities><entity id="1"><generalInfo><identityId>1</identityId><entityType refId="1">Individual</entityType><remarks>`,
			fill("A", bomb), `</remarks></generalInfo></entity></entities></sanctionsData>`)})
		t.Logf("zip of %d KiB", len(z)>>10)
		alloc, err := parseMeasured(t, "ofac-enhanced-xml", bytesFile("SDN_ENHANCED.ZIP", z))
		wantRefused(t, err, alloc, tokenAlloc, "SDN_ENHANCED.ZIP", "limit")
	})
	t.Run("ofac enhanced zip: 20,000 entries", func(t *testing.T) {
		var es []zipEntry
		for i := 0; i < 20000; i++ {
			es = append(es, zipEntry{fmt.Sprintf("d/%d.txt", i), fill("", 0)})
		}
		es = append(es, zipEntry{"SDN_ENHANCED.XML", fill("", 0)})
		_, err := parseMeasured(t, "ofac-enhanced-xml", bytesFile("SDN_ENHANCED.ZIP", zipOf(t, es...)))
		wantRefused(t, err, 0, tokenAlloc, "SDN_ENHANCED.ZIP", "entries")
	})
	t.Run("ofac enhanced zip: an entry larger than it declares", func(t *testing.T) {
		// Deflate 40 MiB, declare 1,000 bytes.
		var raw bytes.Buffer
		fw, _ := flate.NewWriter(&raw, flate.BestCompression)
		io.Copy(fw, concat(`<sanctionsData><entities><entity id="1"><generalInfo><remarks>`, fill("A", bomb))())
		fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "SDN_ENHANCED.XML", Method: zip.Deflate, CompressedSize64: uint64(raw.Len()), UncompressedSize64: 1000})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw.Bytes())
		zw.Close()
		alloc, err := parseMeasured(t, "ofac-enhanced-xml", bytesFile("SDN_ENHANCED.ZIP", buf.Bytes()))
		wantRefused(t, err, alloc, tokenAlloc, "SDN_ENHANCED.ZIP", "does not match its header")
	})
	t.Run("ofac enhanced zip: declares 3 GiB", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "SDN_ENHANCED.XML", Method: zip.Store, CompressedSize64: 3, UncompressedSize64: 3 << 30})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<a>"))
		zw.Close()
		alloc, err := parseMeasured(t, "ofac-enhanced-xml", bytesFile("SDN_ENHANCED.ZIP", buf.Bytes()))
		wantRefused(t, err, alloc, tokenAlloc, "SDN_ENHANCED.ZIP", "declared unpacked size")
	})
	t.Run("fcdo ods: one cell of 40 MiB", func(t *testing.T) {
		z := zipOf(t, zipEntry{"mimetype", fill("application/vnd.oasis.opendocument.spreadsheet", 46)},
			zipEntry{"content.xml", concat(`<?xml version="1.0" encoding="UTF-8"?><office:document-content `+ns+`><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell><text:p>`,
				fill("A", bomb), `</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`)})
		alloc, err := parseMeasured(t, "uk-fcdo-ods", bytesFile("UK_Sanctions_List.ods", z))
		wantRefused(t, err, alloc, tokenAlloc, "UK_Sanctions_List.ods", "limit")
	})
	t.Run("fcdo ods: one row of 40 MiB in small cells", func(t *testing.T) {
		z := zipOf(t, zipEntry{"mimetype", fill("application/vnd.oasis.opendocument.spreadsheet", 46)},
			zipEntry{"content.xml", concat(`<?xml version="1.0" encoding="UTF-8"?><office:document-content `+ns+`><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell>`,
				fill("<text:p>AAAAAAAAAAAAAAAAAAAAAAAA</text:p>", bomb), `</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`)})
		alloc, err := parseMeasured(t, "uk-fcdo-ods", bytesFile("UK_Sanctions_List.ods", z))
		wantRefused(t, err, alloc, recordAlloc, "UK_Sanctions_List.ods", "limit")
	})
	t.Run("ofsi xlsx: one shared string of 40 MiB", func(t *testing.T) {
		x := excelize.NewFile()
		x.SetCellValue("Sheet1", "A1", "Name 6")
		x.SetCellValue("Sheet1", "A2", "X")
		var wb bytes.Buffer
		if err := x.Write(&wb); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var es []zipEntry
		for _, zf := range zr.File {
			if zf.Name == "xl/sharedStrings.xml" {
				es = append(es, zipEntry{zf.Name, concat(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>Name 6</t></si><si><t>`,
					fill("A", bomb), `</t></si></sst>`)})
				continue
			}
			b, _ := zf.Open()
			data, _ := io.ReadAll(b)
			es = append(es, zipEntry{zf.Name, func() io.Reader { return bytes.NewReader(data) }})
		}
		alloc, err := parseMeasured(t, "uk-ofsi-xlsx", bytesFile("ConList.xlsx", zipOf(t, es...)))
		wantRefused(t, err, alloc, tokenAlloc, "ConList.xlsx", "limit")
	})
}

func TestHostileText(t *testing.T) {
	cases := []struct {
		name, format, file string
		gen                func() io.Reader
		maxAlloc           uint64
		want               string // in the error; "limit" when empty
	}{
		{"un xml: one text node of 40 MiB", "un-xml", "consolidated.xml",
			concat(`<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>`, fill("A", bomb), `</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`), 0, ""},
		{"un xml: one attribute of 40 MiB with '>' in it", "un-xml", "consolidated.xml",
			concat(`<CONSOLIDATED_LIST dateGenerated="`, fill(">", bomb), `"></CONSOLIDATED_LIST>`), 0, ""},
		{"un xml: a comment of 40 MiB", "un-xml", "consolidated.xml",
			concat(`<CONSOLIDATED_LIST><!--`, fill("<a>", bomb), `--></CONSOLIDATED_LIST>`), 0, ""},
		{"un xml: a doctype of 40 MiB", "un-xml", "consolidated.xml",
			concat(`<!DOCTYPE x [<!-- > -->"`, fill("<><>", bomb), `">]><CONSOLIDATED_LIST></CONSOLIDATED_LIST>`), 0, ""},
		{"un xml: one record of 40 MiB in small elements", "un-xml", "consolidated.xml",
			concat(`<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>`,
				fill("<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>B</ALIAS_NAME></INDIVIDUAL_ALIAS>", bomb), `</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`), recordAlloc, ""},
		// 12 MiB: encoding/csv without limits takes 60 times that.
		{"eu csv: one quoted field of 12 MiB over many lines", "eu-fsf-csv", "eu_csl.csv",
			concat("\ufefffileGenerationDate;Entity_LogicalId;NameAlias_WholeName\n28/10/2022;1;\"", fill("A\n", 12<<20), "\"\n"), 0, ""},
		{"ofac csv: one line of 40 MiB", "ofac-csv", "sdn.csv",
			concat(`1,"`, fill("A", bomb), `","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `+"\r\n"), 0, ""},
		{"lexscreen-csv: one row of 2 million empty fields", "lexscreen-csv", "list.csv",
			concat("id,name\n1,", fill(",", 2<<20), "\n"), 0, "fields"},
		{"lexscreen-json document: one entity of 40 MiB", "lexscreen-json", "list.json",
			concat(`{"source": "custom-x", "entities": [{"id": "1", "names": [{"full": "`, fill("A", bomb), `"}]}]}`), recordAlloc, ""},
		{"ftm-json: one line of 40 MiB", "ftm-json", "entities.ftm.json",
			concat(`{"id": "x", "schema": "Person", "properties": {"name": ["`, fill("A", bomb), `"]}}`+"\n"), lineAlloc, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			alloc, err := parseMeasured(t, c.format, streamFile(c.file, c.gen))
			if c.maxAlloc == 0 {
				c.maxAlloc = tokenAlloc
			}
			if c.want == "" {
				c.want = "limit"
			}
			wantRefused(t, err, alloc, c.maxAlloc, c.file, c.want)
		})
	}
}

// TestNotUTF8 feeds Windows-1252 bytes ("P\xC9REZ") to readers of formats
// that are UTF-8: they must be refused with the file and line, not read as
// "PÉREZ" or "P\uFFFDREZ" in silence.
func TestNotUTF8(t *testing.T) {
	cases := []struct{ format, file, data string }{
		{"lexscreen-csv", "list.csv", "id,name\n2,Juan P\xC9REZ\n"},
		{"lexscreen-json", "list.jsonl", "{\"id\": \"1\", \"names\": [{\"full\": \"Juan Perez\"}]}\n{\"id\": \"2\", \"names\": [{\"full\": \"Juan P\xC9REZ\"}]}\n"},
		{"ftm-json", "entities.ftm.json", "{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Juan Perez\"]}}\n{\"id\": \"b\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Juan P\xC9REZ\"]}}\n"},
		{"un-xml", "consolidated.xml", "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:00Z\">\n<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>P\xC9REZ</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			var names []string
			_, err := formats.ByID(c.format).Parse(context.Background(), []source.File{bytesFile(c.file, []byte(c.data))}, func(e *lexscreen.Entity) error {
				for _, n := range e.Names {
					names = append(names, n.Full)
				}
				return nil
			})
			var le *lexscreen.Error
			if err == nil || !errors.As(err, &le) || le.File != c.file || le.Line != 2 || !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("err = %v (names read: %q), want a UTF-8 error at %s:2", err, names, c.file)
			}
		})
	}
}

// The OFAC legacy CSV is documented as Windows-1252 in older files
// (FORMATS.md): such a line is decoded as Windows-1252, explicitly.
func TestOFACCSVWindows1252(t *testing.T) {
	sdn := "1,\"P\xC9REZ, Juan\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1A"
	var got []string
	_, err := formats.ByID("ofac-csv").Parse(context.Background(), []source.File{bytesFile("sdn.csv", []byte(sdn))}, func(e *lexscreen.Entity) error {
		for _, n := range e.Names {
			got = append(got, n.Full)
		}
		return nil
	})
	if err != nil || len(got) == 0 || !strings.Contains(strings.Join(got, "|"), "PÉREZ") {
		t.Errorf("names %q, err %v; want PÉREZ decoded from Windows-1252", got, err)
	}
}
