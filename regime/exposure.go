package regime

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Item is one listing in an exposure report, with what it requires.
type Item struct {
	EntityID string `json:"entity_id"`
	Source   string `json:"source"`
	Name     string `json:"name"`
	// Programs are the programs of the listing's designations (the
	// authority when a designation names none), sorted.
	Programs    []string               `json:"programs,omitempty"`
	Obligations []lexscreen.Obligation `json:"obligations"`
	// Conflicts are the duties of this listing the operator cannot all meet,
	// with the ways out (items in conflict).
	Conflicts []lexscreen.Conflict `json:"conflicts,omitempty"`
}

// Report is an operator's exposure on a date across many listings. Every
// listing is counted once, in the first section that fits: in conflict
// (binding duties a blocking statute forbids it to comply with), binding,
// must not comply, listing date unknown (it would bind or forbid, but is not
// shown to be in force on the date), risk only, no legal effect, or not
// applicable. Each section is sorted by entity id in natural order (numbers
// as numbers).
type Report struct {
	Operator      string `json:"operator"`
	Date          string `json:"date"`
	Listings      int    `json:"listings"`        // listings evaluated: the sum of the sections and not_applicable
	Binding       []Item `json:"binding"`         // BLOCK, REJECT, FREEZE, REPORT, ARREST_AND_SURRENDER or DENY_ENTRY, no conflict
	InConflict    []Item `json:"in_conflict"`     // binding duties and DO_NOT_COMPLY in conflict; each item carries its conflicts
	MustNotComply []Item `json:"must_not_comply"` // DO_NOT_COMPLY (with NOTIFY where interests are affected) and nothing binding
	DateUnknown   []Item `json:"date_unknown"`    // would bind or forbid, but the listing date is unknown on the date: not counted as binding
	RiskOnly      []Item `json:"risk_only"`       // RISK and nothing binding
	NoLegalEffect []Item `json:"no_legal_effect"` // NO_LEGAL_EFFECT only (hostile listings)
	NotApplicable int    `json:"not_applicable"`  // listings that require nothing of this operator
}

var bindingKinds = map[lexscreen.ObligationKind]bool{lexscreen.ObligationBlock: true, lexscreen.ObligationFreeze: true, lexscreen.ObligationReport: true, lexscreen.ObligationArrestAndSurrender: true, lexscreen.ObligationReject: true, lexscreen.ObligationDenyEntry: true}

// Exposure evaluates every listing for op on date and sorts them by effect.
// The listings are entries of a list, not parties the operator is shown to
// deal with: where its profile does not say that an annexed law affects its
// interests, no duty to inform (NOTIFY) is derived (see
// Operator.InterestsAffected).
func (e *Engine) Exposure(op Operator, date time.Time, listings []Listing) (Report, error) {
	rep := Report{Operator: op.Name, Date: date.Format(dfmt), Listings: len(listings), Binding: []Item{}, InConflict: []Item{},
		MustNotComply: []Item{}, DateUnknown: []Item{}, RiskOnly: []Item{}, NoLegalEffect: []Item{}}
	for _, l := range listings {
		out, err := e.evaluate(op, date, l, false)
		if err != nil {
			return Report{}, err
		}
		if out.reasonsOnly {
			// Only the reasons why nothing binds: not applicable here. A hostile
			// listing's NO_LEGAL_EFFECT is a finding and is listed below.
			rep.NotApplicable++
			continue
		}
		it := Item{EntityID: l.EntityID, Source: l.Source, Name: l.name(), Programs: programsOf(l), Obligations: out.obs, Conflicts: out.conflicts}
		dated, all := map[lexscreen.ObligationKind]bool{}, map[lexscreen.ObligationKind]bool{}
		for i, o := range out.obs {
			all[o.Kind] = true
			if !out.undated[i] {
				dated[o.Kind] = true
			}
		}
		binds := anyKind(dated, bindingKinds)
		switch {
		case len(out.conflicts) > 0 && binds && dated[lexscreen.ObligationDoNotComply]:
			rep.InConflict = append(rep.InConflict, it)
		case binds:
			rep.Binding = append(rep.Binding, it)
		case dated[lexscreen.ObligationDoNotComply]:
			rep.MustNotComply = append(rep.MustNotComply, it)
		case anyKind(all, bindingKinds) || all[lexscreen.ObligationDoNotComply]:
			rep.DateUnknown = append(rep.DateUnknown, it)
		case all[lexscreen.ObligationRisk]:
			rep.RiskOnly = append(rep.RiskOnly, it)
		case all[lexscreen.ObligationNoLegalEffect]:
			rep.NoLegalEffect = append(rep.NoLegalEffect, it)
		default:
			rep.NotApplicable++
		}
	}
	for _, sec := range [][]Item{rep.Binding, rep.InConflict, rep.MustNotComply, rep.DateUnknown, rep.RiskOnly, rep.NoLegalEffect} {
		sort.SliceStable(sec, func(i, j int) bool { return NaturalLess(sec[i].EntityID, sec[j].EntityID) })
	}
	return rep, nil
}

