package source

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

const guardDoc = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
	"<!DOCTYPE r [ <!ENTITY x \"a>b\"> <!-- a > comment --> <!ELEMENT r ANY> ]>\n" +
	"<r a='1>2' b=\"x'y\"><!-- c <x> - ->--><![CDATA[ <not> ]] > ]]><?pi do > this ?>\n" +
	"<e>text &amp; more</e><e/></r>\n\x1A"

// tokens decodes every token of doc with encoding/xml.
func tokens(t *testing.T, r io.Reader) []string {
	t.Helper()
	d := xml.NewDecoder(r)
	var out []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		out = append(out, strings.TrimSpace(string(must(xml.Marshal(xml.CopyToken(tok))))))
	}
}

func must(b []byte, _ error) []byte { return b }

func TestXMLGuardPassesRealXML(t *testing.T) {
	want := tokens(t, strings.NewReader(strings.TrimSuffix(strings.TrimPrefix(guardDoc, "\xEF\xBB\xBF"), "\x1A")))
	for _, chunk := range []int{1, 2, 3, 7, 4096} {
		d := NewXMLDecoder("doc.xml", &chunkReader{strings.NewReader(guardDoc), chunk})
		got := tokens(t, d.in)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("chunk %d: tokens\n%q\nwant\n%q", chunk, got, want)
		}
	}
}

type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

// FuzzXMLGuard checks the guard's promise: when it lets a document through
// with a token limit, no token encoding/xml reads from it is larger than
// the limit (plus the '<' and '>' around markup).
func FuzzXMLGuard(f *testing.F) {
	for _, s := range []string{guardDoc, "<a>" + strings.Repeat("x", 100) + "</a>", "<!DOCTYPE x [<!-- > -->\"<><><>\">]><a/>",
		"<a b=\"" + strings.Repeat(">", 80) + "\"/>", "<!--->" + strings.Repeat("<>", 50) + "-->", "<![CDATA[" + strings.Repeat("<", 90) + "]]>",
		"<?p " + strings.Repeat("<>", 50) + "?><a/>", "<!>\"" + strings.Repeat("<>", 50) + "\">"} {
		f.Add([]byte(s))
	}
	const limit = 64
	f.Fuzz(func(t *testing.T, doc []byte) {
		g := &xmlGuard{r: bytes.NewReader(doc), maxToken: limit, maxRecord: 1 << 30, first: true, line: 1, rec: -1}
		passed, err := io.ReadAll(g)
		var le *lexscreen.Error
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("guard error %v is not located", err)
		}
		if err != nil {
			return // refused: fine
		}
		d := xml.NewDecoder(bytes.NewReader(passed))
		last := d.InputOffset()
		for {
			_, err := d.Token()
			if err != nil {
				return
			}
			if n := d.InputOffset() - last; n > limit+2 {
				t.Fatalf("guard let through a token of %d bytes (limit %d) in %q", n, limit, passed)
			}
			last = d.InputOffset()
		}
	})
}
