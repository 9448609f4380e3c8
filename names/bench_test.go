package names

import (
	"testing"

	"github.com/lexscreen/lexscreen"
)

var benchNames = []struct{ name, s string }{
	{"Latin", "Vladimir Vladimirovich Putin"},
	{"LatinDiacritics", "Vladímír Vladimirovič Pútín"},
	{"Cyrillic", "Владимир Владимирович Путин"},
	{"Greek", "Βλαντίμιρ Βλαντίμιροβιτς Πούτιν"},
	{"Arabic", "فلاديمير فلاديميروفيتش بوتين"},
	{"Chinese", "弗拉基米尔·普京"},
	{"Korean", "블라디미르 블라디미로비치 푸틴"},
	{"Japanese", "ウラジーミル・プーチン"},
	{"Hindi", "व्लादिमीर व्लादिमीरोविच पुतिन"},
}

func BenchmarkVariants(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Variants(n.s)[0]
			}
		})
	}
}

var sink string

func BenchmarkFold(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Fold(n.s)
			}
		})
	}
}

func BenchmarkTokenize(b *testing.B) {
	lexicons()
	cases := []struct {
		name, s string
		sc      lexscreen.Schema
	}{
		{"LatinPerson", "Mr. Vladimir Vladimirovich Putin", lexscreen.SchemaPerson},
		{"LatinOrg", "Romashka Trading Limited Liability Company", lexscreen.SchemaOrganization},
		{"CyrillicOrg", "Общество с ограниченной ответственностью Ромашка", lexscreen.SchemaOrganization},
		{"ArabicPerson", "فلاديمير فلاديميروفيتش بوتين", lexscreen.SchemaPerson},
		{"ChinesePerson", "习近平", lexscreen.SchemaPerson},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Tokenize(c.s, c.sc)
			}
		})
	}
}

func BenchmarkPhonetic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = Phonetic("mohammed")
		sink = Skeleton("mohammed")
	}
}