func anyKind(have, want map[lexscreen.ObligationKind]bool) bool {
	for k := range have {
		if want[k] {
			return true
		}
	}
	return false
}

// programsOf lists the programs of a listing's designations (the authority
// for one with no program), sorted, without repeats.
func programsOf(l Listing) []string {
	var ps []string
	for _, d := range l.Designations {
		p := d.Program
		if p == "" {
			p = d.Authority
		}
		if p != "" && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	sort.Strings(ps)
	return ps
}

// Sections returns the report's sections in order, with their titles.
func (r Report) Sections() []Section {
	return []Section{
		{"binding", "Binding", r.Binding},
		{"in_conflict", "In conflict (binding duties a blocking statute forbids complying with)", r.InConflict},
		{"must_not_comply", "Must not comply (blocking statutes)", r.MustNotComply},
		{"date_unknown", "Listing date unknown (would bind or forbid if listed on the date; not counted as binding)", r.DateUnknown},
		{"risk_only", "Risk only", r.RiskOnly},
		{"no_legal_effect", "No legal effect", r.NoLegalEffect},
	}
}

// Section is one part of a report: its key (the JSON field), title and items.
type Section struct {
	Key, Title string
	Items      []Item
}

// String renders the report as text.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Exposure of %s on %s (%d listings)\n", r.Operator, r.Date, r.Listings)
	for _, sec := range r.Sections() {
		fmt.Fprintf(&b, "\n%s (%d)\n", sec.Title, len(sec.Items))
		for _, it := range sec.Items {
			fmt.Fprintf(&b, "  %s  %s%s\n", it.EntityID, it.Name, parenNote(strings.Join(it.Programs, ", ")))
			for _, o := range it.Obligations {
				fmt.Fprintf(&b, "    %-20s %s [%s]%s\n", o.Kind, o.Authority, o.Confidence, deadlineSuffix(o.Deadline))
			}
			for _, c := range it.Conflicts {
				b.WriteString("    Conflict:\n")
				b.WriteString(c.Text("      "))
			}
		}
	}
	fmt.Fprintf(&b, "\nNot applicable to this operator: %d\n", r.NotApplicable)
	return b.String()
}

// NaturalLess orders strings with their runs of digits compared as numbers
// ("sdn:9" before "sdn:10"), the rest byte by byte.
func NaturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := isDigit(a[0]), isDigit(b[0])
		if da && db {
			na, ra := digitRun(a)
			nb, rb := digitRun(b)
			ta, tb := strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
			if len(ta) != len(tb) {
				return len(ta) < len(tb)
			}
			if ta != tb {
				return ta < tb
			}
			if len(na) != len(nb) { // equal values: fewer leading zeros first
				return len(na) < len(nb)
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digitRun splits s into its leading run of digits and the rest.
func digitRun(s string) (string, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}
