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
	if !isClean(s) {
		s = strings.Join(strings.FieldsFunc(s, isSpace), " ")
	}
	if s == "-0-" {
		return ""
	}
	return s
}

// isClean reports whether s is already as Clean makes it: no white space
// at either end, none but single spaces between words. Most cells of a
// list are, and then Clean neither splits nor allocates.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ':
				if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
					return false
				}
			case '\t', '\n', '\r', '\v', '\f':
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			return false
		}
		i += size
	}
	return true
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

// LegacyText is the reader of formats documented as UTF-8 with
// Windows-1252 in older files (OFAC's legacy CSV files; FORMATS.md: "decode
// as UTF-8 and fall back to Windows-1252 on invalid bytes"): it drops a
// leading UTF-8 BOM and 0x1A (Ctrl-Z) bytes, passes valid UTF-8 lines
// unchanged and decodes a line that is not valid UTF-8 as Windows-1252,
// explicitly (never to U+FFFD). It reads line by line: a line longer than
// MaxToken, or more than MaxBytes in all, is refused with a located error.
func LegacyText(file string, r io.Reader) io.Reader {
	lim := CurrentLimits()
	return &legacyReader{br: bufio.NewReaderSize(CapReader(file, r, lim.MaxBytes), 64<<10), first: true, file: file, max: lim.MaxToken}
}

type legacyReader struct {
	br    *bufio.Reader
	buf   []byte
	line  []byte
	first bool
	err   error
	file  string
	max   int
	n     int // lines read
}

var win1252 = charmap.Windows1252.NewDecoder()

func (t *legacyReader) Read(p []byte) (int, error) {
	for len(t.buf) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.line = t.line[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = t.br.ReadSlice('\n')
			t.line = append(t.line, chunk...)
			if len(t.line) > t.max {
				t.err = LimitError(t.file, t.n+1, "", "one line", int64(t.max), "")
				return 0, t.err
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		t.err = err
		t.n++
		line := stripText(t.line, t.first)
		t.first = false
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

// UTF8Text is the reader of text formats that are UTF-8 (every list format
// but OFAC's legacy CSV, see LegacyText): it drops a leading BOM and 0x1A
// (Ctrl-Z) bytes and refuses bytes that are not UTF-8 with an error naming
// the file and line, rather than letting them through to become U+FFFD or
// mojibake in names. More than MaxBytes in all is refused too. Memory is
// constant: it does not buffer lines.
func UTF8Text(file string, r io.Reader) io.Reader {
	return &utf8Reader{r: CapReader(file, r, 0), file: file, first: true, buf: make([]byte, 64<<10)}
}

type utf8Reader struct {
	r       io.Reader
	file    string
	buf     []byte
	pending []byte  // checked bytes of buf not yet handed out
	carry   [4]byte // bytes starting a character that the last read cut
	nc      int
	lines   int // new lines before pending's end
	first   bool
	err     error
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	for len(u.pending) == 0 {
		if u.err != nil {
			if u.nc > 0 && u.err == io.EOF {
				u.err = u.invalid(u.carry[:u.nc])
			}
			return 0, u.err
		}
		k := copy(u.buf, u.carry[:u.nc])
		n, err := u.r.Read(u.buf[k:])
		n += k
		if u.first && err == nil && n < 3 {
			// A BOM may be split across reads: wait for three bytes.
			u.nc = copy(u.carry[:], u.buf[:n])
			continue
		}
		u.err = err
		b := stripText(u.buf[:n], u.first)
		u.first = false
		cut := len(b)
		for j := len(b) - 1; j >= 0 && j >= len(b)-3; j-- {
			if utf8.RuneStart(b[j]) {
				if !utf8.FullRune(b[j:]) {
					cut = j
				}
				break
			}
		}
		if !utf8.Valid(b[:cut]) {
			// Hand out what comes before the bad byte, then the error.
			u.err = u.invalid(b[:cut])
			u.pending = b[:validPrefix(b[:cut])]
			u.nc = 0
			continue
		}
		u.nc = copy(u.carry[:], b[cut:])
		u.pending = b[:cut]
		u.lines += bytes.Count(u.pending, []byte{'\n'})
	}
	n := copy(p, u.pending)
	u.pending = u.pending[n:]
	return n, nil
}

// validPrefix is the length of the longest valid UTF-8 prefix of b.
func validPrefix(b []byte) int {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	return i
}

// invalid locates the first byte of b that is not UTF-8 (b follows the
// lines counted so far).
func (u *utf8Reader) invalid(b []byte) error {
	i := validPrefix(b)
	line := u.lines + bytes.Count(b[:i], []byte{'\n'}) + 1
	bad := byte(0)
	if i < len(b) {
		bad = b[i]
	}
	return NewError(u.file, line, "", "not valid UTF-8 (byte 0x%02X): the format is UTF-8; convert the file (e.g. iconv -f WINDOWS-1252 -t UTF-8)", bad)
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
