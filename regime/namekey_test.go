package regime

import (
	"strings"
	"testing"
	"unicode"
)

// nameKeyCases are owners' names as lists and FtM links write them.
var nameKeyCases = []string{
	"ROSNEFT OIL COMPANY", "Rosneft  Oil Company.", "OOO \"Gazprom Neft\"", "AKTSIONERNOE OBSHCHESTVO 'ALMAZ-ANTEY'",
	"Société Générale", "İSTANBUL ŞİRKETİ", "ΑΘΗΝΑ Α.Ε.", "Мобильные ТелеСистемы", "شركة النفط", "", "  ", "--",
	"Ⓐ circled", "bad \xff byte", "K-2/B (former name)", "ŠKODA, a.s.",
}

// appendNameKey writes nameKey.
func TestAppendNameKey(t *testing.T) {
	for _, s := range nameKeyCases {
		if got, want := string(appendNameKey([]byte("src\x00"), s)), "src\x00"+nameKey(s); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendNameKey(f *testing.F) {
	for _, s := range nameKeyCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendNameKey(nil, s)), nameKey(s); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	})
}

// nameKey is the plain reading of appendNameKey: lower case, split on
// anything but letters and digits, joined by spaces.
func nameKey(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(f, " ")
}
