package names

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, clean, fold string }{
		// invisible characters inside a word neither split nor break it
		{"Vladimir Pu\u200btin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\u2060tin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\u202etin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\ufefftin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\x00tin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\atin", "Vladimir Putin", "vladimir putin"},
		{"Vladimir Pu\u00adtin", "Vladimir Putin", "vladimir putin"},
		{"\ufeffVladimir\u200e Putin\u2069", "Vladimir Putin", "vladimir putin"},
		{"Pu\u200c\u200dtin", "Putin", "putin"},
		{"Vladimir\tPutin\r\n", "Vladimir Putin  ", "vladimir putin"},
		// Persian: the non-joiner between Arabic letters is spelling
		{"می\u200cخواهم", "می\u200cخواهم", Fold("می\u200cخواهم")},
		{"محمد\u200b علی", "محمد علی", Fold("محمد علی")},
		// compatibility forms
		{"ＰＵＴＩＮ", "PUTIN", "putin"},
		{"𝐏𝐔𝐓𝐈𝐍 𝕍𝕝𝕒𝕕𝕚𝕞𝕚𝕣", "PUTIN Vladimir", "putin vladimir"},
		// look-alikes in a Latin word, or a word of them in a Latin name
		{"Vlаdimir Рutin", "Vladimir Putin", "vladimir putin"}, // Cyrillic а, Р
		{"VLADIMIR РUТIN", "VLADIMIR PUTIN", "vladimir putin"}, // Cyrillic Р, Т
		{"ΡUΤΙΝ", "PUTIN", "putin"},                            // Greek Ρ, Τ, Ι
		{"Vladimiг Рutiп", "Vladimir Putin", "vladimir putin"}, // г r, п n
		{"Ivan РОР", "Ivan POP", "ivan pop"},                   // a word of look-alikes
		{"Sеrgеy ivanоv", "Sergey ivanov", "sergey ivanov"},    // е, о
		{"Pаvеl Kоshеlеv", "Pavel Koshelev", "pavel koshelev"}, // а, е, о
		{"Vladimir Рutin Владимир", "Vladimir Putin Владимир", "vladimir putin vladimir"},
		// Cyrillic and Greek names keep their transliteration
		{"Владимир Путин", "Владимир Путин", "vladimir putin"},
		{"КОРОТКОВ", "КОРОТКОВ", "korotkov"},
		{"ООО РОМАШКА", "ООО РОМАШКА", "ooo romashka"},
		{"Βλαντίμιρ Πούτιν", "Βλαντίμιρ Πούτιν", "vlantimir poutin"},
		{"ΑΘΗΝΑ", "ΑΘΗΝΑ", "athina"},
		// ... also when a few Latin look-alikes slipped into them
		{"Пyтин", "Путин", "putin"}, // Latin y
		{"Владимир Пyтин", "Владимир Путин", "vladimir putin"},
		{"Путин Vladimir", "Путин Vladimir", "putin vladimir"},
		{"Путин ВОР", "Путин ВОР", "putin vor"}, // a real Cyrillic word: ВОР stays Cyrillic
		// ... as the EU and UK lists write some (Latin letters marked)
		{"Mаксім Уладзіміравіч РЫЖАНКОЎ", "Максім Уладзіміравіч РЫЖАНКОЎ", Fold("Максім Уладзіміравіч РЫЖАНКОЎ")}, // M
		{"Сергей Юрьевич ТAMБOB", "Сергей Юрьевич ТАМБОВ", "sergey yurevich tambov"},                              // A M O B
		{"Cухов Геннадий Николаевич", "Сухов Геннадий Николаевич", "sukhov gennadiy nikolaevich"},                 // C
		{"Дмитрий Алekcандрович", "Дмитрий Александрович", "dmitriy aleksandrovich"},                              // e k c
		{"ОAО «ГОСТИНИЦА ПЛАНЕТА»", "ОАО «ГОСТИНИЦА ПЛАНЕТА»", "oao gostinitsa planeta"},                          // A
		{"Артëм Константинович", "Артём Константинович", "artem konstantinovich"},                                 // ë
		{"Iгар Паўлавiч", "Iгар Паўлавiч", "ihar paulavich"},                                                      // I, i stay
		{"Ruslan Alexandrovich ROMASHKІN", "Ruslan Alexandrovich ROMASHKIN", "ruslan alexandrovich romashkin"},    // Cyrillic І
		// accents after a look-alike compose with the Latin letter
		{"Jos\u0435\u0301", "José", "jose"},
		{"", "", ""},
		{"O'Brien", "O'Brien", "obrien"},
	} {
		if got := Clean(c.in); got != c.clean {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.clean)
		}
		if got := Fold(c.in); got != c.fold {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.fold)
		}
	}
}

func TestCleanKeepsScript(t *testing.T) {
	for _, c := range []struct{ in, script string }{
		{"Vlаdimir Рutin", "Latn"},
		{"Vladimir\u200b Putin", "Latn"},
		{"ＰＵＴＩＮ", "Latn"},
		{"Владимир Путин", "Cyrl"},
		{"Пyтин", "Cyrl"},
		{"Βλαντίμιρ", "Grek"},
	} {
		if got := Script(Clean(c.in)); got != c.script {
			t.Errorf("Script(Clean(%q)) = %q, want %q", c.in, got, c.script)
		}
	}
}

