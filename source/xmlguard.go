package source

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/lexscreen/lexscreen"
)

// XMLDecoder is an xml.Decoder over a list's XML with the limits applied
// below it: the document may not exceed MaxBytes, one token (a text node, a
// tag, a comment, a CDATA section, a directive) MaxToken, and one record
// decoded with DecodeRecord MaxRecord. encoding/xml buffers a whole token
// (and DecodeElement a whole record) before returning it, so the bytes are
// counted as they stream in and the read fails with a located error before
// the decoder holds more than the limit. A leading BOM and 0x1A (Ctrl-Z)
// bytes, never XML, are dropped. The decoder is strict, so text that is not
// UTF-8 is an error unless the document declares an encoding that
// CharsetReader decodes.
type XMLDecoder struct {
	*xml.Decoder
	in *xmlGuard
}

// NewXMLDecoder returns a decoder over r, located in file for errors.
func NewXMLDecoder(file string, r io.Reader) *XMLDecoder {
	lim := CurrentLimits()
	g := &xmlGuard{r: CapReader(file, r, lim.MaxBytes), file: file, maxToken: lim.MaxToken, maxRecord: lim.MaxRecord, first: true, line: 1, rec: -1}
	return &XMLDecoder{Decoder: xml.NewDecoder(g), in: g}
}

// CheckXMLTokens reads r to its end through the limits of NewXMLDecoder
// without decoding it: it fails when a token is larger than MaxToken or the
// whole larger than MaxBytes. It checks parts that a library decodes.
// part names the archive part in errors.
func CheckXMLTokens(file, part string, r io.Reader) error {
	d := NewXMLDecoder(file, r)
	_, err := io.Copy(io.Discard, d.in)
	var le *lexscreen.Error
	if errors.As(err, &le) && le.Element == "" {
		le.Element = part
	}
	return err
}

// DecodeRecord decodes the element that starts with start into v, as
// DecodeElement does, failing with a located error once the element is
// larger than MaxRecord, before the decoder has built it in memory.
func (d *XMLDecoder) DecodeRecord(v any, start *xml.StartElement) error {
	d.StartRecord(start.Name.Local)
	defer d.EndRecord()
	return d.DecodeElement(v, start)
}

// StartRecord starts counting the bytes of one record whose elements the
// caller reads itself (named el in errors); EndRecord stops it.
func (d *XMLDecoder) StartRecord(el string) { d.in.rec, d.in.recEl = 0, el }

// EndRecord ends the record started by StartRecord.
func (d *XMLDecoder) EndRecord() { d.in.rec = -1 }

// Scanner states: where in the XML grammar the byte stream is, as far as
// telling where encoding/xml's tokens end goes.
const (
	xText     = iota
	xLT       // after '<'
	xTag      // in a start or end tag, outside quotes
	xTagQuote // in a quoted attribute value
	xBang     // after "<!"
	xCommentOpen
	xComment   // in <!-- ... -->
	xCDATA     // in <![CDATA[ ... ]]>
	xPI        // in <? ... ?>
	xDirective // in <!DOCTYPE ...> and the like, with nesting and quotes
)

type xmlGuard struct {
	r         io.Reader
	file      string
	maxToken  int
	maxRecord int
	first     bool
	err       error

	line  int
	st    int
	quote byte
	tok   int // bytes of the current token
	rec   int // bytes of the current record, -1 outside one
	recEl string
	prev  [2]byte // last two bytes, for "-->", "]]>", "?>"
	// directive state, as encoding/xml reads directives: quotes, nesting,
	// and comments in them (dcom: bytes of "<!--" matched; dcomIn: inside).
	dquote byte
	depth  int
	dcom   int
	dcomIn bool
}

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.first {
		// Drop a BOM that may come in pieces.
		n, err := io.ReadAtLeast(g.r, p[:min(len(p), 3)], min(len(p), 3))
		g.first = false
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
		b := StripBOM(p[:n])
		k := copy(p, b)
		if k == 0 {
			return g.Read(p)
		}
		return g.scan(p, k, nil)
	}
	n, err := g.r.Read(p)
	return g.scan(p, n, err)
}

