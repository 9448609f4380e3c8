package quality

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// OFACRow is one row of nomenklatura_ofac_parity_fixtures.csv: a query, a
// listed name OFAC's Sanctions List Search returned for it, and that tool's
// score (0..100).
type OFACRow struct {
	Line      int     `json:"line"`
	Query     string  `json:"query"`
	Listed    string  `json:"listed"`
	OFACScore float64 `json:"ofac_score"`
	Score     float64 `json:"score"` // ours, 0..1
}

// LoadOFACParity reads query_name,result_name,ofac_score (by column name).
func LoadOFACParity(path string) ([]OFACRow, error) {
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
	qi, ok1 := col["query_name"]
	ri, ok2 := col["result_name"]
	si, ok3 := col["ofac_score"]
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("%s: want columns query_name,result_name,ofac_score, have %v", path, head)
	}
	var out []OFACRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) <= max(qi, ri, si) {
			continue
		}
		sc, err := strconv.ParseFloat(strings.TrimSpace(rec[si]), 64)
		if err != nil {
			return out, fmt.Errorf("%s:%d: ofac_score %q", path, line, rec[si])
		}
		out = append(out, OFACRow{Line: line, Query: strings.TrimSpace(rec[qi]), Listed: strings.TrimSpace(rec[ri]), OFACScore: sc})
	}
	return out, nil
}

// OFACGroup is the rank agreement for the rows of one query.
type OFACGroup struct {
	Query    string  `json:"query"`
	Rows     int     `json:"rows"`
	Spearman float64 `json:"spearman"` // NaN-free: 0 when either side is constant
	Constant bool    `json:"constant"` // OFAC or our scores do not vary: no ranking to compare
}

// OFACParityReport is the result of OFACParity.
type OFACParityReport struct {
	File  string `json:"file"`
	Error string `json:"error,omitempty"`
	Rows  int    `json:"rows"`
	// Spearman is the rank correlation of our score and OFAC's over all rows.
	Spearman float64 `json:"spearman"`
	// MeanGroupSpearman averages the correlation within each query's rows
	// (the ranking a user sees), over groups of 3+ rows where both sides vary.
	MeanGroupSpearman float64     `json:"mean_group_spearman"`
	Groups            []OFACGroup `json:"groups"`
	// Disagreements are the rows whose ranks differ most (first 20).
	Disagreements []OFACRow `json:"disagreements"`
	RowsScored    []OFACRow `json:"rows_scored"`
}

// OFACParity scores every (query, listed name) row with s, the listed name
// taken as the primary name of an entity of unknown schema ("LAST, First"
// names get family/given parts, as the OFAC source gives them), and
// reports the Spearman rank correlation with OFAC's own score, overall and
// per query.
func OFACParity(path string, s PairScorer) OFACParityReport {
	rep := OFACParityReport{File: path}
	rows, err := LoadOFACParity(path)
	rep.Error = errString(err)
	for i := range rows {
		e := entityWithName(fmt.Sprintf("ofac:%d", i), lexscreen.SchemaUnknown, rows[i].Listed)
		if n := &e.Names[0]; strings.Contains(n.Full, ",") {
			n.Parts = commaNameParts(n.Full)
		}
		rows[i].Score = finite(s.ScorePair(lexscreen.Query{Name: rows[i].Query}, e))
	}
	rep.Rows = len(rows)
	rep.RowsScored = rows
	ours := make([]float64, len(rows))
	theirs := make([]float64, len(rows))
	for i, r := range rows {
		ours[i], theirs[i] = r.Score, r.OFACScore
	}
	rep.Spearman = finite(Spearman(ours, theirs))
	// per query group, in order of first appearance
	var order []string
	idx := map[string][]int{}
	for i, r := range rows {
		if _, ok := idx[r.Query]; !ok {
			order = append(order, r.Query)
		}
		idx[r.Query] = append(idx[r.Query], i)
	}
	var sum float64
	var n int
	for _, q := range order {
		var a, b []float64
		for _, i := range idx[q] {
			a, b = append(a, ours[i]), append(b, theirs[i])
		}
		rho := Spearman(a, b)
		g := OFACGroup{Query: q, Rows: len(a), Spearman: finite(rho), Constant: math.IsNaN(rho)}
		if len(a) >= 3 && !g.Constant {
			sum += rho
			n++
		}
		rep.Groups = append(rep.Groups, g)
	}
	if n > 0 {
		rep.MeanGroupSpearman = sum / float64(n)
	}
	ro, rt := ranks(ours), ranks(theirs)
	type d struct {
		i    int
		diff float64
	}
	ds := make([]d, len(rows))
	for i := range rows {
		ds[i] = d{i, math.Abs(ro[i] - rt[i])}
	}
	sort.SliceStable(ds, func(a, b int) bool { return ds[a].diff > ds[b].diff })
	for k := 0; k < len(ds) && k < 20; k++ {
		rep.Disagreements = append(rep.Disagreements, rows[ds[k].i])
	}
	return rep
}

// Spearman returns the Spearman rank correlation of a and b (Pearson on
// average ranks, so ties are handled), or NaN when either is constant or
// they are shorter than 2.
func Spearman(a, b []float64) float64 {
	if len(a) != len(b) || len(a) < 2 {
		return math.NaN()
	}
	return pearson(ranks(a), ranks(b))
}

// ranks gives each value its 1-based rank, ties sharing their average rank.
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return xs[idx[i]] < xs[idx[j]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && xs[idx[j]] == xs[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

func pearson(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var cov, va, vb float64
	for i := range a {
		cov += (a[i] - ma) * (b[i] - mb)
		va += (a[i] - ma) * (a[i] - ma)
		vb += (b[i] - mb) * (b[i] - mb)
	}
	if va == 0 || vb == 0 {
		return math.NaN()
	}
	return cov / math.Sqrt(va*vb)
}

func (r OFACParityReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OFAC parity %s: %d rows, Spearman %.3f overall, %.3f mean within query\n",
		r.File, r.Rows, r.Spearman, r.MeanGroupSpearman)
	if r.Error != "" {
		fmt.Fprintf(&b, "  ERROR: %s\n", r.Error)
	}
	for _, g := range r.Groups {
		if g.Constant {
			fmt.Fprintf(&b, "  %-32q %3d rows  (constant)\n", g.Query, g.Rows)
		} else {
			fmt.Fprintf(&b, "  %-32q %3d rows  rho %.3f\n", g.Query, g.Rows, g.Spearman)
		}
	}
	b.WriteString("  largest rank disagreements:\n")
	for _, d := range r.Disagreements {
		fmt.Fprintf(&b, "    ofac %3.0f ours %.3f  %q ~ %q\n", d.OFACScore, d.Score, d.Query, d.Listed)
	}
	return b.String()
}
