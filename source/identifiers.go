package source

import (
	"strings"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

// IdentifierKind classifies a publisher's document label ("Passport",
// "Numéro de passeport", "National ID No.", "Tax ID No.", "SWIFT/BIC",
// "Vessel Registration Identification", ...). Unknown labels are IDOther.
func IdentifierKind(label string) lexscreen.IdentifierKind {
	l := strings.ToLower(Clean(label))
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		words[w] = true
	}
	// has reports whether any short code appears as a whole word: "ruc" must
	// not match "construction".
	has := func(codes ...string) bool {
		for _, c := range codes {
			if words[c] {
				return true
			}
		}
		return false
	}
	switch {
	case strings.Contains(l, "passport"), strings.Contains(l, "passeport"), strings.Contains(l, "pasaporte"):
		return lexscreen.IDPassport
	case has("imo"), strings.Contains(l, "vessel registration"):
		return lexscreen.IDIMO
	case has("mmsi"):
		return lexscreen.IDMMSI
	case strings.Contains(l, "swift"), has("bic"):
		return lexscreen.IDBIC
	case strings.Contains(l, "legal entity number"), l == "lei", strings.Contains(l, "legal entity identifier"):
		return lexscreen.IDLEI
	case strings.Contains(l, "digital currency"), strings.Contains(l, "crypto"):
		return lexscreen.IDCrypto
	case strings.Contains(l, "tax"), has("inn", "vat", "nif", "rfc", "ruc", "cuit", "ntn", "itin", "tin", "ein"):
		return lexscreen.IDTax
	case strings.Contains(l, "national"), strings.Contains(l, "identity card"), strings.Contains(l, "id card"),
		strings.Contains(l, "cedula"), strings.Contains(l, "cédula"), strings.Contains(l, "curp"),
		strings.Contains(l, "personal id"), strings.Contains(l, "identification number"), l == "id", has("nic", "dni", "cnic"):
		return lexscreen.IDNational
	case strings.Contains(l, "registration"), strings.Contains(l, "regnumber"), has("ogrn", "ogrnip"),
		strings.Contains(l, "company number"), strings.Contains(l, "business"), has("uscc"),
		strings.Contains(l, "social credit"), has("kpp", "okpo"):
		return lexscreen.IDRegistration
	}
	return lexscreen.IDOther
}
