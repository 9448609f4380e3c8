package names

// twoSurnameCountries are the countries whose people customarily bear two
// surnames: the Spanish-speaking ones (the father's first surname, then
// the mother's) and the Portuguese-speaking ones (the mother's, then the
// father's), ISO 3166-1 alpha-2.
var twoSurnameCountries = map[string]bool{
	"ES": true, "MX": true, "GT": true, "HN": true, "SV": true, "NI": true, "CR": true, "PA": true, "CU": true,
	"DO": true, "PR": true, "CO": true, "VE": true, "EC": true, "PE": true, "BO": true, "CL": true, "AR": true,
	"UY": true, "PY": true, "GQ": true, "PT": true, "BR": true, "AO": true, "MZ": true, "CV": true, "GW": true,
	"ST": true, "TL": true,
}

// TwoSurnameCountry reports whether people of a country (ISO alpha-2 code)
// customarily bear two surnames and write their name with one of them:
// Spanish- and Portuguese-speaking countries ("Nicolás Maduro" for
// Nicolás MADURO MOROS).
func TwoSurnameCountry(code string) bool { return twoSurnameCountries[code] }

// surnameJoiners are the particles that join two surnames in Spanish and
// Portuguese names.
var surnameJoiners = map[string]bool{"y": true, "de": true, "del": true, "da": true, "das": true, "do": true, "dos": true}

// IsSurnameJoiner reports whether a folded word joins two surnames in
// Spanish and Portuguese names: "ORTEGA Y GASSET", "FLORES DE MADURO",
// "SILVA DOS SANTOS".
func IsSurnameJoiner(w string) bool { return surnameJoiners[w] }
