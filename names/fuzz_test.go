package names

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lexscreen/lexscreen"
)

var fuzzSeeds = []string{
	"Vladimir Putin", "Владимир Путин", "習近平", "김정은", "ウラジーミル・プーチン", "محمد علي", "ולדימיר פוטין",
	"Αλέξης Τσίπρας", "Վլադիմիր Պուտին", "ვლადიმერ პუტინი", "O'Brien", "al-Qa'ida", "ООО Ромашка",
	"Siemens Aktiengesellschaft", "ﻻ", "ｶﾀｶﾅ", "e\u0301", "\xff\xfe", "々", "ッ", "ーー", "عبدال", "ال",
	"नरेन्द्र मोदी", "ज़", "्", "ক্ষ", "ਨਰਿੰਦਰ", "ੱ", "முருகன்", "ಸಿದ್ದ", "ൻ", "ශ්\u200dරී", "ហ៊ុន", "្", "အောင်", "်", "ှ",
	"金正恩", "山田太郎", "佐々木", "弗拉基米尔·普京", "ドナルド・トランプ", "ッー", "ウ", "블라디미르", "르", "דוד", "Αλέξανδρος", "Putyin elnök",
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ') {
				t.Fatalf("Fold(%q) = %q: not lower-case ASCII", s, out)
			}
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Fatalf("Fold(%q) = %q: bad spacing", s, out)
		}
		if again := Fold(out); again != out {
			t.Fatalf("Fold(Fold(%q)) = %q != %q", s, again, out)
		}
		for _, w := range strings.Fields(out) {
			_ = Phonetic(w)
			_ = Skeleton(w)
		}
		_ = Script(s)
		if utf8.ValidString(s) && len(s) < 64 {
			_ = KoreanVariants(s)
			_ = HanVariants(s)
			vs := Variants(s)
			if len(vs) == 0 || vs[0] != out || len(vs) > maxVariants {
				t.Fatalf("Variants(%q) = %q", s, vs)
			}
			for _, v := range vs {
				if Fold(v) != v {
					t.Fatalf("Variants(%q): %q is not folded", s, v)
				}
			}
		}
	})
}

func FuzzTokenize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	schemas := []lexscreen.Schema{lexscreen.SchemaPerson, lexscreen.SchemaOrganization, lexscreen.SchemaVessel, lexscreen.SchemaUnknown}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		sc := schemas[int(k)%len(schemas)]
		toks := Tokenize(s, sc)
		for i, tok := range toks {
			if tok.Text == "" || tok.Pos != i {
				t.Fatalf("Tokenize(%q) bad token %d: %+v", s, i, tok)
			}
			for j := 0; j < len(tok.Text); j++ {
				c := tok.Text[j]
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ') {
					t.Fatalf("Tokenize(%q): token %q not lower-case ASCII", s, tok.Text)
				}
			}
		}
		again := Tokenize(Fold(s), sc)
		if len(again) != len(toks) {
			t.Fatalf("Tokenize not stable under Fold: %q", s)
		}
	})
}
