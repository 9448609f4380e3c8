package source

import (
	"io"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"Russia": "RU", "RUSSIAN FEDERATION": "RU", "Russia / Russie": "RU", "ru": "RU",
		"Iran": "IR", "Democratic People's Republic of Korea": "KP", "Region: Gaza": "",
		"undetermined": "", "00": "", "Germany": "DE", "United Kingdom": "GB", "Palestinian": "PS",
		"Netherlands": "NL", "Burma": "MM", "Côte d’Ivoire": "CI", "Syria": "SY",
		"Trinidad and Tobago": "TT", "Antigua and Barbuda": "AG", "Man, Isle of": "IM",
		"Virgin Islands, British": "VG", "Panama": "PA", "Benin": "BJ", "Burkina Faso": "BF", "North Macedonia, The Republic of": "MK", "Korea, South": "KR",
		"Myanmar": "MM", "China, Hong Kong Special Administrative Region": "HK", "former Soviet Union": "SU",
	} {
		if got := CountryCode(in); got != want {
			t.Errorf("CountryCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDateValue(t *testing.T) {
	for in, want := range map[string]string{
		"31 Aug 1960": "1960-08-31", "Aug 1960": "1960-08", "1960": "1960", "circa 1951": "~1951",
		"1973 to 1974": "1973..1974", "between 1973 and 1974": "1973..1974", "00/00/1994": "1994",
		"00/05/1994": "1994-05", "12/05/1994": "1994-05-12", "2015-04-07-04:00": "2015-04-07",
		"1960-01-01": "1960-01-01", "Sep-77": "1977-09", "born in the early 1970s": "~1970..1973",
		"approximately 1960": "~1960", "1973-1974": "1973..1974",
	} {
		v, ok := ParseDateValue(in)
		if !ok || v.String() != want {
			t.Errorf("ParseDateValue(%q) = %q, %v; want %q", in, v.String(), ok, want)
		}
	}
	for _, in := range []string{"", "unknown", "31 Foo 1960", "1960-13-01", "30 Feb 1960"} {
		if v, ok := ParseDateValue(in); ok {
			t.Errorf("ParseDateValue(%q) = %q, want failure", in, v.String())
		}
	}
}

func TestLegacyText(t *testing.T) {
	in := "\xEF\xBB\xBFa,\"P\xC9REZ\"\r\nb,\"ok\"\r\n\x1A"
	b, _ := io.ReadAll(LegacyText("sdn.csv", strings.NewReader(in)))
	if got, want := string(b), "a,\"PÉREZ\"\r\nb,\"ok\"\r\n"; got != want {
		t.Fatalf("LegacyText = %q, want %q", got, want)
	}
}

func FuzzParseDateValue(f *testing.F) {
	for _, s := range []string{"31 Aug 1960", "circa 1951", "1973 to 1974", "00/00/1994", "Sep-77", "1970s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseDateValue(s)
		if ok && !v.From.IsZero() && !v.From.Valid() {
			t.Fatalf("invalid date %+v from %q", v.From, s)
		}
		if ok && !v.To.IsZero() && v.Latest().Before(v.Earliest()) {
			t.Fatalf("reversed range from %q", s)
		}
	})
}

func TestScript(t *testing.T) {
	for in, want := range map[string]string{
		"Vladimir Putin": "", "Владимир Путин": "Cyrl", "محمد علي": "Arab", "习近平": "Hani",
		"ウラジーミル・プーチン": "Jpan", "山田太郎": "Hani", "山田たろう": "Jpan", "김정은": "Hang",
		"Αλέξης": "Grek", "": "", "123": "", "Putin Путин Путин": "Cyrl",
	} {
		if got := Script(in); got != want {
			t.Errorf("Script(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdentifierKind(t *testing.T) {
	for in, want := range map[string]lexscreen.IdentifierKind{
		"Passport": lexscreen.IDPassport, "Numéro de passeport": lexscreen.IDPassport,
		"Aircraft Construction Number (also called L/N or S/N or F/N)": lexscreen.IDOther,
		"Tax ID No.": lexscreen.IDTax, "RUC #": lexscreen.IDTax, "INN": lexscreen.IDTax,
		"Vessel Registration Identification": lexscreen.IDIMO, "SWIFT/BIC": lexscreen.IDBIC,
		"National ID No.": lexscreen.IDNational, "Registration Number": lexscreen.IDRegistration,
		"Digital Currency Address - XBT": lexscreen.IDCrypto, "Gender": lexscreen.IDOther,
		"Legal Entity Number": lexscreen.IDLEI, "MMSI": lexscreen.IDMMSI, "Immobile": lexscreen.IDOther,
	} {
		if got := IdentifierKind(in); got != want {
			t.Errorf("IdentifierKind(%q) = %q, want %q", in, got, want)
		}
	}
}

// Clean's fast path (a string already clean is returned as is) gives what
// splitting and joining gives, on every input.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "\u00a0", "-0-", " -0- ",
		"Ivan\u200bPetrov", "a\xffb", "\xc2", "Müller  Straße", "a\u2007b\u202f", "a\nb", "x\u0085y", "\ufeffname"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.FieldsFunc(s, isSpace), " ")
		if want == "-0-" {
			want = ""
		}
		if got := Clean(s); got != want {
			t.Fatalf("Clean(%q) = %q, want %q", s, got, want)
		}
		if isClean(s) && s != want && s != "-0-" {
			t.Fatalf("isClean(%q) but Clean gives %q", s, want)
		}
	})
}