func TestJoinSpelled(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"P.U.T.I.N", "PUTIN", true},
		{"P U T I N", "PUTIN", true},
		{"P-U-T-I-N", "PUTIN", true},
		{"P. U. T. I. N.", "PUTIN.", true},
		{"P . U . T . I . N", "PUTIN", true},
		{"V.L.A.D.I.M.I.R P.U.T.I.N", "VLADIMIR PUTIN", true},
		{"V-L-A-D-I-M-I-R P-U-T-I-N", "VLADIMIR PUTIN", true},
		{"Vladimir P.U.T.I.N", "Vladimir PUTIN", true},
		{"P.U.T.I.N, Vladimir", "PUTIN, Vladimir", true},
		{"П.У.Т.И.Н", "ПУТИН", true},
		{"H.A.M.A.S", "HAMAS", true},
		// initials and acronyms are joined too (as an extra reading)
		{"J. R. R. Tolkien", "JRR. Tolkien", true},
		{"U.S.A.", "USA.", true},
		// ... but not legal forms, which the tokenizer reads as written
		{"O.A.O. Gazprom", "O.A.O. Gazprom", false},
		{"Mendez, B.V.B.A", "Mendez, B.V.B.A", false},
		{"Bowne Solutions, L.L.C.", "Bowne Solutions, L.L.C.", false},
		{"sociedad l.i.m.i.t.a.d.a Poisk-IT", "sociedad limitada Poisk-IT", true},
		// fewer than three, a changed separator, words between
		{"A. A. Budarina", "A. A. Budarina", false},
		{"V. V. Putin", "V. V. Putin", false},
		{"A.B-C", "A.B-C", false},
		{"A.B.C-D-E", "ABC-D-E", true},
		{"Ab C D", "Ab C D", false},
		{"d'A B C", "d'A B C", false},
		{"A1 B C", "A1 B C", false},
		{"", "", false},
		{"Vladimir Putin", "Vladimir Putin", false},
	} {
		got, ok := JoinSpelled(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("JoinSpelled(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

var cleanSeeds = []string{
	"Vladimir Pu\u200btin", "Vladimir Pu\u2060tin", "Pu\u202etin", "\ufeffPutin", "Pu\x00tin", "Pu\atin", "Pu\u00adtin",
	"Vlаdimir Рutin", "ΡUΤΙΝ", "Ivan РОР", "Пyтин", "Путин ВОР", "ＰＵＴＩＮ", "𝐏𝐔𝐓𝐈𝐍", "می\u200cخواهم",
	"ب\u200c\x00\u200cت", "Jos\u0435\u0301", "P.U.T.I.N", "V.L.A.D.I.M.I.R P.U.T.I.N", "J. R. R. Tolkien", "\xff\xfe",
	"a\u200c", "\u200c", "ﻻ\u200d", "क\u200dष", "A.B.C-D-E",
}

// allowedInvisible reports whether the format character at rune index i of
// rs may stay: a joiner between letters of joining scripts.
func allowedInvisible(rs []rune, i int) bool {
	if rs[i] != 0x200C && rs[i] != 0x200D {
		return false
	}
	j := i - 1
	for j >= 0 && (rs[j] == 0x200C || rs[j] == 0x200D) {
		j--
	}
	k := i + 1
	for k < len(rs) && (rs[k] == 0x200C || rs[k] == 0x200D) {
		k++
	}
	return j >= 0 && k < len(rs) && joinerScript(rs[j]) && joinerScript(rs[k])
}

func FuzzClean(f *testing.F) {
	for _, s := range append(cleanSeeds, fuzzSeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", s, c)
		}
		if again := Clean(c); again != c {
			t.Fatalf("Clean(Clean(%q)) = %q != %q", s, again, c)
		}
		rs := []rune(c)
		for i, r := range rs {
			if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) && !allowedInvisible(rs, i) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if Fold(c) != Fold(s) {
			t.Fatalf("Fold(Clean(%q)) = %q != Fold = %q", s, Fold(c), Fold(s))
		}
		if utf8.ValidString(s) && Script(c) == "" && Script(s) != "" && strings.TrimSpace(c) != "" {
			t.Fatalf("Clean(%q) = %q lost the script %s", s, c, Script(s))
		}
	})
}

func FuzzJoinSpelled(f *testing.F) {
	for _, s := range append(cleanSeeds, fuzzSeeds...) {
		f.Add(s)
	}
	letters := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, ok := JoinSpelled(s)
		if !ok && j != s {
			t.Fatalf("JoinSpelled(%q) = %q, false: changed", s, j)
		}
		if len(j) > len(s) || letters(j) != letters(s) {
			t.Fatalf("JoinSpelled(%q) = %q: not the same letters", s, j)
		}
		if again, ok := JoinSpelled(j); ok || again != j {
			t.Fatalf("JoinSpelled(JoinSpelled(%q) = %q) = %q, %v", s, j, again, ok)
		}
	})
}
