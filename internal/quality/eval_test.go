package quality

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

func TestMapSchema(t *testing.T) {
	for in, want := range map[string]lexscreen.Schema{
		"Person": lexscreen.SchemaPerson, "Company": lexscreen.SchemaOrganization,
		"Organization": lexscreen.SchemaOrganization, "LegalEntity": lexscreen.SchemaOrganization,
		"Vessel": lexscreen.SchemaVessel, "Airplane": lexscreen.SchemaAircraft, "Thing": lexscreen.SchemaUnknown,
	} {
		if got := MapSchema(in); got != want {
			t.Errorf("MapSchema(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameBench(t *testing.T) {
	rep := NameBench("testdata/name_bench.csv", newStub(t))
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if rep.Cases != 48 || rep.Overall.N != 48 {
		t.Fatalf("cases %d, overall %v", rep.Cases, rep.Overall)
	}
	o := rep.Overall
	if o.TP+o.FP+o.TN+o.FN != 48 || len(rep.Wrong) != o.FP+o.FN {
		t.Fatalf("inconsistent counts %v, %d wrong", o, len(rep.Wrong))
	}
	n := 0
	for k, c := range rep.BySchema {
		if !slices.Contains([]string{"person", "organization", "vessel"}, k) {
			t.Errorf("schema %q", k)
		}
		n += c.N
	}
	if n != 48 || len(rep.ByGroup) < 3 {
		t.Fatalf("by schema sum %d, groups %v", n, rep.ByGroup)
	}
	if rep.Sweep.BestF1 < o.F1-1e-9 || rep.Sweep.AUC <= 0 || rep.Sweep.AUC > 1 {
		t.Fatalf("sweep %+v vs F1 %.3f", rep.Sweep, o.F1)
	}
	// the exact pair is a match for the stub; a known wrong one is listed.
	for _, w := range rep.Wrong {
		if w.Expected == (w.Score >= rep.Threshold) {
			t.Fatalf("right case listed as wrong: %+v", w)
		}
	}
	roundTrip(t, rep)
	if bad := NameBench("testdata/nope.csv", newStub(t)); bad.Error == "" {
		t.Fatal("missing file: no error")
	}
}

func TestSweep(t *testing.T) {
	xs := []labelled{{0.9, true}, {0.8, true}, {0.7, false}, {0.6, true}, {0.2, false}}
	s := sweep(xs)
	// at 0.6: tp 3 fp 1 -> P .75 R 1 F1 .857; at 0.8: P 1 R .667 F1 .8
	if math.Abs(s.BestF1-6.0/7) > 1e-9 || s.BestThreshold != 0.6 {
		t.Fatalf("%+v", s)
	}
	// AUC: positives 0.9,0.8,0.6 vs negatives 0.7,0.2: 5 of 6 pairs ordered.
	if math.Abs(s.AUC-5.0/6) > 1e-9 {
		t.Fatalf("auc %v", s.AUC)
	}
}

func TestEntityChecks(t *testing.T) {
	rep := EntityChecks("testdata/entity_checks.yml", newStub(t))
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if rep.Checks != 26 || len(rep.Results) != 26 || rep.Skipped != 0 {
		t.Fatalf("checks %d results %d skipped %d", rep.Checks, len(rep.Results), rep.Skipped)
	}
	if len(rep.UnknownProps) > 0 {
		t.Fatalf("unmapped %v", rep.UnknownProps)
	}
	if rep.Right+len(rep.Wrong) != rep.Checks || math.Abs(rep.Accuracy-float64(rep.Right)/26) > 1e-9 {
		t.Fatalf("%d right, %d wrong", rep.Right, len(rep.Wrong))
	}
	if len(rep.ByLabel) == 0 {
		t.Fatal("no labels")
	}
	roundTrip(t, rep)

	// structured names: the query is composed in reading order, the
	// candidate's father name is a patronymic.
	checks, err := LoadEntityChecks("testdata/entity_checks.yml")
	if err != nil {
		t.Fatal(err)
	}
	var lavrov *EntityCheck
	for i := range checks {
		if checks[i].Candidate["fatherName"] != nil && checks[i].Match {
			lavrov = &checks[i]
		}
	}
	if lavrov == nil {
		t.Fatal("no fatherName check in excerpt")
	}
	q := lavrov.Query.ToQuery(lexscreen.SchemaPerson)
	if q.Name != "Sergey Viktorovich Lavrov" || len(q.Parts) != 3 || q.Parts[0].Kind != lexscreen.PartGiven ||
		q.Parts[1].Kind != lexscreen.PartMiddle || q.Parts[2].Kind != lexscreen.PartFamily {
		t.Fatalf("query %+v", q)
	}
	e := lavrov.Candidate.ToEntity("x", lexscreen.SchemaPerson)
	if len(e.Names) != 1 || e.Names[0].Full != "Sergey Viktorovich LAVROV" || e.Names[0].Parts[1].Kind != lexscreen.PartPatronymic {
		t.Fatalf("entity %+v", e.Names)
	}
}

func TestPropsMapping(t *testing.T) {
	p := Props{"name": {"Ali Khamenei"}, "firstName": {"Ali"}, "birthDate": {"1939-04"},
		"nationality": {"ir"}, "country": {"Iran"}, "passportNumber": {"X123"}, "alias": {"Sayyid Ali"},
		"weakAlias": {"Rahbar"}}
	q := p.ToQuery(lexscreen.SchemaPerson)
	if q.Name != "Ali Khamenei" || q.BirthDate != "1939-04" || !slices.Equal(q.Countries, []string{"Iran", "ir"}) ||
		!slices.Equal(q.Identifiers, []string{"X123"}) {
		t.Fatalf("%+v", q)
	}
	e := p.ToEntity("x", lexscreen.SchemaPerson)
	if len(e.Names) != 3 || e.Names[0].Parts == nil || e.Names[1].Kind != lexscreen.NameAlias || e.Names[2].Kind != lexscreen.NameWeakAlias {
		t.Fatalf("%+v", e.Names)
	}
	if e.BirthDates[0].From != (lexscreen.PartialDate{Year: 1939, Month: 4}) || e.Nationalities[0].Code != "IR" ||
		e.Countries[0].Name != "Iran" || e.Identifiers[0].Kind != lexscreen.IDPassport {
		t.Fatalf("%+v", e)
	}
	if u := unknownProps(Props{"name": {"x"}, "zodiac": {"leo"}}); !slices.Equal(u, []string{"zodiac"}) {
		t.Fatal(u)
	}
}

func TestLogicV2(t *testing.T) {
	rep := LogicV2("testdata/logic_v2.jsonl", newStub(t))
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if len(rep.Results) != 29 || rep.Skipped != 1 || rep.Checks != 28 {
		t.Fatalf("results %d skipped %d checks %d", len(rep.Results), rep.Skipped, rep.Checks)
	}
	if len(rep.UnknownProps) > 0 {
		t.Fatalf("unmapped %v", rep.UnknownProps)
	}
	if rep.AllRight != (rep.Right == rep.Checks) {
		t.Fatal("AllRight")
	}
	roundTrip(t, rep)
	cases, _ := LoadLogicV2("testdata/logic_v2.jsonl")
	var imo, bic bool
	for _, c := range cases {
		if c.Query["imoNumber"] != nil {
			e := c.Candidate.ToEntity("x", lexscreen.SchemaVessel)
			q := c.Query.ToQuery(lexscreen.SchemaVessel)
			imo = e.Identifiers[0].Kind == lexscreen.IDIMO && q.Identifiers[0] == "9929429"
		}
		if c.Query["swiftBic"] != nil {
			q := c.Query.ToQuery(lexscreen.SchemaOrganization)
			e := c.Candidate.ToEntity("x", lexscreen.SchemaOrganization)
			// no name at all: the query name stays empty, the identifiers carry it.
			bic = q.Name == "" && q.Identifiers[0] == "COBADEFFXXX" && e.Identifiers[0].Kind == lexscreen.IDRegistration
		}
	}
	if !imo || !bic {
		t.Fatalf("imo %v bic %v", imo, bic)
	}
}

func TestCrossScript(t *testing.T) {
	s := newStub(t)
	rep := CrossScript("testdata/cross_script.csv", "testdata/putin_names.txt", s, s)
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if rep.Pairs != 22 || rep.ByScript["Cyrl"][1] != 4 || rep.ByScript["Arab"][1] != 4 {
		t.Fatalf("pairs %d by script %v", rep.Pairs, rep.ByScript)
	}
	lines, _ := LoadLines("testdata/putin_names.txt")
	if rep.Putin != len(lines) || rep.Putin < 20 {
		t.Fatalf("putin %d of %d", rep.Putin, len(lines))
	}
	found := map[string]bool{}
	for _, r := range rep.PutinList {
		found[r.Query] = r.Found
	}
	// the stub finds exact token sets only
	if !found["PUTIN, Vladimir Vladimirovich"] || found["Vladimir Poutine"] {
		t.Fatalf("%v", found)
	}
	roundTrip(t, rep)
}

func TestSpearman(t *testing.T) {
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}); math.Abs(r-1) > 1e-12 {
		t.Fatal(r)
	}
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}); math.Abs(r+1) > 1e-12 {
		t.Fatal(r)
	}
	// ties: ranks (1.5,1.5,3) vs (1,2,3) -> 0.866
	if r := Spearman([]float64{5, 5, 7}, []float64{1, 2, 3}); math.Abs(r-math.Sqrt(3)/2) > 1e-9 {
		t.Fatal(r)
	}
	if r := Spearman([]float64{1, 1}, []float64{1, 2}); !math.IsNaN(r) {
		t.Fatal(r)
	}
}

