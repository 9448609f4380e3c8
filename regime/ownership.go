package regime

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lexscreen/lexscreen"
)

// ownershipRule is a regime's rule on entities its listed persons own or
// control (data: sanctions_regimes[].ownership). US: 50% or more, in the
// aggregate, ownership only. EU and UK: more than 50% held by one listed
// person, or control.
type ownershipRule struct {
	Rule      string  `yaml:"rule"`
	Threshold float64 `yaml:"threshold"` // percent
	AtLeast   bool    `yaml:"at_least"`  // true: threshold or more; false: more than the threshold
	Aggregate bool    `yaml:"aggregate"` // add up the holdings of several listed owners
	Control   bool    `yaml:"control"`   // control without a known share is enough
}

// reaches reports whether a share meets the rule's threshold.
func (r ownershipRule) reaches(pct float64) bool {
	if r.AtLeast {
		return pct >= r.Threshold
	}
	return pct > r.Threshold
}

// OwnershipGraph says who owns or controls which listed or linked entity,
// as the lists themselves say it (links "owned_by", "owner_of",
// "owned_or_controlled_by", "subsidiary_of"). It is built once with the
// index (OwnershipBuilder) and read, never changed, by any number of
// evaluations.
type OwnershipGraph struct {
	owners map[string][]ownerEdge // by owned entity id
	nodes  map[string]*ownerNode  // the entities that own, are owned or are listed
	// Unresolved counts ownership links whose target could not be found by
	// id or by an unambiguous name in the same source: they are not used.
	Unresolved int
	edges      int
	// v, when set, is the graph read in place (DecodeOwnership); owners
	// and nodes are nil then.
	v *ownerView
}

// Edges returns the number of ownership relations in the graph.
func (g *OwnershipGraph) Edges() int {
	if g == nil {
		return 0
	}
	return g.edges
}

// ownerNode is what the graph keeps of an entity.
type ownerNode struct {
	id, source, caption string
	schema              lexscreen.Schema
	designations        []lexscreen.Designation
}

// ownerEdge is one holding: owner holds percent of the owned entity (-1:
// share not given), or controls it (control: the source says "owned or
// controlled", or names it a subsidiary), from start until end (zero:
// open).
type ownerEdge struct {
	owner      string
	percent    float64
	given      string // the share as the source writes it
	control    bool
	relation   string
	start, end time.Time
}

// current reports whether the holding is in force on t (dates the source
// gives; none given: in force).
func (e ownerEdge) current(t time.Time) bool {
	if !e.start.IsZero() && t.Before(e.start) {
		return false
	}
	return e.end.IsZero() || t.Before(e.end)
}

// OwnershipBuilder collects the ownership links of the entities added,
// for one OwnershipGraph.
type OwnershipBuilder struct {
	g *OwnershipGraph
	// byName maps source + normalised name to the listed entity bearing it
	// ("" when two entities bear it: ambiguous, not used).
	byName  map[string]string
	pending []pendingOwnership
	seen    map[edgeKey]bool
	keyBuf  []byte // a byName key being built (appendNameKey)
}

// edgeKey identifies a holding, whichever side of it the source wrote.
type edgeKey struct {
	owned, owner, given, relation string
	start, end                    int64
}

type pendingOwnership struct {
	owned, owner string // entity ids; owner "" when named only
	source, name string // the owner's name, when named only
	edge         ownerEdge
}

// NewOwnershipBuilder returns an empty builder.
func NewOwnershipBuilder() *OwnershipBuilder {
	return &OwnershipBuilder{g: &OwnershipGraph{owners: map[string][]ownerEdge{}, nodes: map[string]*ownerNode{}},
		byName: map[string]string{}, seen: map[edgeKey]bool{}}
}

// ownershipRelations maps link relations to (the entity is the owned side,
// the source says control).
var ownershipRelations = map[string]struct{ owned, control bool }{
	"owned_by":               {true, false},
	"owner_of":               {false, false},
	"owned_or_controlled_by": {true, true},
	"controlled_by":          {true, true},
	"subsidiary_of":          {true, true},
	"parent_of":              {false, true},
}

