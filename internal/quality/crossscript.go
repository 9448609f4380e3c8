package quality

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// CrossPair is one line of watchman_cross_script_pairs.csv.
type CrossPair struct {
	Line        int     `json:"line"`
	Query       string  `json:"query"`
	Expected    string  `json:"expected"`
	MinScore    float64 `json:"min_score"` // the score watchman's model reached; informative only
	Description string  `json:"description,omitempty"`
}

// LoadCrossPairs reads watchman_cross_script_pairs.csv
// (Query,Expected Match,Min Score,Description), skipping # comments and
// blank lines.
func LoadCrossPairs(path string) ([]CrossPair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var out []CrossPair
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) < 2 || strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(rec[0]), "query") {
			continue // a header line
		}
		p := CrossPair{Line: line, Query: strings.TrimSpace(rec[0]), Expected: strings.TrimSpace(rec[1])}
		if len(rec) > 2 {
			p.MinScore, _ = strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		}
		if len(rec) > 3 {
			p.Description = strings.TrimSpace(strings.Join(rec[3:], ","))
		}
		out = append(out, p)
	}
	return out, nil
}

// LoadLines reads a text file's non-blank, non-# lines, trimmed.
func LoadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		t := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, t)
	}
	return out, sc.Err()
}

// CrossPairResult is one scored cross-script pair.
type CrossPairResult struct {
	CrossPair
	Score float64 `json:"score"`
	Found bool    `json:"found"` // score >= threshold
}

// ScreenResult is one query screened against the index.
type ScreenResult struct {
	Query    string  `json:"query"`
	Found    bool    `json:"found"`
	Matches  int     `json:"matches"`
	Rank     int     `json:"rank,omitempty"` // 1-based rank of the first hit
	Hit      string  `json:"hit,omitempty"`  // caption of the first hit
	HitScore float64 `json:"hit_score,omitempty"`
	Top      string  `json:"top,omitempty"` // caption of the best match, whatever it is
	TopScore float64 `json:"top_score,omitempty"`
}

// CrossScriptReport is the result of CrossScript.
type CrossScriptReport struct {
	PairsFile  string            `json:"pairs_file"`
	PutinFile  string            `json:"putin_file"`
	Error      string            `json:"error,omitempty"`
	Threshold  float64           `json:"threshold"`
	Pairs      int               `json:"pairs"`
	PairsFound int               `json:"pairs_found"`
	PairRecall float64           `json:"pair_recall"`
	PairList   []CrossPairResult `json:"pair_list"`
	// ByScript counts pairs by the script of the query: found/total.
	ByScript   map[string][2]int `json:"by_script"`
	Putin      int               `json:"putin"`
	PutinFound int               `json:"putin_found"`
	PutinRate  float64           `json:"putin_recall"`
	PutinList  []ScreenResult    `json:"putin_list"`
}

// CrossScript measures cross-script recall two ways. Each pair of
// pairsPath is scored with s: Query{Name: query, Schema: person} against a
// person entity whose primary name is the expected Latin name; found when
// the score is at or above s.Threshold(). Each line of putinPath is screened
// with sc (Query{Name: line}); found when some match has a name containing
// "putin", case-insensitively. Either path may be "" to skip that part.
func CrossScript(pairsPath, putinPath string, s PairScorer, sc Screener) CrossScriptReport {
	rep := CrossScriptReport{PairsFile: pairsPath, PutinFile: putinPath, ByScript: map[string][2]int{}}
	var errs []string
	if pairsPath != "" && s != nil {
		rep.Threshold = s.Threshold()
		pairs, err := LoadCrossPairs(pairsPath)
		if err != nil {
			errs = append(errs, err.Error())
		}
		for i, p := range pairs {
			q := lexscreen.Query{Name: p.Query, Schema: lexscreen.SchemaPerson}
			e := entityWithName(fmt.Sprintf("crossscript:%d", i), lexscreen.SchemaPerson, p.Expected)
			r := CrossPairResult{CrossPair: p, Score: finite(s.ScorePair(q, e))}
			r.Found = r.Score >= rep.Threshold
			rep.Pairs++
			sk := scriptOf(p.Query)
			c := rep.ByScript[sk]
			c[1]++
			if r.Found {
				rep.PairsFound++
				c[0]++
			}
			rep.ByScript[sk] = c
			rep.PairList = append(rep.PairList, r)
		}
		rep.PairRecall = ratio(rep.PairsFound, rep.Pairs)
	}
	if putinPath != "" && sc != nil {
		lines, err := LoadLines(putinPath)
		if err != nil {
			errs = append(errs, err.Error())
		}
		for _, l := range lines {
			ms := sc.Screen(lexscreen.Query{Name: l})
			r := screenResult(l, ms, func(m lexscreen.Match) bool { return refContains(m.Entity, "putin") })
			rep.Putin++
			if r.Found {
				rep.PutinFound++
			}
			rep.PutinList = append(rep.PutinList, r)
		}
		rep.PutinRate = ratio(rep.PutinFound, rep.Putin)
	}
	rep.Error = strings.Join(errs, "; ")
	return rep
}

// screenResult summarises a screening: whether (and where) a match
// satisfying hit occurs, and the top match.
func screenResult(query string, ms []lexscreen.Match, hit func(lexscreen.Match) bool) ScreenResult {
	r := ScreenResult{Query: query, Matches: len(ms)}
	if len(ms) > 0 {
		r.Top, r.TopScore = caption(ms[0].Entity), ms[0].Score
	}
	for i, m := range ms {
		if hit(m) {
			r.Found, r.Rank, r.Hit, r.HitScore = true, i+1, caption(m.Entity), m.Score
			break
		}
	}
	return r
}

func caption(ref lexscreen.EntityRef) string {
	if ref.Name != "" {
		return ref.Name
	}
	if len(ref.Names) > 0 {
		return ref.Names[0]
	}
	return ref.ID
}

// refContains reports whether any name of ref contains sub (lower case),
// case-insensitively.
func refContains(ref lexscreen.EntityRef, sub string) bool {
	if strings.Contains(strings.ToLower(ref.Name), sub) {
		return true
	}
	for _, n := range ref.Names {
		if strings.Contains(strings.ToLower(n), sub) {
			return true
		}
	}
	return false
}

func (r CrossScriptReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cross-script: pairs %d/%d found (%s) at threshold %.3f; putin names %d/%d found (%s)\n",
		r.PairsFound, r.Pairs, pct(r.PairRecall), r.Threshold, r.PutinFound, r.Putin, pct(r.PutinRate))
	if r.Error != "" {
		fmt.Fprintf(&b, "  ERROR: %s\n", r.Error)
	}
	for _, k := range sortedKeys(r.ByScript) {
		fmt.Fprintf(&b, "  script %-8s %d/%d\n", k, r.ByScript[k][0], r.ByScript[k][1])
	}
	for _, p := range r.PairList {
		fmt.Fprintf(&b, "  %s %.3f  %q -> %q (watchman %.2f)\n", mark(p.Found), p.Score, p.Query, p.Expected, p.MinScore)
	}
	for _, p := range r.PutinList {
		fmt.Fprintf(&b, "  %s %q: %d matches", mark(p.Found), p.Query, p.Matches)
		if p.Found {
			fmt.Fprintf(&b, ", hit #%d %q %.3f", p.Rank, p.Hit, p.HitScore)
		} else if p.Matches > 0 {
			fmt.Fprintf(&b, ", top %q %.3f", p.Top, p.TopScore)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func mark(ok bool) string {
	if ok {
		return "ok  "
	}
	return "MISS"
}
