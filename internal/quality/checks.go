package quality

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// EntityCheck is one entity-pair check: query and candidate properties,
// the schema, and whether they should match.
type EntityCheck struct {
	Index     int            `json:"index"` // 0-based position in the file
	Line      int            `json:"line,omitempty"`
	Match     bool           `json:"match"`
	Schema    string         `json:"schema"`
	Label     string         `json:"label,omitempty"`
	Query     Props          `json:"query"`
	Candidate Props          `json:"candidate"`
	Config    map[string]any `json:"config,omitempty"` // nomenklatura scoring config, if any
}

// LoadEntityChecks reads nomenklatura_entity_bench_checks.yml
// ({checks: [{match, schema, label?, query: {...}, candidate: {...}}]}).
func LoadEntityChecks(path string) ([]EntityCheck, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Checks []yaml.Node `yaml:"checks"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]EntityCheck, 0, len(doc.Checks))
	for i, n := range doc.Checks {
		var raw struct {
			Match     bool           `yaml:"match"`
			Schema    string         `yaml:"schema"`
			Label     string         `yaml:"label"`
			Query     map[string]any `yaml:"query"`
			Candidate map[string]any `yaml:"candidate"`
			Config    map[string]any `yaml:"config"`
		}
		if err := n.Decode(&raw); err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, n.Line, err)
		}
		out = append(out, EntityCheck{Index: i, Line: n.Line, Match: raw.Match, Schema: raw.Schema,
			Label: raw.Label, Query: propsFrom(raw.Query), Candidate: propsFrom(raw.Candidate), Config: raw.Config})
	}
	return out, nil
}

// LoadLogicV2 reads nomenklatura_logic_v2_match_cases.jsonl: one JSON
// object a line, {schema, matches, query: {...}, result: {...}, config?}.
func LoadLogicV2(path string) ([]EntityCheck, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []EntityCheck
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		var raw struct {
			Schema  string         `json:"schema"`
			Matches bool           `json:"matches"`
			Query   map[string]any `json:"query"`
			Result  map[string]any `json:"result"`
			Config  map[string]any `json:"config"`
		}
		if err := json.Unmarshal([]byte(t), &raw); err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, EntityCheck{Index: len(out), Line: line, Match: raw.Matches, Schema: raw.Schema,
			Query: propsFrom(raw.Query), Candidate: propsFrom(raw.Result), Config: raw.Config})
	}
	return out, sc.Err()
}

// CheckResult is one scored entity check.
type CheckResult struct {
	Index     int     `json:"index"`
	Line      int     `json:"line,omitempty"`
	Schema    string  `json:"schema"`
	Label     string  `json:"label,omitempty"`
	Query     string  `json:"query"`     // the query properties, compactly
	Candidate string  `json:"candidate"` // the candidate properties, compactly
	Expected  bool    `json:"expected"`
	Score     float64 `json:"score"`
	Right     bool    `json:"right"`
	Skipped   string  `json:"skipped,omitempty"` // why the check was not scored
}

// ChecksReport is the result of EntityChecks and LogicV2.
type ChecksReport struct {
	File      string               `json:"file"`
	Error     string               `json:"error,omitempty"`
	Threshold float64              `json:"threshold"`
	Checks    int                  `json:"checks"`  // scored checks
	Right     int                  `json:"right"`   // (score >= threshold) == expected
	Skipped   int                  `json:"skipped"` // checks that cannot apply to lexscreen (see Results)
	Accuracy  float64              `json:"accuracy"`
	AllRight  bool                 `json:"all_right"` // every scored check right
	Overall   Confusion            `json:"overall"`
	BySchema  map[string]Confusion `json:"by_schema"`
	ByLabel   map[string]Confusion `json:"by_label,omitempty"`
	Sweep     Sweep                `json:"sweep"`
	// UnknownProps lists property keys found in the file that have no
	// mapping to lexscreen (they are ignored; should be empty).
	UnknownProps []string      `json:"unknown_props,omitempty"`
	Wrong        []CheckResult `json:"wrong"`
	Results      []CheckResult `json:"results"` // every check, file order
}

// EntityChecks scores each check of nomenklatura_entity_bench_checks.yml:
// the query properties become a Query (Name, Parts in reading order,
// BirthDate, Countries, Identifiers) and the candidate properties an Entity
// (names by kind, parts, birth dates, nationalities, identifiers ...).
// Accuracy is the share of checks where (score >= threshold) == match.
func EntityChecks(path string, s PairScorer) ChecksReport {
	checks, err := LoadEntityChecks(path)
	rep := runChecks(path, "check", checks, s)
	if err != nil {
		rep.Error = err.Error()
	}
	return rep
}

// LogicV2 scores each case of nomenklatura_logic_v2_match_cases.jsonl the
// same way as EntityChecks. A case carrying a nomenklatura scoring config
// (which restricts that library's matcher, e.g. to the "name" property
// only) has no lexscreen equivalent and is skipped, with the reason.
// The goal is AllRight.
func LogicV2(path string, s PairScorer) ChecksReport {
	cases, err := LoadLogicV2(path)
	rep := runChecks(path, "logicv2", cases, s)
	if err != nil {
		rep.Error = err.Error()
	}
	return rep
}

func runChecks(path, prefix string, checks []EntityCheck, s PairScorer) ChecksReport {
	rep := ChecksReport{File: path, Threshold: s.Threshold(), BySchema: map[string]Confusion{}, ByLabel: map[string]Confusion{}}
	unknown := map[string]bool{}
	var xs []labelled
	for _, c := range checks {
		for _, k := range append(unknownProps(c.Query), unknownProps(c.Candidate)...) {
			unknown[k] = true
		}
		schema := MapSchema(c.Schema)
		res := CheckResult{Index: c.Index, Line: c.Line, Schema: c.Schema, Label: c.Label,
			Query: c.Query.describe(), Candidate: c.Candidate.describe(), Expected: c.Match}
		if len(c.Config) > 0 {
			res.Skipped = "nomenklatura scoring config " + compactJSON(c.Config) + " has no lexscreen equivalent"
			rep.Skipped++
			rep.Results = append(rep.Results, res)
			continue
		}
		q := c.Query.ToQuery(schema)
		e := c.Candidate.ToEntity(fmt.Sprintf("%s:%d", prefix, c.Index), schema)
		res.Score = finite(s.ScorePair(q, e))
		pred := res.Score >= rep.Threshold
		res.Right = pred == c.Match
		rep.Checks++
		if res.Right {
			rep.Right++
		} else {
			rep.Wrong = append(rep.Wrong, res)
		}
		rep.Overall.Add(c.Match, pred)
		addTo(rep.BySchema, string(schema), c.Match, pred)
		if c.Label != "" {
			addTo(rep.ByLabel, c.Label, c.Match, pred)
		}
		xs = append(xs, labelled{res.Score, c.Match})
		rep.Results = append(rep.Results, res)
	}
	rep.Accuracy = ratio(rep.Right, rep.Checks)
	rep.AllRight = rep.Checks > 0 && rep.Right == rep.Checks
	rep.Sweep = sweep(xs)
	rep.UnknownProps = sortedKeys(unknown)
	return rep
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func (r ChecksReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "checks %s: %d/%d right (%s) at threshold %.3f, %d skipped",
		r.File, r.Right, r.Checks, pct(r.Accuracy), r.Threshold, r.Skipped)
	if r.AllRight {
		b.WriteString(", ALL RIGHT")
	}
	b.WriteByte('\n')
	if r.Error != "" {
		fmt.Fprintf(&b, "  ERROR: %s\n", r.Error)
	}
	fmt.Fprintf(&b, "  overall   %s\n", r.Overall)
	writeSweep(&b, r.Sweep)
	writeConfusions(&b, "schema", r.BySchema)
	writeConfusions(&b, "label", r.ByLabel)
	if len(r.UnknownProps) > 0 {
		fmt.Fprintf(&b, "  unmapped properties (ignored): %s\n", strings.Join(r.UnknownProps, ", "))
	}
	fmt.Fprintf(&b, "  wrong: %d\n", len(r.Wrong))
	for _, w := range r.Wrong {
		kind := "FN"
		if !w.Expected {
			kind = "FP"
		}
		fmt.Fprintf(&b, "    %s %.3f [%s] {%s} ~ {%s}", kind, w.Score, w.Schema, w.Query, w.Candidate)
		if w.Label != "" {
			fmt.Fprintf(&b, " (%s)", w.Label)
		}
		b.WriteByte('\n')
	}
	for _, x := range r.Results {
		if x.Skipped != "" {
			fmt.Fprintf(&b, "  skipped #%d {%s} ~ {%s}: %s\n", x.Index, x.Query, x.Candidate, x.Skipped)
		}
	}
	return b.String()
}
