package uk

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

var fcdoSpec = tableSpec{src: SourceFCDO, authority: AuthorityFCDO, list: "UK Sanctions List", key: fUniqueID,
	strictWidth: true, unit: "FCDO UK Sanctions List"}

// FormatFCDOODS reads the FCDO UK Sanctions List as an OpenDocument
// spreadsheet. content.xml (632 MB unpacked for 2022-11-30) is streamed from
// the zip token by token. The first sheet holds every designation as the
// product of its names, addresses, phones, ... (one row per combination),
// with the rows of one Unique ID adjacent: each entity is emitted as soon
// as its Unique ID changes, and a Unique ID seen again later is an error.
// The following sheets (Entity, Individual, Ship) repeat those rows by type
// and are not read.
var FormatFCDOODS = source.Format{
	ID:    "uk-fcdo-ods",
	Title: "UK Sanctions List (FCDO), OpenDocument spreadsheet (UK_Sanctions_List.ods)",
	Sniff: sniffFCDOODS,
	Parse: parseFCDOODS,
}

// FormatFCDOCSV reads the FCDO UK Sanctions List CSV: a metadata row, the
// header, then one row per name. Rows of one Unique ID are not guaranteed
// to be adjacent, so entities are merged in memory until the end of the file
// (one de-duplicated entity per designation, not the rows) and emitted in
// order of first appearance.
var FormatFCDOCSV = source.Format{
	ID:    "uk-fcdo-csv",
	Title: "UK Sanctions List (FCDO), CSV (UK-Sanctions-List.csv)",
	Sniff: sniffFCDOCSV,
	Parse: func(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
		return parseCSVFiles(ctx, files, fcdoSpec, emit)
	},
}

// FormatFCDOXML reads the FCDO UK Sanctions List XML (<Designations>, one
// <Designation> per entity), decoding one designation at a time.
var FormatFCDOXML = source.Format{
	ID:    "uk-fcdo-xml",
	Title: "UK Sanctions List (FCDO), XML (UK-Sanctions-List.xml)",
	Sniff: sniffFCDOXML,
	Parse: parseFCDOXML,
}

var reSanctionsName = regexp.MustCompile(`(?i)sanction`)

func sniffFCDOODS(name string, head []byte) bool {
	return isZip(head) && bytes.Contains(head[:min(len(head), 200)], []byte("mimetype"+odsMime)) &&
		reSanctionsName.MatchString(name)
}

func sniffFCDOCSV(name string, head []byte) bool {
	if isZip(head) || bytes.IndexByte(head, 0) >= 0 || bytes.HasPrefix(bytes.TrimSpace(source.StripBOM(head)), []byte("<")) {
		return false
	}
	for _, h := range headCSVHeaders(head) {
		if h["uniqueid"] && h["name6"] {
			return true
		}
	}
	return false
}

func sniffFCDOXML(name string, head []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(source.StripBOM(head)))
	for i := 0; i < 50; i++ {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "Designations"
		}
	}
	return false
}

func parseFCDOODS(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceFCDO}
	spec := fcdoSpec
	spec.consecutive, spec.strictWidth, spec.unit = true, false, "FCDO UK Sanctions List spreadsheet"
	for _, f := range files {
		m, err := parseOneODS(ctx, f, spec, emit)
		if err != nil {
			return m, err
		}
		meta = m
	}
	return meta, nil
}

func parseOneODS(ctx context.Context, f source.File, spec tableSpec, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: spec.src}
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	zr, cleanup, err := source.OpenZip(f.Name, "ODS (zip) file", rc)
	if err != nil {
		return meta, err
	}
	defer cleanup()
	var content *zip.File
	for _, zf := range zr.File {
		switch zf.Name {
		case "mimetype":
			r, err := source.OpenZipEntry(f.Name, zf)
			if err != nil {
				return meta, err
			}
			b, err := io.ReadAll(io.LimitReader(r, 256))
			r.Close()
			if err != nil || strings.TrimSpace(string(b)) != odsMime {
				return meta, source.NewError(f.Name, 0, "mimetype", "not an OpenDocument spreadsheet (mimetype %q)", b)
			}
		case "content.xml":
			content = zf
		}
	}
	if content == nil {
		return meta, source.NewError(f.Name, 0, "content.xml", "ODS has no content.xml")
	}
	r, err := source.OpenZipEntry(f.Name, content)
	if err != nil {
		return meta, err
	}
	defer r.Close()
	return parseTable(ctx, f, newODSRows(f.Name, r, spec.isHeader), spec, emit)
}

// --- XML ---

// xnode is one element of a <Designation>, kept only while that record is
// mapped.
type xnode struct {
	name string
	text string
	kids []*xnode
}

func decodeNode(d *xml.Decoder, se xml.StartElement) (*xnode, error) {
	n := &xnode{name: se.Name.Local}
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := decodeNode(d, t)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			n.text = source.Clean(text.String())
			return n, nil
		}
	}
}

func (n *xnode) leaf() bool { return len(n.kids) == 0 }

