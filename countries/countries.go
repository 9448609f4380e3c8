// Package countries maps the country names and codes that sanctions lists
// write to ISO 3166-1 alpha-2 codes, and codes to English short names
// (CLDR's, with the spellings lists use). It depends on no other lexscreen
// package, so the matcher and the legal layer can use it without the list
// readers.
package countries

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// countryAliases maps spellings that lists use and CLDR's English names do
// not cover to ISO 3166-1 alpha-2 codes. Keys are lower-case.
var countryAliases = map[string]string{
	"russia": "RU", "russian federation": "RU", "iran": "IR", "iran (islamic republic of)": "IR",
	"islamic republic of iran": "IR", "syria": "SY", "syrian arab republic": "SY",
	"north korea": "KP", "korea, north": "KP", "democratic people's republic of korea": "KP",
	"korea, democratic people's republic of": "KP", "dprk": "KP", "korea (north)": "KP",
	"south korea": "KR", "korea, south": "KR", "republic of korea": "KR", "korea, republic of": "KR",
	"burma": "MM", "myanmar (burma)": "MM", "laos": "LA", "lao people's democratic republic": "LA",
	"vietnam": "VN", "viet nam": "VN", "bolivia": "BO", "bolivia (plurinational state of)": "BO",
	"venezuela": "VE", "venezuela (bolivarian republic of)": "VE", "tanzania": "TZ",
	"united republic of tanzania": "TZ", "moldova": "MD", "republic of moldova": "MD",
	"congo, democratic republic of the": "CD", "democratic republic of the congo": "CD",
	"congo (democratic republic)": "CD", "drc": "CD", "congo, dem. rep.": "CD", "zaire": "CD",
	"congo, republic of the": "CG", "republic of the congo": "CG", "congo": "CG",
	"ivory coast": "CI", "cote d'ivoire": "CI", "côte d'ivoire": "CI", "cote d ivoire": "CI",
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "united kingdom of great britain and northern ireland": "GB",
	"england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"united states": "US", "usa": "US", "u.s.a.": "US", "united states of america": "US", "us": "US",
	"palestinian": "PS", "palestine": "PS", "state of palestine": "PS", "west bank": "PS", "gaza": "PS",
	"gaza strip": "PS", "palestinian territories": "PS", "occupied palestinian territory": "PS",
	"turkey": "TR", "türkiye": "TR", "turkiye": "TR", "czech republic": "CZ", "czechia": "CZ",
	"macedonia": "MK", "north macedonia": "MK", "the former yugoslav republic of macedonia": "MK",
	"swaziland": "SZ", "eswatini": "SZ", "cape verde": "CV", "cabo verde": "CV",
	"east timor": "TL", "timor-leste": "TL", "brunei": "BN", "brunei darussalam": "BN",
	"vatican": "VA", "holy see": "VA", "micronesia": "FM", "micronesia, federated states of": "FM",
	"st. kitts and nevis": "KN", "saint kitts and nevis": "KN", "st. lucia": "LC", "saint lucia": "LC",
	"st. vincent and the grenadines": "VC", "saint vincent and the grenadines": "VC",
	"bahamas, the": "BS", "the bahamas": "BS", "gambia, the": "GM", "the gambia": "GM",
	"netherlands, the": "NL", "the netherlands": "NL", "holland": "NL",
	"uae": "AE", "u.a.e.": "AE", "hong kong": "HK", "hong kong sar": "HK", "macau": "MO", "macao": "MO",
	"taiwan": "TW", "taiwan, province of china": "TW", "china, people's republic of": "CN",
	"people's republic of china": "CN", "prc": "CN", "kyrgyzstan": "KG", "kyrgyz republic": "KG",
	"slovak republic": "SK", "bosnia": "BA", "bosnia-herzegovina": "BA", "bosnia and herzegovina": "BA",
	"serbia and montenegro": "CS", "yugoslavia": "YU", "soviet union": "SU", "ussr": "SU",
	"kosovo": "XK", "sudan, north": "SD", "south sudan": "SS", "curacao": "CW", "curaçao": "CW",
	"sao tome and principe": "ST", "são tomé and príncipe": "ST", "belarus": "BY", "byelorussia": "BY",
	"libya": "LY", "libyan arab jamahiriya": "LY", "brasil": "BR", "kazakstan": "KZ",
	"north macedonia, the republic of": "MK", "st kitts and nevis": "KN", "comoros islands": "KM",
	"myanmar": "MM", "china, hong kong special administrative region": "HK", "former soviet union": "SU",
}