func TestOFACParity(t *testing.T) {
	rep := OFACParity("testdata/ofac_parity.csv", newStub(t))
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if rep.Rows != 45 || len(rep.Groups) < 3 || rep.Spearman < -1 || rep.Spearman > 1 {
		t.Fatalf("%+v", rep)
	}
	if rep.RowsScored[0].Query != "VLADIMIR PUTIN" || rep.RowsScored[0].OFACScore != 100 || rep.RowsScored[0].Score != 1 {
		t.Fatalf("%+v", rep.RowsScored[0])
	}
	roundTrip(t, rep)
}

func TestNegatives(t *testing.T) {
	s := newStub(t)
	// make sure something alerts: list a negative person.
	s.index = append(s.index, entityWithName("t:neg", lexscreen.SchemaPerson, "Kathryn Barr"))
	rep := Negatives("testdata/negatives.csv", s, 100)
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	if rep.People != 100 || rep.NameOnly.Screened != 100 || rep.Details.Screened != 100 {
		t.Fatalf("%+v", rep)
	}
	if rep.NameOnly.Alerted < 1 || rep.NameOnly.Examples[0].TopID != "t:neg" || rep.NameOnly.Rate != float64(rep.NameOnly.Alerted)/100 {
		t.Fatalf("%+v", rep.NameOnly)
	}
	if rep.Details.Examples[0].DateOfBirth != "1966-07-06" || rep.Details.Examples[0].Nationality != "United Arab Emirates" {
		t.Fatalf("%+v", rep.Details.Examples[0])
	}
	people, _ := LoadPeople("testdata/negatives.csv", 0)
	if len(people) != 200 {
		t.Fatal(len(people))
	}
	q := people[1].Query(true)
	if q.BirthDate != "1966-07-06" || q.Countries[0] != "United Arab Emirates" || q.Parts[1].Value != "Barr" {
		t.Fatalf("%+v", q)
	}
	roundTrip(t, rep)
}

func TestSpeed(t *testing.T) {
	s := newStub(t)
	var qs []lexscreen.Query
	for _, v := range Variants(s.index, 200, 1) {
		qs = append(qs, v.Query)
	}
	l := Latency(s, qs, 20)
	if l.Queries != len(qs) || !(l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) || l.PerSecond <= 0 {
		t.Fatalf("%+v", l)
	}
	tp := Throughput(s, qs, 4)
	if tp.Queries != len(qs) || tp.PerSecond <= 0 || tp.Workers != 4 {
		t.Fatalf("%+v", tp)
	}
	one := Throughput(s, qs, 1)
	if one.Matches != tp.Matches || int(one.Matches) != l.Matches {
		t.Fatalf("matches differ: %d %d %d", one.Matches, tp.Matches, l.Matches)
	}
	roundTrip(t, l)
	roundTrip(t, tp)
	if !strings.Contains(l.String(), "p99") {
		t.Fatal(l.String())
	}
}
