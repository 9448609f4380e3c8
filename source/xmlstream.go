package source

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// XMLRecords streams an XML document made of records under one root
// element (<CONSOLIDATED_LIST>, <export>, ...). It checks the root, hands its
// start tag to OnRoot, and each direct child of the root to OnRecord, which
// must consume it (DecodeElement or Skip). Truncation, a wrong root and
// content after the root's end become errors located in File.
type XMLRecords struct {
	File string // for error messages
	Root string // local name of the root element
	What string // what the document is, for errors: "a UN consolidated list"

	OnRoot   func(root xml.StartElement) error
	OnRecord func(dec *XMLDecoder, se xml.StartElement) error

	// CharsetReader, when set, decodes documents that declare an encoding
	// other than UTF-8.
	CharsetReader func(charset string, input io.Reader) (io.Reader, error)
}

// Read reads the document from r, under the limits of NewXMLDecoder.
func (x XMLRecords) Read(ctx context.Context, r io.Reader) error {
	dec := NewXMLDecoder(x.File, r)
	dec.CharsetReader = x.CharsetReader
	line := func() int { l, _ := dec.InputPos(); return l }
	sawRoot, closedRoot := false, false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if Located(err) {
				return err
			}
			if sawRoot && IsTruncated(err) {
				return NewError(x.File, line(), x.Root, "unexpected end of file inside <%s>", x.Root)
			}
			return NewError(x.File, line(), "", "%s", XMLError(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !sawRoot:
				if t.Name.Local != x.Root {
					return NewError(x.File, line(), t.Name.Local, "not %s: root element <%s>, want <%s>", x.What, t.Name.Local, x.Root)
				}
				sawRoot = true
				if x.OnRoot != nil {
					if err := x.OnRoot(t); err != nil {
						return WrapError(x.File, line(), x.Root, err)
					}
				}
			case closedRoot:
				return NewError(x.File, line(), t.Name.Local, "content after </%s>", x.Root)
			default:
				if err := x.OnRecord(dec, t); err != nil {
					return WrapError(x.File, line(), t.Name.Local, err)
				}
			}
		case xml.EndElement:
			if sawRoot && t.Name.Local == x.Root {
				closedRoot = true
			}
		case xml.CharData:
			if !sawRoot && len(strings.TrimSpace(string(t))) > 0 {
				return NewError(x.File, line(), "", "text before the root element: not %s", x.What)
			}
		}
	}
	if !sawRoot {
		return NewError(x.File, line(), "", "not %s: no <%s> element", x.What, x.Root)
	}
	if !closedRoot {
		return NewError(x.File, line(), x.Root, "unexpected end of file inside <%s>", x.Root)
	}
	return nil
}

// XMLError describes an encoding/xml error for users.
func XMLError(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "XML syntax error: " + se.Msg
	}
	return err.Error()
}

// IsTruncated reports whether an XML error means the input ended early.
func IsTruncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(XMLError(err), "unexpected EOF")
}

// RecordError locates a failure to decode one record: el names it
// ("INDIVIDUAL DATAID=6908072"); a cut-off file says so.
func RecordError(file string, line int, el string, err error) error {
	if Located(err) {
		return err
	}
	msg := XMLError(err)
	if IsTruncated(err) {
		msg = "unexpected end of file inside <" + el + ">"
	}
	return NewError(file, line, el, "%s", msg)
}

// Located reports whether err is already an error located in a file (a
// limit or encoding error from the readers below a decoder), which callers
// pass on unchanged.
func Located(err error) bool {
	var le *lexscreen.Error
	return errors.As(err, &le) && le.File != ""
}
