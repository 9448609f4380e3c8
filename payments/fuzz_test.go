package payments

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzRead reads every payment of in, checking that the reader ends, its
// errors are located ParseErrors, and what it returns is bounded.
func fuzzRead(t *testing.T, in string, syntax Syntax) {
	r := NewReaderOf("fuzz", syntax, strings.NewReader(in))
	for i := 0; ; i++ {
		if i > len(in)+10 {
			t.Fatalf("more payments than bytes: the reader does not end")
		}
		m, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a ParseError: %T %v", err, err)
			}
			if pe.Doc <= 0 || pe.Message == "" {
				t.Fatalf("unlocated error: %#v", pe)
			}
			if pe.Fatal {
				if _, err := r.Next(); err != io.EOF {
					t.Fatalf("read on after a fatal error: %v", err)
				}
				return
			}
			continue
		}
		if len(m.Parties) > maxParties || len(m.Texts) > maxTexts {
			t.Fatalf("unbounded message: %d parties, %d texts", len(m.Parties), len(m.Texts))
		}
		for _, x := range m.Texts {
			if len(x.Text) > maxTextBytes {
				t.Fatalf("text of %d bytes", len(x.Text))
			}
		}
	}
}

func addFixtures(f *testing.F, ext ...string) {
	files, _ := os.ReadDir("testdata")
	for _, e := range files {
		for _, x := range ext {
			if strings.HasSuffix(e.Name(), x) {
				b, err := os.ReadFile(filepath.Join("testdata", e.Name()))
				if err == nil {
					f.Add(string(b))
				}
			}
		}
	}
}

func FuzzISO20022(f *testing.F) {
	addFixtures(f, ".xml")
	f.Add(`<Document><FIToFICstmrCdtTrf><CdtTrfTxInf><Dbtr><Nm>A</Nm></Dbtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>`)
	f.Fuzz(func(t *testing.T, in string) { fuzzRead(t, in, SyntaxISO) })
}

func FuzzSwiftMT(f *testing.F) {
	addFixtures(f, ".txt", ".fin")
	f.Add("{1:F01AAAABBCCAXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\n:20:X\n:32A:250101EUR1,\n:50F:/1\n1/A\n-}")
	f.Fuzz(func(t *testing.T, in string) { fuzzRead(t, in, SyntaxMT) })
}
