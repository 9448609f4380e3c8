package match

import "testing"

func TestTranslitCanon(t *testing.T) {
	same := [][2]string{
		{"dzhamshid", "jamshid"}, {"aly", "ali"}, {"steel", "stil"}, {"maks", "max"}, {"gulph", "gulf"},
		{"kompany", "company"}, {"yan", "ian"}, {"jana", "yana"}, {"sotnikoff", "sotnikov"},
		{"yevgeny", "evgeny"}, {"evgeniy", "evgeny"}, {"grigoryev", "grigorev"}, {"zakharov", "zaharov"},
		{"moussa", "musa"}, {"rasheed", "rashid"}, {"wlodek", "vlodek"}, {"qasim", "kasim"}, {"lee", "li"},
	}
	for _, p := range same {
		if a, b := translitCanon(p[0]), translitCanon(p[1]); a == "" || a != b {
			t.Errorf("%q -> %q, %q -> %q: want the same form", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{{"wang", "yang"}, {"ivan", "iran"}, {"maria", "mario"}, {"chan", "khan"}, {"ali", "al"}}
	for _, p := range differ {
		if a, b := translitCanon(p[0]), translitCanon(p[1]); a == b && a != "" {
			t.Errorf("%q and %q share the form %q", p[0], p[1], a)
		}
	}
}

func FuzzTranslitCanon(f *testing.F) {
	for _, s := range []string{"dzhamshid", "yy", "kks", "ia", "jo", "skiy", "off"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := translitCanon(s)
		if len(s) < 2 && c != "" {
			t.Fatalf("%q: a single letter got form %q", s, c)
		}
		if len(c) > len(s) || c != translitCanon(s) {
			t.Fatalf("%q -> %q: longer than the token, or not deterministic", s, c)
		}
	})
}

func TestAbbreviates(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"intl", "international", true}, {"mfg", "manufacturing", true}, {"bros", "brothers", true},
		{"natl", "national", true}, {"govt", "government", true},
		{"int", "international", false}, {"bank", "banks", false}, {"ltd", "lt", false}, {"xyz", "international", false},
	} {
		if got := abbreviates(c.a, c.b); got != c.want {
			t.Errorf("abbreviates(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestTransposed(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"ogla", "olga", true}, {"osna", "sona", true}, {"snow", "snoe", false}, {"abcd", "abcd", false}, {"abcd", "badc", false}, {"ab", "abc", false}} {
		if got := transposed(c.a, c.b); got != c.want {
			t.Errorf("transposed(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