// Add records an entity: its ownership links, and the entity itself when it
// is listed or linked (an owner, or an intermediate in a chain).
func (b *OwnershipBuilder) Add(e *lexscreen.Entity) {
	linked := false
	for _, l := range e.Links {
		if _, ok := ownershipRelations[l.Relation]; ok {
			linked = true
		}
	}
	if !linked && len(e.Designations) == 0 {
		return
	}
	b.g.nodes[e.ID] = &ownerNode{id: e.ID, source: e.Source, caption: e.Caption(), schema: e.Schema, designations: e.Designations}
	if len(e.Designations) > 0 {
		for _, n := range e.Names {
			b.keyBuf = appendNameKey(append(append(b.keyBuf[:0], e.Source...), 0), n.Full)
			if old, ok := b.byName[string(b.keyBuf)]; ok && old != e.ID {
				b.byName[string(b.keyBuf)] = ""
			} else if !ok {
				b.byName[string(b.keyBuf)] = e.ID
			}
		}
	}
	for _, l := range e.Links {
		rel, ok := ownershipRelations[l.Relation]
		if !ok {
			continue
		}
		edge := ownerEdge{percent: -1, given: l.Percent, control: rel.control, relation: l.Relation}
		if p, ok := parsePercent(l.Percent); ok {
			edge.percent = p
		}
		edge.start, edge.end = linkDate(l.Start, false), linkDate(l.End, true)
		p := pendingOwnership{edge: edge}
		switch {
		case rel.owned:
			p.owned, p.owner, p.source, p.name = e.ID, l.TargetID, e.Source, l.Target
		case l.TargetID != "":
			p.owned, p.owner = l.TargetID, e.ID
		default:
			continue // "owner of <name>": the owned entity is not a list entry
		}
		b.pending = append(b.pending, p)
	}
}

// Build resolves the links named only by name and returns the graph. The
// builder must not be used afterwards.
func (b *OwnershipBuilder) Build() *OwnershipGraph {
	g := b.g
	for _, p := range b.pending {
		if p.owner == "" {
			b.keyBuf = appendNameKey(append(append(b.keyBuf[:0], p.source...), 0), p.name)
			p.owner = b.byName[string(b.keyBuf)]
			if p.owner == "" || p.owner == p.owned {
				g.Unresolved++
				continue
			}
		}
		p.edge.owner = p.owner
		// The two sides of one FtM Ownership give the same holding twice.
		rel := p.edge.relation
		switch rel {
		case "owner_of":
			rel = "owned_by"
		case "parent_of":
			rel = "subsidiary_of"
		}
		k := edgeKey{p.owned, p.owner, p.edge.given, rel, p.edge.start.Unix(), p.edge.end.Unix()}
		if b.seen[k] {
			continue
		}
		b.seen[k] = true
		g.owners[p.owned] = append(g.owners[p.owned], p.edge)
		g.edges++
	}
	b.pending, b.byName, b.seen = nil, nil, nil
	return g
}

// appendNameKey appends the key of a name to b, for matching a link
// target written by name: lower case, its words of letters and digits
// joined by one space (namekey_test.go has the plain reading).
func appendNameKey(b []byte, s string) []byte {
	start, gap := len(b), false
	for _, r := range s {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && len(b) > start {
			b = append(b, ' ')
		}
		gap = false
		b = utf8.AppendRune(b, r)
	}
	return b
}

// parsePercent reads a share ("51", "50.5", "100%", "51 %"); false when
// none, or not within 0..100.
func parsePercent(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, false
	}
	p, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || !(p >= 0 && p <= 100) { // also refuses NaN
		return 0, false
	}
	return p, true
}

// linkDate reads a relation date (YYYY, YYYY-MM or YYYY-MM-DD, as FtM
// writes them); zero when absent or unreadable. A partial date is read so
// that the holding lasts longest: a start from its first day, an end
// (end true) from the day after its last.
func linkDate(s string, end bool) time.Time {
	pd, err := lexscreen.ParseISODate(strings.TrimSpace(s))
	if err != nil || pd.IsZero() {
		return time.Time{}
	}
	if end && pd.Precision() != "day" {
		return pd.Last().AddDate(0, 0, 1)
	}
	return pd.First()
}

// checkOwnership validates the regimes' ownership rules: a known rule, a
// threshold within 0..100, a regime with a jurisdiction.
func (e *Engine) checkOwnership() error {
	for _, r := range e.regimes {
		o := r.Ownership
		if o == nil {
			continue
		}
		if _, ok := e.rules[o.Rule]; !ok {
			return invalidf("regime data", "regime %s: ownership names unknown rule %q", r.ID, o.Rule)
		}
		if o.Threshold <= 0 || o.Threshold > 100 {
			return invalidf("regime data", "regime %s: ownership threshold %g: want a percentage above 0, at most 100", r.ID, o.Threshold)
		}
		if r.Jurisdiction == "" {
			return invalidf("regime data", "regime %s: an ownership rule needs the regime's jurisdiction", r.ID)
		}
	}
	return nil
}
