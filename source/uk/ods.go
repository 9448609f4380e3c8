package uk

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen/source"
)

const (
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	odsMime  = "application/vnd.oasis.opendocument.spreadsheet"
	maxCols  = 1024 // cells past this are ignored (sheets pad rows to 16,384 columns)
)

// odsRows streams the rows of the first sheet that has a header row from
// an ODS content.xml, token by token. Later sheets are not read: in the
// FCDO file they repeat the first sheet's rows split by type (Entity,
// Individual, Ship).
type odsRows struct {
	d         *source.XMLDecoder
	row       int // 1-based row number within the current sheet
	sheet     string
	sheets    int
	inTable   bool
	sawHeader func([]string) bool
	header    bool
	done      bool
}

// newODSRows reads content.xml of file under the reading limits; one
// table-row may not exceed MaxRecord (rows pad with repeat counts, so real
// rows are small).
func newODSRows(file string, r io.Reader, isHeader func([]string) bool) *odsRows {
	return &odsRows{d: source.NewXMLDecoder(file, r), sawHeader: isHeader}
}

func attr(se xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == space || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

func (o *odsRows) where() string {
	if o.sheet != "" {
		return fmt.Sprintf("table:table-row %d of sheet %q", o.row+1, o.sheet)
	}
	return "content.xml"
}

func (o *odsRows) eofErr(err error) error {
	if source.Located(err) {
		return err
	}
	if errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("unexpected end of file inside <%s>", o.where())
	}
	return fmt.Errorf("bad XML in <%s>: %v", o.where(), err)
}

func (o *odsRows) next() ([]string, int, error) {
	if o.done {
		return nil, o.row, io.EOF
	}
	for {
		tok, err := o.d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && !o.inTable && o.sheets > 0 {
				o.done = true
				return nil, o.row, io.EOF
			}
			return nil, o.row, o.eofErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != nsTable {
				continue
			}
			switch t.Name.Local {
			case "table":
				o.inTable, o.sheets, o.row, o.sheet = true, o.sheets+1, 0, attr(t, nsTable, "name")
			case "table-row":
				o.d.StartRecord("table:table-row")
				cells, err := o.readRow()
				o.d.EndRecord()
				if err != nil {
					return nil, o.row + 1, err
				}
				rep, _ := strconv.Atoi(attr(t, nsTable, "number-rows-repeated"))
				if rep < 1 {
					rep = 1
				}
				first := o.row + 1
				o.row += rep
				if allEmpty(cells) {
					continue
				}
				// A repeated non-empty row is the same row again: merging
				// would only de-duplicate it, so it is returned once.
				if !o.header && o.sawHeader(cells) {
					o.header = true
				}
				return cells, first, nil
			}
		case xml.EndElement:
			if t.Name.Space == nsTable && t.Name.Local == "table" {
				o.inTable = false
				if o.header {
					o.done = true
					return nil, o.row, io.EOF
				}
			}
		}
	}
}

// readRow reads the cells of a table-row up to its end tag.
func (o *odsRows) readRow() ([]string, error) {
	var cells []string
	pending := 0 // empty cells not yet appended (trailing padding is dropped)
	for {
		tok, err := o.d.Token()
		if err != nil {
			return nil, o.eofErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell") {
				text, err := o.readCell(t)
				if err != nil {
					return nil, err
				}
				rep, _ := strconv.Atoi(attr(t, nsTable, "number-columns-repeated"))
				if rep < 1 {
					rep = 1
				}
				if text == "" {
					pending += rep
					continue
				}
				for ; pending > 0 && len(cells) < maxCols; pending-- {
					cells = append(cells, "")
				}
				pending = 0
				for i := 0; i < rep && len(cells) < maxCols; i++ {
					cells = append(cells, text)
				}
			} else if err := o.d.Skip(); err != nil {
				return nil, o.eofErr(err)
			}
		case xml.EndElement:
			return cells, nil
		}
	}
}

// readCell returns a cell's text: its text:p paragraphs joined by new
// lines, with text:s runs of spaces, tabs and line breaks; a cell without
// text falls back to its office:value / office:date-value.
func (o *odsRows) readCell(se xml.StartElement) (string, error) {
	var b strings.Builder
	paras := 0
	depth := 0
	for {
		tok, err := o.d.Token()
		if err != nil {
			return "", o.eofErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if t.Name.Space != nsText {
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				if paras > 0 {
					b.WriteByte('\n')
				}
				paras++
			case "s":
				n, _ := strconv.Atoi(attr(t, nsText, "c"))
				if n < 1 {
					n = 1
				}
				if n > 64 {
					n = 64
				}
				b.WriteString(strings.Repeat(" ", n))
			case "tab":
				b.WriteByte('\t')
			case "line-break":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if depth > 0 {
				b.Write(t)
			}
		case xml.EndElement:
			if depth == 0 {
				s := b.String()
				if strings.TrimSpace(s) == "" {
					if v := attr(se, nsOffice, "date-value"); v != "" {
						return v, nil
					}
					if v := attr(se, nsOffice, "value"); v != "" {
						return v, nil
					}
					if v := attr(se, nsOffice, "string-value"); v != "" {
						return v, nil
					}
				}
				return s, nil
			}
			depth--
		}
	}
}
