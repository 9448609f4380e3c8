package quality

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// KindMessyDOB marks a variant whose date of birth is written as people
// write it in customer files rather than in ISO form.
const KindMessyDOB = "messy_dob"

var monthNames = map[string][12]string{
	"en":  {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"en3": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"fr":  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es":  {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"de":  {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"pt":  {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	"ru":  {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
}

// MessyDate writes d in one of the forms customer files use, chosen by
// rng: one-digit ISO parts, dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, two-digit
// years, yyyymmdd, month names in six languages, circa. Each form means d
// (or, for the circa and two-digit forms, a span that holds d).
func MessyDate(rng *rand.Rand, d lexscreen.PartialDate) string {
	y, m, day := d.Year, d.Month, d.Day
	switch d.Precision() {
	case "year":
		return []string{fmt.Sprint(y), "~" + fmt.Sprint(y), "c. " + fmt.Sprint(y), "circa " + fmt.Sprint(y), " " + fmt.Sprint(y) + " "}[rng.IntN(5)]
	case "month":
		forms := []string{
			fmt.Sprintf("%d-%d", y, m),
			fmt.Sprintf("%02d/%d", m, y),
			fmt.Sprintf("%s %d", monthNames["en"][m-1], y),
			fmt.Sprintf("%s %d", monthNames["en3"][m-1], y),
			fmt.Sprintf("%s %d", monthNames["fr"][m-1], y),
			fmt.Sprintf("%s de %d", monthNames["es"][m-1], y),
		}
		return forms[rng.IntN(len(forms))]
	case "day":
	default:
		return ""
	}
	yy := y % 100
	forms := []string{
		fmt.Sprintf("%d-%d-%d", y, m, day),
		fmt.Sprintf("%02d.%02d.%d", day, m, y),
		fmt.Sprintf("%d.%d.%d", day, m, y),
		fmt.Sprintf("%02d/%02d/%d", day, m, y),
		fmt.Sprintf("%02d/%02d/%d", m, day, y),
		fmt.Sprintf("%d/%d/%02d", m, day, yy),
		fmt.Sprintf("%02d-%02d-%d", day, m, y),
		fmt.Sprintf("%d%02d%02d", y, m, day),
		fmt.Sprintf("%d/%02d/%02d", y, m, day),
		fmt.Sprintf("%d %s %d", day, monthNames["en"][m-1], y),
		fmt.Sprintf("%d %s %d", day, monthNames["en3"][m-1], y),
		fmt.Sprintf("%s %d, %d", monthNames["en3"][m-1], day, y),
		fmt.Sprintf("%d %s %d", day, monthNames["fr"][m-1], y),
		fmt.Sprintf("%d de %s de %d", day, monthNames["es"][m-1], y),
		fmt.Sprintf("%d. %s %d", day, monthNames["de"][m-1], y),
		fmt.Sprintf("%d de %s de %d", day, monthNames["pt"][m-1], y),
		fmt.Sprintf("%d %s %d", day, monthNames["ru"][m-1], y),
		fmt.Sprintf("%02d-%s-%d", day, strings.ToUpper(monthNames["en3"][m-1]), y),
	}
	return forms[rng.IntN(len(forms))]
}

// WithMessyDates returns the variants that carry a date of birth, each
// with the date rewritten by MessyDate (deterministic for a seed).
func WithMessyDates(vs []Variant, seed int64) []Variant {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6d657373))
	var out []Variant
	for _, v := range vs {
		if v.Query.BirthDate == "" {
			continue
		}
		d, err := lexscreen.ParseISODate(v.Query.BirthDate)
		if err != nil {
			continue
		}
		v.Query.BirthDate = MessyDate(rng, d)
		v.Kind += "+" + KindMessyDOB
		out = append(out, v)
	}
	return out
}

// MessyNegatives screens up to limit people of a negatives CSV with their
// date of birth written by MessyDate and their nationality, typed person as
// in Negatives' "with details" mode: the false-alert rate with messy dates.
func MessyNegatives(path string, sc Screener, limit int, seed int64) AlertMode {
	people, err := LoadPeople(path, limit)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6e6567))
	m := alertMode("name+messy dob+nat", people, sc, func(p Person) lexscreen.Query {
		q := p.Query(true)
		if d, err := lexscreen.ParseISODate(q.BirthDate); err == nil {
			q.BirthDate = MessyDate(rng, d)
		}
		return q
	})
	m.Error = errString(err)
	return m
}
