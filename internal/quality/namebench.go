package quality

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// NameCase is one labelled pair of nomenklatura_name_bench_cases-*.csv.
type NameCase struct {
	Line     int    `json:"line"`
	Group    string `json:"case_group"`
	Schema   string `json:"schema"` // as in the file: Person, Company, ...
	Name1    string `json:"name1"`
	Name2    string `json:"name2"`
	IsMatch  bool   `json:"is_match"`
	Quality  string `json:"quality,omitempty"`
	Category string `json:"category,omitempty"`
	Notes    string `json:"notes,omitempty"`
}

// LoadNameBench reads the name bench CSV
// (case_group,schema,name1,name2,is_match,quality,category,notes), by
// column name, so extra or reordered columns are fine.
func LoadNameBench(path string) ([]NameCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"name1", "name2", "is_match"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no column %q", path, need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []NameCase
	line := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		m, err := strconv.ParseBool(strings.ToLower(get(rec, "is_match")))
		if err != nil {
			return out, fmt.Errorf("%s:%d: is_match %q", path, line, get(rec, "is_match"))
		}
		out = append(out, NameCase{
			Line: line, Group: get(rec, "case_group"), Schema: get(rec, "schema"),
			Name1: get(rec, "name1"), Name2: get(rec, "name2"), IsMatch: m,
			Quality: get(rec, "quality"), Category: get(rec, "category"), Notes: get(rec, "notes"),
		})
	}
	return out, nil
}

// PairResult is one scored, labelled pair that the threshold decided wrongly.
type PairResult struct {
	Line     int     `json:"line,omitempty"`
	Group    string  `json:"group,omitempty"`
	Schema   string  `json:"schema,omitempty"`
	Query    string  `json:"query"`
	Listed   string  `json:"listed"`
	Expected bool    `json:"expected"`
	Score    float64 `json:"score"`
	Label    string  `json:"label,omitempty"` // category / label / notes from the file
}

// NameBenchReport is the result of NameBench.
type NameBenchReport struct {
	File      string               `json:"file"`
	Error     string               `json:"error,omitempty"`
	Cases     int                  `json:"cases"`
	Threshold float64              `json:"threshold"`
	Overall   Confusion            `json:"overall"`
	ByGroup   map[string]Confusion `json:"by_group"`
	BySchema  map[string]Confusion `json:"by_schema"` // by lexscreen schema
	ByQuality map[string]Confusion `json:"by_quality"`
	Sweep     Sweep                `json:"sweep"` // best-F1 threshold, for calibration insight
	Wrong     []PairResult         `json:"wrong"` // every wrongly decided case, file order
}

// NameBench scores every pair of the name bench: Query{Name: name1, Schema}
// against an entity with the one primary name name2 and the same schema,
// and decides match when the score is at or above s.Threshold().
func NameBench(path string, s PairScorer) NameBenchReport {
	rep := NameBenchReport{File: path, Threshold: s.Threshold(),
		ByGroup: map[string]Confusion{}, BySchema: map[string]Confusion{}, ByQuality: map[string]Confusion{}}
	cases, err := LoadNameBench(path)
	rep.Error = errString(err)
	var xs []labelled
	for i, c := range cases {
		schema := MapSchema(c.Schema)
		q := lexscreen.Query{ID: strconv.Itoa(c.Line), Name: c.Name1, Schema: schema}
		e := entityWithName(fmt.Sprintf("namebench:%d", i), schema, c.Name2)
		score := finite(s.ScorePair(q, e))
		pred := score >= rep.Threshold
		rep.Cases++
		rep.Overall.Add(c.IsMatch, pred)
		addTo(rep.ByGroup, c.Group, c.IsMatch, pred)
		addTo(rep.BySchema, string(schema), c.IsMatch, pred)
		addTo(rep.ByQuality, c.Quality, c.IsMatch, pred)
		xs = append(xs, labelled{score, c.IsMatch})
		if pred != c.IsMatch {
			lab := c.Category
			if c.Notes != "" {
				lab = strings.TrimSpace(lab + " " + c.Notes)
			}
			rep.Wrong = append(rep.Wrong, PairResult{Line: c.Line, Group: c.Group, Schema: c.Schema,
				Query: c.Name1, Listed: c.Name2, Expected: c.IsMatch, Score: score, Label: lab})
		}
	}
	rep.Sweep = sweep(xs)
	return rep
}

func addTo(m map[string]Confusion, key string, expected, pred bool) {
	if key == "" {
		key = "-"
	}
	c := m[key]
	c.Add(expected, pred)
	m[key] = c
}

func (r NameBenchReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "name bench %s: %d cases at threshold %.3f\n", r.File, r.Cases, r.Threshold)
	if r.Error != "" {
		fmt.Fprintf(&b, "  ERROR: %s\n", r.Error)
	}
	fmt.Fprintf(&b, "  overall   %s\n", r.Overall)
	writeSweep(&b, r.Sweep)
	writeConfusions(&b, "group", r.ByGroup)
	writeConfusions(&b, "schema", r.BySchema)
	writeConfusions(&b, "quality", r.ByQuality)
	writeWrong(&b, r.Wrong)
	return b.String()
}

func writeSweep(b *strings.Builder, s Sweep) {
	fmt.Fprintf(b, "  best F1 %.3f at threshold %.3f (P=%.3f R=%.3f); ROC AUC %.3f\n",
		s.BestF1, s.BestThreshold, s.BestPrecision, s.BestRecall, s.AUC)
}

func writeConfusions(b *strings.Builder, what string, m map[string]Confusion) {
	for _, k := range sortedKeys(m) {
		fmt.Fprintf(b, "  %-8s %-22s %s\n", what, k, m[k])
	}
}

func writeWrong(b *strings.Builder, ws []PairResult) {
	fmt.Fprintf(b, "  wrong: %d\n", len(ws))
	for _, w := range ws {
		kind := "FN"
		if !w.Expected {
			kind = "FP"
		}
		fmt.Fprintf(b, "    %s %.3f  %q ~ %q", kind, w.Score, w.Query, w.Listed)
		if w.Schema != "" {
			fmt.Fprintf(b, " [%s]", w.Schema)
		}
		if w.Label != "" {
			fmt.Fprintf(b, " (%s)", w.Label)
		}
		b.WriteByte('\n')
	}
}
