package source

import (
	"fmt"
	"io"
)

// CSVText wraps the text of a CSV file so that one row (a record, with
// quoted fields spanning lines) longer than MaxToken stops the read with an
// error naming the file and the row's first line, before encoding/csv
// buffers it. comma is the field delimiter and comment the comment
// character (0: none) that the csv.Reader is set up with; a quote opens a
// quoted field only at a field's start, as encoding/csv reads it (also with
// LazyQuotes). A row of more than maxCSVFields fields is refused too (each
// field costs encoding/csv memory even when empty).
func CSVText(file string, r io.Reader, comma, comment byte) io.Reader {
	return &csvGuard{r: r, file: file, max: CurrentLimits().MaxToken, comma: comma, comment: comment, line: 1, recLine: 1}
}

// maxCSVFields bounds the fields of one CSV row; real lists have up to 100.
const maxCSVFields = 10000

const (
	csvRecordStart = iota
	csvFieldStart
	csvUnquoted
	csvQuoted
	csvQuoteSeen
	csvQuoteSeenCR // a quote then '\r': a row end if '\n' follows
	csvComment
)

type csvGuard struct {
	r              io.Reader
	file           string
	max            int
	comma, comment byte
	st             int
	n              int // bytes of the current row
	fields         int // delimiters seen in the current row
	line, recLine  int
	err            error
}

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		c := p[i]
		g.n++
		if g.n > g.max {
			g.err = LimitError(g.file, g.recLine, "", fmt.Sprintf("one CSV row (starting at line %d)", g.recLine), int64(g.max), "")
			return 0, g.err
		}
		if c == '\n' {
			g.line++
		}
		if c == g.comma && g.st != csvQuoted && g.st != csvComment {
			g.fields++
			if g.fields >= maxCSVFields {
				g.err = NewError(g.file, g.recLine, "", "one CSV row (starting at line %d) has more than %d fields, the limit: refused before reading further (a real list has at most a hundred columns)", g.recLine, maxCSVFields)
				return 0, g.err
			}
		}
		switch g.st {
		case csvRecordStart, csvFieldStart:
			switch {
			case g.st == csvRecordStart && g.comment != 0 && c == g.comment:
				g.st = csvComment
			case c == '"':
				g.st = csvQuoted
			case c == g.comma:
				g.st = csvFieldStart
			case c == '\n':
				g.endRow()
			default:
				g.st = csvUnquoted
			}
		case csvUnquoted:
			switch c {
			case g.comma:
				g.st = csvFieldStart
			case '\n':
				g.endRow()
			}
		case csvQuoted:
			if c == '"' {
				g.st = csvQuoteSeen
			}
		case csvQuoteSeen:
			switch c {
			case '"':
				g.st = csvQuoted
			case g.comma:
				g.st = csvFieldStart
			case '\n':
				g.endRow()
			case '\r':
				g.st = csvQuoteSeenCR
			default:
				g.st = csvQuoted // a lazy quote: the field goes on
			}
		case csvQuoteSeenCR:
			switch c {
			case '\n':
				g.endRow()
			case '"':
				g.st = csvQuoteSeen
			default:
				g.st = csvQuoted
			}
		case csvComment:
			if c == '\n' {
				g.endRow()
			}
		}
	}
	return n, err
}

func (g *csvGuard) endRow() {
	g.st, g.n, g.fields, g.recLine = csvRecordStart, 0, 0, g.line
}
