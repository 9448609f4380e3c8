package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// FuzzCSVText checks CSVText's promise: when it lets a file through with a
// row limit, encoding/csv (strict or with LazyQuotes, ',' or ';') reads no
// row larger than the limit from it (fields and separators: what it holds).
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"a,b\n1,\"x\ny\"\n", "a;\"b\"\"c\";d\r\n", "# c \"\n1,2\n", "a,\"b\"c\nd\n", "\"" + strings.Repeat("x\n", 40) + "\"\n"} {
		f.Add([]byte(s), true, false)
		f.Add([]byte(s), false, true)
	}
	const limit = 32
	f.Fuzz(func(t *testing.T, data []byte, lazy, semicolon bool) {
		comma := byte(',')
		if semicolon {
			comma = ';'
		}
		g := &csvGuard{r: bytes.NewReader(data), max: limit, comma: comma, comment: '#', line: 1, recLine: 1}
		passed, err := io.ReadAll(g)
		var le *lexscreen.Error
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("guard error %v is not located", err)
		}
		if err != nil {
			return
		}
		cr := csv.NewReader(bytes.NewReader(passed))
		cr.Comma, cr.Comment, cr.LazyQuotes, cr.FieldsPerRecord = rune(comma), '#', lazy, -1
		for {
			rec, err := cr.Read()
			if err != nil {
				return
			}
			n := len(rec) // a separator per field
			for _, f := range rec {
				n += len(f)
			}
			if n > limit+1 {
				t.Fatalf("guard let through a row of %d bytes (limit %d) in %q", n, limit, passed)
			}
		}
	})
}