// withdrawnCodes are former ISO 3166 codes that CLDR still names with a
// current country's name ("Panama" for PZ, "Benin" for DY); they must not
// take that name from the current code.
var withdrawnCodes = map[string]bool{"BU": true, "CT": true, "DD": true, "DY": true, "FX": true, "HV": true,
	"JT": true, "MI": true, "NH": true, "NQ": true, "PU": true, "PZ": true, "RH": true, "TP": true, "UK": true,
	"VD": true, "WK": true, "YD": true, "ZR": true}

var (
	countryOnce   sync.Once
	countryByName map[string]string
	countryNames  map[string]string
)

func loadCountries() {
	countryByName = make(map[string]string, 600)
	countryNames = make(map[string]string, 300)
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() {
				continue
			}
			if r.String() != code || withdrawnCodes[code] { // deprecated code mapped elsewhere
				continue
			}
			n := names.Name(r)
			if n == "" || n == code {
				continue
			}
			countryNames[code] = n
			countryByName[strings.ToLower(n)] = code
		}
	}
	for k, v := range countryAliases {
		countryByName[k] = v
		if _, ok := countryNames[v]; !ok {
			countryNames[v] = titleCase(k)
		}
	}
}

func titleCase(s string) string {
	w := strings.Fields(s)
	for i, x := range w {
		w[i] = strings.ToUpper(x[:1]) + x[1:]
	}
	return strings.Join(w, " ")
}

// Code returns the ISO 3166-1 alpha-2 code for a country name or
// code as lists write it ("Russia", "RUSSIAN FEDERATION", "Russia / Russie",
// "ru"), or "" when s is not a country (a region such as "Region: Crimea",
// "undetermined", "UNKNOWN", "00").
func Code(s string) string {
	countryOnce.Do(loadCountries)
	k := strings.ToLower(clean(s))
	k = strings.Trim(k, " .,;")
	if k == "" || k == "00" || k == "unknown" || k == "undetermined" {
		return ""
	}
	if strings.HasPrefix(k, "region:") {
		return ""
	}
	if len(k) == 2 {
		up := strings.ToUpper(k)
		if _, ok := countryNames[up]; ok {
			return up
		}
		if up == "CS" || up == "YU" || up == "SU" || up == "XK" {
			return up
		}
	}
	if c, ok := countryByName[k]; ok {
		return c
	}
	// Bilingual "Russia / Russie": try each side.
	if i := strings.Index(k, "/"); i > 0 {
		if c := Code(k[:i]); c != "" {
			return c
		}
	}
	// "the Netherlands", "Republic of Kenya"
	for _, p := range []string{"the ", "republic of ", "kingdom of ", "state of ", "islamic republic of "} {
		if strings.HasPrefix(k, p) {
			if c, ok := countryByName[strings.TrimPrefix(k, p)]; ok {
				return c
			}
		}
	}
	if i := strings.Index(k, " ("); i > 0 {
		if c, ok := countryByName[k[:i]]; ok {
			return c
		}
	}
	// CLDR writes "&": "Trinidad and Tobago" -> "Trinidad & Tobago".
	if strings.Contains(k, " and ") {
		if c, ok := countryByName[strings.ReplaceAll(k, " and ", " & ")]; ok {
			return c
		}
	}
	// Inverted "Man, Isle of", "Virgin Islands, British".
	if i := strings.Index(k, ", "); i > 0 && strings.Count(k, ",") == 1 {
		if c, ok := countryByName[k[i+2:]+" "+k[:i]]; ok {
			return c
		}
	}
	return ""
}

// Name returns the English short name of an ISO alpha-2 code, or ""
// when the code is unknown.
func Name(code string) string {
	countryOnce.Do(loadCountries)
	return countryNames[strings.ToUpper(code)]
}

// clean trims s and collapses runs of white space (non-breaking and
// zero-width spaces too) to one space; "-0-", a null marker of OFAC's
// files, is "". It is source.Clean, which this package may not import.
func clean(s string) string {
	s = strings.Join(strings.FieldsFunc(s, isSpace), " ")
	if s == "-0-" {
		return ""
	}
	return s
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x2007, 0x202F, 0x200B, 0xFEFF:
		return true
	}
	return false
}
