package source

import (
	"strings"

	"github.com/lexscreen/lexscreen"
)

// IdentifierKind classifies a publisher's document label ("Passport",
// "Numéro de passeport", "National ID No.", "Tax ID No.", "SWIFT/BIC",
// "Vessel Registration Identification", ...). Unknown labels are IDOther.
func IdentifierKind(label string) lexscreen.IdentifierKind {
	l := strings.ToLower(Clean(label))
	switch {
	case strings.Contains(l, "passport"), strings.Contains(l, "passeport"), strings.Contains(l, "pasaporte"):
		return lexscreen.IDPassport
	case strings.Contains(l, "imo"), strings.Contains(l, "vessel registration"):
		return lexscreen.IDIMO
	case strings.Contains(l, "mmsi"):
		return lexscreen.IDMMSI
	case strings.Contains(l, "swift"), strings.Contains(l, "bic"):
		return lexscreen.IDBIC
	case strings.Contains(l, "legal entity number"), l == "lei", strings.Contains(l, "legal entity identifier"):
		return lexscreen.IDLEI
	case strings.Contains(l, "digital currency"), strings.Contains(l, "crypto"):
		return lexscreen.IDCrypto
	case strings.Contains(l, "tax"), strings.Contains(l, "inn"), strings.Contains(l, "vat"), strings.Contains(l, "nif"),
		strings.Contains(l, "rfc"), strings.Contains(l, "ruc"), strings.Contains(l, "cuit"), strings.Contains(l, "ntn"):
		return lexscreen.IDTax
	case strings.Contains(l, "national"), strings.Contains(l, "identity card"), strings.Contains(l, "id card"),
		strings.Contains(l, "cedula"), strings.Contains(l, "cédula"), strings.Contains(l, "curp"),
		strings.Contains(l, "personal id"), strings.Contains(l, "identification number"), l == "id":
		return lexscreen.IDNational
	case strings.Contains(l, "registration"), strings.Contains(l, "regnumber"), strings.Contains(l, "ogrn"),
		strings.Contains(l, "company number"), strings.Contains(l, "business"), strings.Contains(l, "uscc"),
		strings.Contains(l, "social credit"), strings.Contains(l, "kpp"), strings.Contains(l, "okpo"):
		return lexscreen.IDRegistration
	}
	return lexscreen.IDOther
}
