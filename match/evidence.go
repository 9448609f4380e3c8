package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Effects of secondary evidence on a score.
const (
	dobAgreeDay   = 0.06  // same day of birth
	dobAgree      = 0.03  // dates overlap at the precision known
	dobNear       = -0.08 // within a year of a listed date
	dobDisagree   = -0.3  // years apart from every listed date
	countryAgree  = 0.03
	countryDiffer = -0.06
	idAgree       = 0.35
)

// evidence compares the query's date of birth, countries and identifiers
// with the entity's.
func evidence(pq *query, er *entityRec) []lexscreen.Evidence {
	var out []lexscreen.Evidence
	if len(pq.dobs) > 0 && len(er.birth) > 0 {
		out = append(out, dobEvidence(pq.dobs, er.birth))
	}
	if len(pq.countries) > 0 && len(er.countries) > 0 {
		var hit string
		for _, c := range pq.countries {
			if slices.Contains(er.countries, c) {
				hit = c
				break
			}
		}
		switch {
		case hit != "":
			out = append(out, lexscreen.Evidence{Kind: "country", Effect: countryAgree,
				Detail: fmt.Sprintf("query country %s is linked to the listed entity", hit)})
		case len(er.nationals) > 0:
			out = append(out, lexscreen.Evidence{Kind: "country", Effect: countryDiffer,
				Detail: fmt.Sprintf("query country %s differs from the listed nationality %s",
					strings.Join(pq.countries, "/"), strings.Join(er.nationals, "/"))})
		}
	}
	for _, id := range pq.ids {
		if slices.Contains(er.ids, id) {
			out = append(out, lexscreen.Evidence{Kind: "identifier", Effect: idAgree,
				Detail: fmt.Sprintf("identifier %s is listed for the entity", id)})
			break
		}
	}
	return out
}

// dobEvidence compares a query date of birth with the listed ones, at the
// precision each side knows: "1970" agrees with "1970-03-30"; a circa date,
// listed or queried, agrees with anything within a year of it. A query
// read several ways (day and month order unknown) is evidence as its best
// reading, and the detail says how the query was read.
func dobEvidence(query []lexscreen.DateValue, listed []lexscreen.DateValue) lexscreen.Evidence {
	var best lexscreen.Evidence
	for i, q := range query {
		ev := dobEvidenceOne(q, listed)
		if i == 0 || ev.Effect > best.Effect {
			best = ev
		}
	}
	if len(query) == 1 {
		best.Detail = "date of birth " + best.Detail
		return best
	}
	read := make([]string, len(query))
	for i, q := range query {
		read[i] = q.String()
	}
	best.Detail = fmt.Sprintf("date of birth %s (day/month order unknown): %s", strings.Join(read, " or "), best.Detail)
	return best
}

// dobEvidenceOne compares one reading of the query's date of birth with the
// listed ones; Detail is said of the reading ("1970-03-30 is listed").
func dobEvidenceOne(q lexscreen.DateValue, listed []lexscreen.DateValue) lexscreen.Evidence {
	qFirst, qLast := q.Earliest(), q.Latest()
	if q.Circa {
		qFirst, qLast = qFirst.AddDate(-1, 0, 0), qLast.AddDate(1, 0, 0)
	}
	qDay := q.From.Precision() == "day" && q.To.IsZero() && !q.Circa
	bestGap := 1 << 30
	var near lexscreen.DateValue
	for _, d := range listed {
		from, to := d.Earliest(), d.Latest()
		if d.Circa {
			from, to = from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0)
		}
		if !qLast.Before(from) && !qFirst.After(to) {
			if qDay && d.From.Precision() == "day" && d.To.IsZero() && !d.Circa {
				return lexscreen.Evidence{Kind: "dob", Effect: dobAgreeDay,
					Detail: fmt.Sprintf("%s is listed", q)}
			}
			return lexscreen.Evidence{Kind: "dob", Effect: dobAgree,
				Detail: fmt.Sprintf("%s agrees with listed %s", q, d.String())}
		}
		gap := int(from.Sub(qLast).Hours() / 24)
		if qFirst.After(to) {
			gap = int(qFirst.Sub(to).Hours() / 24)
		}
		if gap < bestGap {
			bestGap, near = gap, d
		}
	}
	if bestGap <= 366 {
		return lexscreen.Evidence{Kind: "dob", Effect: dobNear,
			Detail: fmt.Sprintf("%s is within a year of listed %s", q, near.String())}
	}
	return lexscreen.Evidence{Kind: "dob", Effect: dobDisagree,
		Detail: fmt.Sprintf("%s differs from every listed date (nearest %s)", q, near.String())}
}
