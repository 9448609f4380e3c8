package source

import (
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/countries"
)

// CountryCode returns the ISO 3166-1 alpha-2 code for a country name or
// code as lists write it, or "" when s is not a country (countries.Code).
func CountryCode(s string) string { return countries.Code(s) }

// CountryName returns the English short name of an ISO alpha-2 code, or ""
// when the code is unknown (countries.Name).
func CountryName(code string) string { return countries.Name(code) }

// NewCountry builds a Country from a name or code as a list writes it,
// keeping the text and adding the ISO code when one is found. It returns the
// zero Country for empty text.
func NewCountry(text string) lexscreen.Country {
	text = Clean(text)
	if text == "" {
		return lexscreen.Country{}
	}
	c := lexscreen.Country{Name: text, Code: CountryCode(text)}
	if len(text) == 2 && c.Code != "" {
		if n := CountryName(c.Code); n != "" {
			c.Name = n
		}
	}
	return c
}
