package source

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Clean trims s, collapses runs of white space (including newlines and
// non-breaking spaces) to one space, and returns "" for the null markers
// lists use ("-0-", "N/A" is kept: it can be real text).
func Clean(s string) string {
	if s == "" {
		return ""
	}
	s = strings.Join(strings.FieldsFunc(s, isSpace), " ")
	if s == "-0-" {
		return ""
	}
	return s
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x2007, 0x202F, 0x200B, 0xFEFF:
		return true
	}
	return false
}

// StripBOM removes a leading UTF-8 byte order mark.
func StripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")) }

// TextReader wraps r so that a leading UTF-8 BOM and 0x1A (Ctrl-Z) bytes
// are dropped, and any line that is not valid UTF-8 is decoded as
// Windows-1252 (the encoding of older OFAC and UK files). Valid UTF-8 passes
// through unchanged. It reads line by line, so memory stays constant.
func TextReader(r io.Reader) io.Reader {
	return &textReader{br: bufio.NewReaderSize(r, 64<<10), first: true}
}

type textReader struct {
	br    *bufio.Reader
	buf   []byte
	first bool
	err   error
}

var win1252 = charmap.Windows1252.NewDecoder()

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.buf) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		line, err := t.br.ReadBytes('\n')
		t.err = err
		if t.first {
			line = StripBOM(line)
			t.first = false
		}
		if bytes.IndexByte(line, 0x1A) >= 0 {
			line = bytes.ReplaceAll(line, []byte{0x1A}, nil)
		}
		if !utf8.Valid(line) {
			if dec, derr := win1252.Bytes(line); derr == nil {
				line = dec
			}
		}
		t.buf = line
	}
	n := copy(p, t.buf)
	t.buf = t.buf[n:]
	return n, nil
}

// Slug lower-cases s and joins its runs of letters and digits with "-":
// "Russia / Russie" -> "russia-russie". Ids built from names use it.
func Slug(s string) string { return joinRuns(s, '-') }

// Snake is Slug with "_": a publisher's label as an attribute key,
// "Secondary sanctions risk:" -> "secondary_sanctions_risk".
func Snake(s string) string { return joinRuns(s, '_') }

func joinRuns(s string, sep byte) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte(sep)
			}
			gap = false
			b.WriteRune(r)
		} else {
			gap = true
		}
	}
	return b.String()
}

// Join joins the non-empty parts with sep.
func Join(sep string, parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// AppendUnique appends v unless list already holds it (countries, places,
// dates and contacts are compared whole).
func AppendUnique[T comparable](list []T, v T) []T {
	for _, o := range list {
		if o == v {
			return list
		}
	}
	return append(list, v)
}