func rowOf(pairs [][2]string) row {
	h := make([]string, len(pairs))
	c := make([]string, len(pairs))
	for i, p := range pairs {
		h[i], c[i] = p[0], p[1]
	}
	return row{cols: newColumns(h), cells: c}
}

// designationEntity maps one <Designation>. Its direct leaves (Unique ID,
// regime, type, dates, sanctions, other information) form one row; every
// element whose children are distinct leaves (Name, NonLatinName, Address,
// Passport, Location, ...) forms a row of its own; repeated leaves of one
// list element (DOBs/DOB, Nationalities/Nationality, ...) each form one.
// Rows are merged like the table formats' rows.
func designationEntity(n *xnode) (*lexscreen.Entity, string) {
	var top [][2]string
	for _, k := range n.kids {
		if k.leaf() {
			top = append(top, [2]string{k.name, k.text})
		}
	}
	tr := rowOf(top)
	key := tr.get(fUniqueID)
	if key == "" {
		return nil, "UniqueID"
	}
	b := newBuilder(SourceFCDO, AuthorityFCDO, "UK Sanctions List", key)
	b.addRow(tr)
	var walk func(*xnode)
	walk = func(x *xnode) {
		allLeaves, same := true, true
		for _, k := range x.kids {
			if !k.leaf() {
				allLeaves = false
			}
			if k.name != x.kids[0].name {
				same = false
			}
		}
		if allLeaves && (!same || len(x.kids) == 1) {
			var pairs [][2]string
			for _, k := range x.kids {
				pairs = append(pairs, [2]string{k.name, k.text})
			}
			b.addRow(rowOf(pairs))
			return
		}
		for _, k := range x.kids {
			if k.leaf() {
				b.addRow(rowOf([][2]string{{k.name, k.text}}))
			} else {
				walk(k)
			}
		}
	}
	for _, k := range n.kids {
		if !k.leaf() {
			walk(k)
		}
	}
	return b.finish(), ""
}

func parseFCDOXML(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceFCDO}
	for _, f := range files {
		m, err := parseOneFCDOXML(ctx, f, emit)
		if err != nil {
			return m, err
		}
		meta = m
	}
	return meta, nil
}

func parseOneFCDOXML(ctx context.Context, f source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceFCDO}
	if err := ctx.Err(); err != nil {
		return meta, err
	}
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	d := source.NewXMLDecoder(f.Name, rc)
	rootSeen, rootClosed := false, false
	count := 0
	last := ""
	seen := map[string]bool{}
	where := func() string {
		if last == "" {
			return "<Designations>"
		}
		return "<Designations> after Designation UniqueID=" + last
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return meta, xmlError(f.Name, d, where(), err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "Designations" {
				rootClosed = true
			}
			continue
		}
		if !rootSeen {
			if se.Name.Local != "Designations" {
				return meta, source.NewError(f.Name, 0, se.Name.Local, "root element <%s>, want <Designations>", se.Name.Local)
			}
			rootSeen = true
			continue
		}
		switch se.Name.Local {
		case "DateGenerated":
			var s string
			if err := d.DecodeRecord(&s, &se); err != nil {
				return meta, xmlError(f.Name, d, "DateGenerated", err)
			}
			if t, v, ok := bannerDate(s); ok {
				meta.Published, meta.Version = t, v
			}
		case "Designation":
			if count%64 == 0 {
				if err := ctx.Err(); err != nil {
					return meta, err
				}
			}
			d.StartRecord("Designation")
			n, err := decodeNode(d.Decoder, se)
			d.EndRecord()
			if err != nil {
				return meta, xmlError(f.Name, d, "Designation after UniqueID="+last, err)
			}
			e, missing := designationEntity(n)
			if e == nil {
				return meta, source.NewError(f.Name, 0, "Designation after UniqueID="+last, "designation without %s", missing)
			}
			last = strings.TrimPrefix(e.ID, SourceFCDO+":")
			if seen[last] {
				return meta, source.NewError(f.Name, 0, "Designation UniqueID="+last, "duplicate UniqueID %s", last)
			}
			seen[last] = true
			count++
			if err := emit(e); err != nil {
				return meta, err
			}
		default:
			if err := d.Skip(); err != nil {
				return meta, xmlError(f.Name, d, se.Name.Local, err)
			}
		}
	}
	if !rootSeen {
		return meta, source.NewError(f.Name, 0, "", "no <Designations> element: not a UK Sanctions List XML file")
	}
	if !rootClosed {
		return meta, source.NewError(f.Name, 0, where(), "unexpected end of file inside %s", where())
	}
	return meta, nil
}

func xmlError(file string, d interface{ InputPos() (int, int) }, element string, err error) error {
	if source.Located(err) {
		return err
	}
	line, _ := d.InputPos()
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected EOF") {
		return source.NewError(file, line, element, "unexpected end of file inside <%s>", element)
	}
	return source.NewError(file, line, element, "%s", fmt.Sprint(msg))
}
