package uk

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen/source"
)

// FormatOFSICSV reads OFSI ConList.csv (2022 format: a "Last Updated,
// dd/mm/yyyy" banner, a header row, then one row per name variant; also the
// pre-2022 variant with a leading empty column). Rows of one Group ID are NOT
// consecutive in real files (they are sorted by name: 3,483 re-entries in
// the 2024-01-25 file), so groups are merged in memory until the end of the
// file and emitted in order of first appearance. Memory holds one
// de-duplicated entity per group (a few MB for ~4,700 groups), never the
// raw rows.
var FormatOFSICSV = source.Format{
	ID:    "uk-ofsi-csv",
	Title: "UK OFSI Consolidated List CSV (ConList.csv, 2022 format)",
	Sniff: sniffOFSICSV,
	Parse: parseOFSICSV,
}

// FormatOFSIXLSX reads the same list published as ConList.xlsx, with
// excelize's streaming row iterator (shared strings are loaded whole by
// excelize: ~4 MB for the 2025 file).
var FormatOFSIXLSX = source.Format{
	ID:    "uk-ofsi-xlsx",
	Title: "UK OFSI Consolidated List spreadsheet (ConList.xlsx)",
	Sniff: sniffOFSIXLSX,
	Parse: parseOFSIXLSX,
}

var ofsiSpec = tableSpec{src: SourceOFSI, authority: AuthorityOFSI, list: "Consolidated List", key: fGroupID,
	consecutive: false, strictWidth: true, unit: "OFSI ConList"}

// headerLine returns the normalised header columns found in the first
// lines of a text head.
func headCSVHeaders(head []byte) []map[string]bool {
	head = source.StripBOM(head)
	lines := bytes.SplitN(head, []byte("\n"), 4)
	var out []map[string]bool
	for i, l := range lines {
		if i == 3 && len(lines) == 4 {
			break // last piece may be cut short
		}
		m := map[string]bool{}
		for _, c := range strings.Split(string(l), ",") {
			m[normHeader(c)] = true
		}
		out = append(out, m)
	}
	return out
}

func isZip(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

func sniffOFSICSV(name string, head []byte) bool {
	if isZip(head) || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	for _, h := range headCSVHeaders(head) {
		if h["name6"] && h["groupid"] && h["aliastype"] && !h["uniqueid"] {
			return true
		}
	}
	return false
}

var reConListXLSX = regexp.MustCompile(`(?i)conlist.*\.xlsx$`)

func sniffOFSIXLSX(name string, head []byte) bool {
	return isZip(head) && reConListXLSX.MatchString(name)
}

// csvRows reads CSV records with their line numbers.
type csvRows struct{ r *csv.Reader }

func newCSVRows(file string, r io.Reader) *csvRows {
	cr := csv.NewReader(source.CSVText(file, source.UTF8Text(file, r), ',', 0))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{cr}
}

func (c *csvRows) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.StartLine, fmt.Errorf("row %d: %v", pe.StartLine, pe.Err)
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

func parseOFSICSV(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	return parseCSVFiles(ctx, files, ofsiSpec, emit)
}

func parseCSVFiles(ctx context.Context, files []source.File, spec tableSpec, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: spec.src}
	for _, f := range files {
		rc, err := f.Open()
		if err != nil {
			return meta, err
		}
		m, err := parseTable(ctx, f, newCSVRows(f.Name, rc), spec, emit)
		rc.Close()
		if err != nil {
			return m, err
		}
		meta = m
	}
	return meta, nil
}

// xlsxRows iterates excelize rows, turning date serials in date columns
// into dd/mm/yyyy.
type xlsxRows struct {
	rows *excelize.Rows
	n    int
}

func (x *xlsxRows) next() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, x.n + 1, err
		}
		return nil, x.n, io.EOF
	}
	x.n++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, x.n, err
	}
	return cells, x.n, nil
}

func parseOFSIXLSX(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceOFSI}
	spec := ofsiSpec
	spec.strictWidth = false // spreadsheets omit trailing empty cells
	spec.unit = "OFSI ConList spreadsheet"
	for _, f := range files {
		m, err := parseOneXLSX(ctx, f, spec, emit)
		if err != nil {
			return m, err
		}
		meta = m
	}
	return meta, nil
}

func parseOneXLSX(ctx context.Context, f source.File, spec tableSpec, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: spec.src}
	if err := checkXLSX(f); err != nil {
		return meta, err
	}
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	lim := source.CurrentLimits()
	opts := excelize.Options{UnzipSizeLimit: lim.MaxBytes, UnzipXMLSizeLimit: min(lim.MaxPart, 16<<20)}
	var x *excelize.File
	if osf, ok := rc.(*os.File); ok {
		x, err = excelize.OpenFile(osf.Name(), opts)
	} else {
		x, err = excelize.OpenReader(source.CapReader(f.Name, rc, lim.MaxBytes), opts)
	}
	if err != nil {
		if source.Located(err) {
			return meta, err
		}
		return meta, source.NewError(f.Name, 0, "", "not a readable XLSX workbook: %v", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return meta, source.NewError(f.Name, 0, "", "workbook has no sheet")
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return meta, source.NewError(f.Name, 0, "sheet "+sheets[0], "cannot read sheet: %v", err)
	}
	defer rows.Close()
	return parseTable(ctx, f, &xlsxRows{rows: rows}, spec, emit)
}

// checkXLSX checks a workbook before excelize opens it, since excelize
// loads every part but the sheets whole into memory and its XML decoder
// buffers whole tokens: the archive is refused when it has too many
// entries, when a part other than a sheet declares more than MaxPart or all
// parts more than MaxBytes, or when any XML part holds a token larger than
// MaxToken (each part is streamed through the token check once).
func checkXLSX(f source.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	zr, cleanup, err := source.OpenZip(f.Name, "XLSX workbook", rc)
	if err != nil {
		return err
	}
	defer cleanup()
	lim := source.CurrentLimits()
	for _, zf := range zr.File {
		sheet := strings.HasPrefix(strings.ToLower(zf.Name), "xl/worksheets/")
		if !sheet && zf.UncompressedSize64 > uint64(lim.MaxPart) {
			return source.LimitError(f.Name, 0, zf.Name, fmt.Sprintf("workbook part %s (%d bytes unpacked, loaded whole)", zf.Name, zf.UncompressedSize64), lim.MaxPart, "")
		}
		if !strings.HasSuffix(strings.ToLower(zf.Name), ".xml") && !strings.HasSuffix(strings.ToLower(zf.Name), ".rels") {
			continue
		}
		r, err := source.OpenZipEntry(f.Name, zf)
		if err != nil {
			return err
		}
		err = source.CheckXMLTokens(f.Name, zf.Name, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
