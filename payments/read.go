package payments

import (
	"bufio"
	"bytes"
	"io"
)

// Reader reads payments one at a time from one input.
type Reader interface {
	// Next returns the next payment; a *ParseError for a message that
	// could not be read (reading goes on unless it is Fatal); io.EOF at
	// the end.
	Next() (*Message, error)
}

// Syntax is a family of payment message formats.
type Syntax string

// The syntaxes NewReader tells apart.
const (
	SyntaxISO Syntax = "iso20022" // XML
	SyntaxMT  Syntax = "mt"       // SWIFT FIN
)

// NewReader returns a Reader over r, telling ISO 20022 XML from SWIFT MT
// by the first bytes (after a BOM and blanks): '<' is XML, anything else
// is read as MT. file names the input in errors.
func NewReader(file string, r io.Reader) (Reader, Syntax) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(head) > 0 && head[0] == '<' {
		return newISOReader(file, br), SyntaxISO
	}
	return newMTReader(file, br), SyntaxMT
}

// NewReaderOf returns a Reader of the given syntax over r.
func NewReaderOf(file string, syntax Syntax, r io.Reader) Reader {
	if syntax == SyntaxISO {
		return newISOReader(file, r)
	}
	return newMTReader(file, r)
}
