package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// A gzip stream (the bundled lists are .gz) is read through CapReader: a
// bomb stops at the limit.
func TestCapReaderGzipBomb(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		zw.Write(zeros)
	}
	zw.Close()
	zr, err := gzip.NewReader(bytes.NewReader(gz.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, CapReader("list.csv.gz", zr, 8<<20))
	var le *lexscreen.Error
	if !errors.As(err, &le) || le.File != "list.csv.gz" || n != 8<<20 {
		t.Errorf("read %d bytes, err %v; want 8 MiB then a located limit error", n, err)
	}
	t.Logf("%d KiB of gzip: %v", gz.Len()>>10, err)
}

func TestUTF8Text(t *testing.T) {
	for _, c := range []struct {
		in, want string
		line     int
	}{
		{"\xEF\xBB\xBFa\nb\n\x1A", "a\nb\n", 0},
		{"a\nb\xC3\xA9\n", "a\nbé\n", 0},
		{"a\nb\nc\xC9d\n", "a\nb\nc", 3},
		{"a\n\xC3", "a\n", 2}, // cut inside a character
		{"\xEF\xBB", "", 1},
	} {
		for _, chunk := range []int{1, 2, 3, 64} {
			got, err := io.ReadAll(UTF8Text("f.txt", &oneByOne{[]byte(c.in), chunk}))
			var le *lexscreen.Error
			switch {
			case c.line == 0 && (err != nil || string(got) != c.want):
				t.Errorf("%q chunk %d: %q, %v; want %q", c.in, chunk, got, err, c.want)
			case c.line > 0 && (!errors.As(err, &le) || le.Line != c.line || string(got) != c.want):
				t.Errorf("%q chunk %d: %q, %v; want %q then an error at line %d", c.in, chunk, got, err, c.want, c.line)
			}
		}
	}
}

type oneByOne struct {
	b []byte
	n int
}

func (o *oneByOne) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), o.n)], o.b)
	o.b = o.b[k:]
	return k, nil
}
