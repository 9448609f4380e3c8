package quality

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Person is one row of negatives_us_50k.csv: a synthetic person on no list.
type Person struct {
	Line        int    `json:"line"`
	FullName    string `json:"full_name"`
	FirstName   string `json:"first_name,omitempty"`
	MiddleName  string `json:"middle_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	Gender      string `json:"gender,omitempty"`
	DateOfBirth string `json:"date_of_birth,omitempty"`
	BirthPlace  string `json:"place_of_birth,omitempty"`
	Nationality string `json:"nationality,omitempty"`
}

// LoadPeople reads up to limit rows (0: all) of a negatives CSV
// (full_name,first_name,middle_name,last_name,gender,date_of_birth,
// place_of_birth,nationality), by column name.
func LoadPeople(path string, limit int) ([]Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["full_name"]; !ok {
		return nil, fmt.Errorf("%s: no column full_name", path)
	}
	var out []Person
	for limit <= 0 || len(out) < limit {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Person{Line: line, FullName: get("full_name"), FirstName: get("first_name"), MiddleName: get("middle_name"),
			LastName: get("last_name"), Gender: get("gender"), DateOfBirth: get("date_of_birth"),
			BirthPlace: get("place_of_birth"), Nationality: get("nationality")}
		if p.FullName == "" {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// Query is the person as a screening query: name only, or with the date
// of birth and nationality too. The name parts are tagged.
func (p Person) Query(withDetails bool) lexscreen.Query {
	q := lexscreen.Query{ID: fmt.Sprintf("neg:%d", p.Line), Name: p.FullName, Schema: lexscreen.SchemaPerson}
	if p.FirstName != "" {
		q.Parts = append(q.Parts, lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: p.FirstName})
	}
	if p.MiddleName != "" {
		q.Parts = append(q.Parts, lexscreen.NamePart{Kind: lexscreen.PartMiddle, Value: p.MiddleName})
	}
	if p.LastName != "" {
		q.Parts = append(q.Parts, lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: p.LastName})
	}
	if withDetails {
		q.BirthDate = p.DateOfBirth
		if p.Nationality != "" {
			q.Countries = []string{p.Nationality}
		}
	}
	return q
}

// UntypedQuery is the person as `lexscreen batch` reads a CSV row by
// default: the full name with no entity type and no name parts, with the
// date of birth and nationality, so organisations and vessels are
// candidates too.
func (p Person) UntypedQuery() lexscreen.Query {
	q := lexscreen.Query{ID: fmt.Sprintf("neg:%d", p.Line), Name: p.FullName, BirthDate: p.DateOfBirth}
	if p.Nationality != "" {
		q.Countries = []string{p.Nationality}
	}
	return q
}

// Alert is a person who matched something.
type Alert struct {
	Query       string  `json:"query"`
	DateOfBirth string  `json:"date_of_birth,omitempty"`
	Nationality string  `json:"nationality,omitempty"`
	Matches     int     `json:"matches"`
	TopID       string  `json:"top_id"`
	TopCaption  string  `json:"top_caption"`
	TopName     string  `json:"top_matched_name,omitempty"` // the listed name that scored best
	TopScore    float64 `json:"top_score"`
}

// AlertMode is the false-alert rate of one way of screening.
type AlertMode struct {
	Mode        string         `json:"mode"` // "name" or "name+dob+nationality"
	Screened    int            `json:"screened"`
	Alerted     int            `json:"alerted"`    // people with any match
	Rate        float64        `json:"alert_rate"` // Alerted / Screened
	Matches     int            `json:"matches"`    // matches in all
	BySource    map[string]int `json:"by_source"`  // alerts by the top match's source
	Examples    []Alert        `json:"examples"`   // the first 50 alerts
	ElapsedSecs float64        `json:"elapsed_secs"`
	Error       string         `json:"error,omitempty"` // the people could not all be read
}

// AlertReport is the result of Negatives.
type AlertReport struct {
	File     string    `json:"file"`
	Error    string    `json:"error,omitempty"`
	People   int       `json:"people"`
	NameOnly AlertMode `json:"name_only"`
	Details  AlertMode `json:"with_details"` // name + date_of_birth + nationality
	Untyped  AlertMode `json:"untyped"`      // as Details, but no entity type and no name parts
}

// Negatives screens up to limit people (0: all) of a negatives CSV, who
// are on no list, with sc twice: by name only, and with date of birth and
// nationality (Query.BirthDate, Query.Countries); both queries are typed
// person and carry the tagged name parts. A third pass screens them as an
// untyped batch does (UntypedQuery). Any match is a false alert.
func Negatives(path string, sc Screener, limit int) AlertReport {
	rep := AlertReport{File: path}
	people, err := LoadPeople(path, limit)
	rep.Error = errString(err)
	rep.People = len(people)
	rep.NameOnly = alertMode("name", people, sc, func(p Person) lexscreen.Query { return p.Query(false) })
	rep.Details = alertMode("name+dob+nationality", people, sc, func(p Person) lexscreen.Query { return p.Query(true) })
	rep.Untyped = alertMode("untyped, dob+nat", people, sc, Person.UntypedQuery)
	return rep
}

func alertMode(mode string, people []Person, sc Screener, query func(Person) lexscreen.Query) AlertMode {
	m := AlertMode{Mode: mode, BySource: map[string]int{}}
	start := time.Now()
	for _, p := range people {
		q := query(p)
		details := q.BirthDate != ""
		ms := sc.Screen(q)
		m.Screened++
		m.Matches += len(ms)
		if len(ms) == 0 {
			continue
		}
		m.Alerted++
		top := ms[0]
		m.BySource[top.Entity.Source]++
		if len(m.Examples) < 50 {
			a := Alert{Query: p.FullName, Matches: len(ms), TopID: top.Entity.ID, TopCaption: caption(top.Entity),
				TopName: top.Explanation.MatchedName, TopScore: top.Score}
			if details {
				a.DateOfBirth, a.Nationality = q.BirthDate, p.Nationality
			}
			m.Examples = append(m.Examples, a)
		}
	}
	m.Rate = ratio(m.Alerted, m.Screened)
	m.ElapsedSecs = time.Since(start).Seconds()
	return m
}

func (r AlertReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "false alerts %s: %d people on no list\n", r.File, r.People)
	if r.Error != "" {
		fmt.Fprintf(&b, "  ERROR: %s\n", r.Error)
	}
	for _, m := range []AlertMode{r.NameOnly, r.Details, r.Untyped} {
		b.WriteString(m.String())
	}
	return b.String()
}

// String writes the mode's alert count, rate, sources and examples.
func (m AlertMode) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-22s %d/%d alerted (%s), %d matches, %.1fs\n", m.Mode, m.Alerted, m.Screened, pct(m.Rate), m.Matches, m.ElapsedSecs)
	if m.Error != "" {
		fmt.Fprintf(&b, "    ERROR: %s\n", m.Error)
	}
	for _, k := range sortedKeys(m.BySource) {
		fmt.Fprintf(&b, "    source %-20s %d\n", k, m.BySource[k])
	}
	for _, a := range m.Examples {
		fmt.Fprintf(&b, "    %q", a.Query)
		if a.DateOfBirth != "" || a.Nationality != "" {
			fmt.Fprintf(&b, " (%s, %s)", a.DateOfBirth, a.Nationality)
		}
		fmt.Fprintf(&b, " -> %s %q %.3f", a.TopID, a.TopCaption, a.TopScore)
		if a.TopName != "" && a.TopName != a.TopCaption {
			fmt.Fprintf(&b, " via %q", a.TopName)
		}
		if a.Matches > 1 {
			fmt.Fprintf(&b, " (+%d more)", a.Matches-1)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
