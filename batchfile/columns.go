package batchfile

import (
	"strings"
	"unicode"
)

// Field is what a column of a customer file holds.
type Field string

// The fields a customer file can give.
const (
	FieldID         Field = "id"
	FieldName       Field = "name"
	FieldGiven      Field = "given"
	FieldMiddle     Field = "middle"
	FieldFamily     Field = "family"
	FieldPatronymic Field = "patronymic"
	FieldType       Field = "type"
	FieldDOB        Field = "dob"
	FieldCountry    Field = "country"
	FieldIdentifier Field = "identifier"
	FieldParts      Field = "parts" // JSON only: [{"kind", "value"}]
)

// synonyms maps a header written in any case, spacing and punctuation
// ("Date of Birth", "D.O.B.", "full_name") to its field. Keys are
// HeaderKey forms.
var synonyms = map[string]Field{}

func init() {
	add := func(f Field, names ...string) {
		for _, n := range names {
			synonyms[HeaderKey(n)] = f
		}
	}
	add(FieldID, "id", "customer id", "client id", "cust id", "customer no", "customer number",
		"client number", "client no", "reference", "ref", "reference id", "record id", "external id",
		"account id", "account number", "account no", "key", "uid", "party id", "subject id", "row id")
	add(FieldName, "name", "full name", "fullname", "customer name", "client name", "entity name",
		"party name", "subject name", "legal name", "account name", "account holder", "account holder name",
		"organisation name", "organization name", "company name", "business name", "person name",
		"beneficiary name", "registered name", "whole name", "names", "nom complet", "nombre completo",
		"nome completo", "vollständiger name")
	add(FieldGiven, "first name", "firstname", "given name", "given names", "forename", "forenames",
		"first names", "prenom", "prénom", "nombre", "vorname")
	add(FieldMiddle, "middle name", "middle names", "second name", "middle initial")
	add(FieldFamily, "last name", "lastname", "surname", "surnames", "family name", "last names",
		"second surname", "maternal surname", "paternal surname", "nom de famille", "apellido",
		"apellidos", "nachname", "sobrenome")
	add(FieldPatronymic, "patronymic", "father name", "fathers name")
	add(FieldType, "type", "schema", "entity type", "party type", "customer type", "client type",
		"kind", "subject type", "person or entity")
	add(FieldDOB, "dob", "date of birth", "birth date", "birthdate", "birthday", "born", "date born",
		"year of birth", "yob", "birth year", "date de naissance", "fecha de nacimiento",
		"data de nascimento", "geburtsdatum", "data di nascita")
	add(FieldCountry, "country", "countries", "nationality", "nationalities", "citizenship",
		"citizenships", "country of citizenship", "country of nationality", "country code",
		"country of residence", "residence country", "residence", "country of birth", "birth country",
		"country of incorporation", "incorporation country", "jurisdiction", "nation", "domicile",
		"country of domicile", "citizen", "nationalité", "nacionalidad", "nacionalidade",
		"staatsangehörigkeit", "pays")
	add(FieldIdentifier, "identifier", "identifiers", "id number", "id no", "passport",
		"passport number", "passport no", "national id", "national id number", "tax id", "tin",
		"lei", "imo", "imo number", "registration number", "reg number", "company number",
		"document number", "bic", "swift", "swift bic", "identification number", "id numbers")
	add(FieldParts, "parts")
}

// HeaderKey is the form in which headers are compared: lower case, letters
// and digits only, diacritics kept ("Date of Birth" and "date_of_birth"
// are both "dateofbirth").
func HeaderKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FieldOf returns the field a header names, or "" for a column lexscreen
// does not use.
func FieldOf(header string) Field {
	return synonyms[HeaderKey(header)]
}
