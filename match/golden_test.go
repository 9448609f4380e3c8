package match

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden_scores.txt from the matcher as it is")

// TestGoldenScores screens about 1,500 real-looking names against the
// bundled lists, and scores the name pairs of two public benches, and
// compares every score and token alignment with testdata/golden_scores.txt,
// written before the scoring rules were reshaped. A change to a scoring
// rule that moves any score shows here line by line; if the move is
// meant, rerun with -update-golden and quote lexbench eval before and
// after in the commit.
func TestGoldenScores(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the bundled lists")
	}
	ix, es := bundledIndex(t)
	m := New(ix)
	var b strings.Builder
	screen := func(label string, q lexscreen.Query) {
		ms, err := m.ScreenWith(q, Options{Threshold: 0.5, Limit: 5})
		if err != nil {
			fmt.Fprintf(&b, "%s %q: error %v\n", label, q.Name, err)
			return
		}
		fmt.Fprintf(&b, "%s %q %s %v:", label, q.Name, q.BirthDate, q.Countries)
		for _, mt := range ms {
			fmt.Fprintf(&b, " %s=%.3f/%.3f", mt.Entity.ID, mt.Score, mt.Explanation.NameScore)
		}
		b.WriteByte('\n')
	}
	pair := func(label, schema, query, listed string) {
		s := lexscreen.ParseSchema(schema)
		if schema == "" {
			s = ""
		}
		e := &lexscreen.Entity{ID: "golden:1", Source: "golden", Schema: s,
			Names: []lexscreen.Name{{Full: listed, Kind: lexscreen.NamePrimary}}}
		mt, ok := m.ExplainPair(lexscreen.Query{Name: query, Schema: s}, e)
		fmt.Fprintf(&b, "%s %s %q ~ %q: %v %.3f %s\n", label, schema, query, listed, ok, mt.Score, goldenTokens(mt.Explanation.Tokens))
	}
	for _, r := range readGoldenCSV(t, "golden_names.csv") {
		screen("name", lexscreen.Query{Name: r[0]})
	}
	for _, r := range readGoldenCSV(t, "golden_negatives.csv") {
		screen("negative", lexscreen.Query{Name: r[0], Schema: lexscreen.SchemaPerson, BirthDate: r[5], Countries: []string{r[7]}})
	}
	for _, q := range benchQueries(es, 600) {
		screen("typo", q)
	}
	for _, r := range readGoldenCSV(t, "golden_name_pairs.csv") {
		pair("bench", r[1], r[2], r[3])
		pair("bench-rev", r[1], r[3], r[2])
	}
	for _, r := range readGoldenCSV(t, "golden_watchman_pairs.csv") {
		pair("watchman", "", r[0], r[1])
	}
	got := b.String()
	path := filepath.Join("testdata", "golden_scores.txt")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	if len(gl) != len(wl) {
		t.Errorf("%d lines, golden file has %d", len(gl), len(wl))
	}
	bad := 0
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			bad++
			if bad <= 20 {
				t.Errorf("line %d:\n got  %s\n want %s", i+1, gl[i], wl[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d lines differ from %s", bad, len(wl), path)
	}
}

// goldenTokens writes a match's token alignments compactly.
func goldenTokens(ts []lexscreen.TokenAlignment) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s~%s:%s:%.3f:%.3f", t.Query, t.Listed, t.How, t.Similarity, t.Weight))
	}
	return strings.Join(parts, " ")
}

// readGoldenCSV reads a CSV of testdata without its header.
func readGoldenCSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}