func (g *xmlGuard) scan(p []byte, n int, err error) (int, error) {
	b := p[:n]
	if bytes.IndexByte(b, 0x1A) >= 0 {
		b = bytes.ReplaceAll(b, []byte{0x1A}, nil)
		n = copy(p, b)
		b = p[:n]
	}
	if g.rec >= 0 {
		g.rec += n
		if g.rec > g.maxRecord {
			g.err = LimitError(g.file, g.line, g.recEl, "one record <"+g.recEl+">", int64(g.maxRecord), "")
			return 0, g.err
		}
	}
	for i := 0; i < len(b); i++ {
		if g.st == xText {
			// Fast path: text runs to the next '<'.
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				g.line += bytes.Count(b[i:], []byte{'\n'})
				g.tok += len(b) - i
				break
			}
			g.line += bytes.Count(b[i:i+j], []byte{'\n'})
			g.tok += j
			if g.tok > g.maxToken {
				break
			}
			i += j
			g.tok = 0
		}
		if g.st == xTag || g.st == xTagQuote {
			// Fast path: skip to the next byte that can change the state
			// (prev is only read in states that reset it on entry).
			k := i
			if g.st == xTag {
				for k < len(b) && b[k] != '"' && b[k] != '\'' && b[k] != '>' && b[k] != '\n' {
					k++
				}
			} else {
				for k < len(b) && b[k] != g.quote && b[k] != '\n' {
					k++
				}
			}
			g.tok += k - i
			if k == len(b) || g.tok > g.maxToken {
				break
			}
			i = k
		}
		c := b[i]
		g.tok++
		if c == '\n' {
			g.line++
		}
		prev := g.prev
		g.prev = [2]byte{prev[1], c}
		switch g.st {
		case xText: // c is '<'
			g.st = xLT
		case xLT:
			switch c {
			case '!':
				g.st = xBang
			case '?':
				g.st, g.prev = xPI, [2]byte{}
			default:
				g.st = xTag
				g.tagByte(c)
			}
		case xTag:
			g.tagByte(c)
		case xTagQuote:
			if c == g.quote {
				g.st = xTag
			}
		case xBang:
			switch c {
			case '-':
				g.st = xCommentOpen
			case '[':
				g.st, g.prev = xCDATA, [2]byte{}
			default:
				// encoding/xml keeps the directive's first byte as is.
				g.st, g.dquote, g.depth, g.dcom, g.dcomIn = xDirective, 0, 0, 0, false
			}
		case xCommentOpen: // "<!-" and one more byte ('-' or a syntax error)
			g.st, g.prev = xComment, [2]byte{}
		case xComment:
			if c == '>' && prev == [2]byte{'-', '-'} {
				g.endToken()
			}
		case xCDATA:
			if c == '>' && prev == [2]byte{']', ']'} {
				g.endToken()
			}
		case xPI:
			if c == '>' && prev[1] == '?' {
				g.endToken()
			}
		case xDirective:
			g.directiveByte(c, prev)
		}
	}
	if g.tok > g.maxToken {
		el := ""
		if g.rec >= 0 {
			el = g.recEl
		}
		g.err = LimitError(g.file, g.line, el, "one XML token (a text node, tag, comment or CDATA section)", int64(g.maxToken), "")
		return 0, g.err
	}
	return n, err
}

// endToken ends a markup token: text follows.
func (g *xmlGuard) endToken() {
	if g.tok > g.maxToken {
		return // reported by scan
	}
	g.st, g.tok = xText, 0
}

func (g *xmlGuard) tagByte(c byte) {
	switch c {
	case '"', '\'':
		g.st, g.quote = xTagQuote, c
	case '>':
		g.endToken()
	}
}

// directiveByte follows encoding/xml's reading of a directive: '>' at depth
// 0 outside quotes ends it; quoted '<' and '>' do not nest; "<!--" starts a
// comment that ends at "-->".
func (g *xmlGuard) directiveByte(c byte, prev [2]byte) {
	if g.dcomIn {
		if c == '>' && prev == [2]byte{'-', '-'} {
			g.dcomIn = false
		}
		return
	}
	if g.dcom > 0 {
		if c == "<!--"[g.dcom] {
			g.dcom++
			if g.dcom == 4 {
				g.dcom, g.dcomIn = 0, true
				g.prev = [2]byte{} // the comment's own dashes don't close it
			}
			return
		}
		// Not a comment: the '<' nests, and c is read as usual.
		g.dcom = 0
		g.depth++
	}
	switch {
	case g.dquote != 0:
		if c == g.dquote {
			g.dquote = 0
		}
	case c == '>' && g.depth == 0:
		g.endToken()
	case c == '\'' || c == '"':
		g.dquote = c
	case c == '>':
		g.depth--
	case c == '<':
		g.dcom = 1
	}
}

// String describes the scanner's position (for tests).
func (g *xmlGuard) String() string {
	return fmt.Sprintf("line %d state %d token %d", g.line, g.st, g.tok)
}
