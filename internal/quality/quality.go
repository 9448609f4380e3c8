// Package quality measures the name matcher: precision and recall on the
// labelled benchmarks in the shared evaluation set, recall on generated
// variants of listed names, false alerts on people who are on no list, speed,
// and a synthetic corpus for scale tests.
//
// The matcher is reached only through the PairScorer and Screener interfaces
// declared here, so this package does not depend on package match.
//
// Every evaluator returns a report struct with JSON tags and a String method
// for humans. Evaluators that read a file never panic on bad input: a file
// that cannot be read or parsed is reported in the report's Error field.
package quality

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// PairScorer scores a query against one candidate entity (no index involved).
type PairScorer interface {
	ScorePair(q lexscreen.Query, candidate *lexscreen.Entity) float64 // calibrated 0..1
	Threshold() float64                                               // default decision threshold
}

// Screener screens a query against an index of listed entities and returns
// the matches at or above its threshold, best first.
type Screener interface {
	Screen(q lexscreen.Query) []lexscreen.Match
}

// MapSchema maps the schema names of the nomenklatura / FollowTheMoney
// benchmarks to lexscreen schemas: Person -> person,
// Company/Organization/LegalEntity -> organization, Vessel -> vessel,
// Airplane -> aircraft, anything else -> unknown.
func MapSchema(s string) lexscreen.Schema {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person":
		return lexscreen.SchemaPerson
	case "company", "organization", "organisation", "legalentity", "publicbody":
		return lexscreen.SchemaOrganization
	case "vessel":
		return lexscreen.SchemaVessel
	case "airplane", "aircraft":
		return lexscreen.SchemaAircraft
	}
	return lexscreen.SchemaUnknown
}

// Confusion counts binary decisions against labels and derives the usual
// rates from them.
type Confusion struct {
	N         int     `json:"n"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	TN        int     `json:"tn"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Accuracy  float64 `json:"accuracy"`
}

// Add counts one decision.
func (c *Confusion) Add(expected, predicted bool) {
	c.N++
	switch {
	case expected && predicted:
		c.TP++
	case expected && !predicted:
		c.FN++
	case !expected && predicted:
		c.FP++
	default:
		c.TN++
	}
	c.finish()
}

func (c *Confusion) finish() {
	c.Precision = ratio(c.TP, c.TP+c.FP)
	c.Recall = ratio(c.TP, c.TP+c.FN)
	if c.Precision+c.Recall > 0 {
		c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
	} else {
		c.F1 = 0
	}
	c.Accuracy = ratio(c.TP+c.TN, c.N)
}

// String is a one-line summary.
func (c Confusion) String() string {
	return fmt.Sprintf("n=%d P=%.3f R=%.3f F1=%.3f acc=%.3f (tp=%d fp=%d tn=%d fn=%d)",
		c.N, c.Precision, c.Recall, c.F1, c.Accuracy, c.TP, c.FP, c.TN, c.FN)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// labelled is one scored example with its label, for threshold sweeps.
type labelled struct {
	score float64
	match bool
}

// Sweep is the result of trying every threshold on a labelled, scored set.
type Sweep struct {
	BestThreshold float64 `json:"best_threshold"` // the threshold with the best F1 (the lowest such)
	BestF1        float64 `json:"best_f1"`
	BestPrecision float64 `json:"best_precision"`
	BestRecall    float64 `json:"best_recall"`
	// AUC is the area under the ROC curve: the probability that a random
	// positive scores above a random negative (ties count half). It does
	// not depend on any threshold.
	AUC float64 `json:"auc"`
}

// sweep tries, as threshold, every distinct score (decision: score >= t)
// and returns the one with the best F1, plus the ROC AUC.
func sweep(xs []labelled) Sweep {
	var sw Sweep
	if len(xs) == 0 {
		return sw
	}
	s := append([]labelled(nil), xs...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].score > s[j].score })
	pos := 0
	for _, x := range s {
		if x.match {
			pos++
		}
	}
	neg := len(s) - pos
	tp, fp := 0, 0
	var aucSum float64
	for i := 0; i < len(s); {
		j := i
		gtp, gfp := 0, 0
		for j < len(s) && s[j].score == s[i].score {
			if s[j].match {
				gtp++
			} else {
				gfp++
			}
			j++
		}
		// every negative in this tie group ranks below the positives
		// already seen, and ties with those in the group.
		aucSum += float64(gfp) * (float64(tp) + float64(gtp)/2)
		tp += gtp
		fp += gfp
		p := ratio(tp, tp+fp)
		r := ratio(tp, pos)
		f1 := 0.0
		if p+r > 0 {
			f1 = 2 * p * r / (p + r)
		}
		// strictly better only: on equal F1 the higher (stricter) threshold,
		// seen first, is kept.
		if f1 > sw.BestF1 {
			sw.BestF1, sw.BestThreshold, sw.BestPrecision, sw.BestRecall = f1, s[i].score, p, r
		}
		i = j
	}
	if pos > 0 && neg > 0 {
		sw.AUC = aucSum / float64(pos*neg)
	}
	return sw
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// pct formats a share as a percentage.
func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// finite replaces NaN and infinities (which JSON cannot carry) with 0.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// entityWithName builds a candidate entity with one primary name.
func entityWithName(id string, schema lexscreen.Schema, name string) *lexscreen.Entity {
	e := &lexscreen.Entity{ID: id, Source: "quality", Schema: schema}
	n := lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary}
	if schema == lexscreen.SchemaPerson {
		n.Parts = commaNameParts(name)
	}
	e.AddName(n)
	return e
}

// commaNameParts splits an OFAC-style "LAST, First Middle" person name into
// tagged parts the way the OFAC source does; nil when there is no comma.
func commaNameParts(full string) []lexscreen.NamePart {
	i := strings.Index(full, ",")
	if i < 0 {
		return nil
	}
	family := strings.TrimSpace(full[:i])
	rest := strings.Fields(full[i+1:])
	if family == "" || len(rest) == 0 {
		return nil
	}
	parts := []lexscreen.NamePart{{Kind: lexscreen.PartGiven, Value: rest[0]}}
	if len(rest) > 1 {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartMiddle, Value: strings.Join(rest[1:], " ")})
	}
	return append(parts, lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: family})
}

// errString is err's message, or "".
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
