// Package report turns an exposure report (regime.Report: what binds an
// operator on a date) into the views a compliance officer reads and files:
// counts by list and program, the difference a what-if overlay makes, and
// exports as XLSX (every listing and obligation) and PDF (the summary, the
// listings in conflict or that must not be complied with, and what the
// overlay changes).
package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
)

// Section names, in the order a report lists them (regime.Report's fields).
const (
	InConflict    = "in_conflict"
	Binding       = "binding"
	MustNotComply = "must_not_comply"
	DateUnknown   = "date_unknown"
	RiskOnly      = "risk_only"
	NoLegalEffect = "no_legal_effect"
	NotApplicable = "not_applicable"
)

// Sections are the sections in order, with the words a reader sees.
var Sections = []struct{ ID, Title string }{
	{InConflict, "In conflict"},
	{Binding, "Binding"},
	{MustNotComply, "Must not comply"},
	{DateUnknown, "Listing date unknown"},
	{RiskOnly, "Risk only"},
	{NoLegalEffect, "No legal effect"},
}

// Exposure is what an export holds: the report without an overlay, and
// with one when Overlay is set.
type Exposure struct {
	Operator    string
	Date        string
	Lists       []lexscreen.ListVersion
	Warnings    []string
	Base        regime.Report
	Overlay     *regime.Report // nil: no overlay
	OverlayName string         // what the overlay is (its first comment line or file name)
	Generated   time.Time
}

// Item is a report item with its section.
type Item struct {
	Section string
	regime.Item
}

// Items lists a report's items, section by section in report order.
func Items(r regime.Report) []Item {
	var out []Item
	for _, s := range []struct {
		id    string
		items []regime.Item
	}{{InConflict, r.InConflict}, {Binding, r.Binding}, {MustNotComply, r.MustNotComply}, {DateUnknown, r.DateUnknown},
		{RiskOnly, r.RiskOnly}, {NoLegalEffect, r.NoLegalEffect}} {
		for _, it := range s.items {
			out = append(out, Item{Section: s.id, Item: it})
		}
	}
	return out
}

// Counts are the listings of each section (NotApplicable included).
func Counts(r regime.Report) map[string]int {
	return map[string]int{InConflict: len(r.InConflict), Binding: len(r.Binding), MustNotComply: len(r.MustNotComply),
		DateUnknown: len(r.DateUnknown), RiskOnly: len(r.RiskOnly), NoLegalEffect: len(r.NoLegalEffect), NotApplicable: r.NotApplicable}
}

// ProgramRow counts the listings of one program of one list by section,
// and names the kinds of duty they carry.
type ProgramRow struct {
	Source   string         `json:"source"`
	Program  string         `json:"program"`
	Sections map[string]int `json:"sections"`
	Kinds    []string       `json:"kinds"`
	Total    int            `json:"total"`
}

// ByProgram counts a report by list and program. A listing under several
// programs counts in each; one under none counts under "(no program)".
func ByProgram(r regime.Report) []ProgramRow {
	rows := map[[2]string]*ProgramRow{}
	for _, it := range Items(r) {
		progs := it.Programs
		if len(progs) == 0 {
			progs = []string{"(no program)"}
		}
		for _, p := range progs {
			k := [2]string{it.Source, p}
			row := rows[k]
			if row == nil {
				row = &ProgramRow{Source: it.Source, Program: p, Sections: map[string]int{}}
				rows[k] = row
			}
			row.Sections[it.Section]++
			row.Total++
			for _, o := range it.Obligations {
				if !slices.Contains(row.Kinds, string(o.Kind)) {
					row.Kinds = append(row.Kinds, string(o.Kind))
				}
			}
		}
	}
	out := make([]ProgramRow, 0, len(rows))
	for _, row := range rows {
		slices.Sort(row.Kinds)
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b ProgramRow) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Program, b.Program))
	})
	return out
}

// Change is a listing whose section an overlay changes.
type Change struct {
	EntityID string `json:"entity_id"`
	Name     string `json:"name"`
	Source   string `json:"source"`
	Without  string `json:"without" doc:"section without the overlay (not_applicable when in none)"`
	With     string `json:"with" doc:"section with the overlay"`
	// Kinds are the duties with the overlay (what the operator must now do).
	Kinds []string `json:"kinds"`
}

// Compare lists the listings whose section differs between the reports,
// in the order of the overlay report's sections.
func Compare(without, with regime.Report) []Change {
	before := map[string]string{}
	for _, it := range Items(without) {
		before[it.EntityID] = it.Section
	}
	seen := map[string]bool{}
	var out []Change
	for _, it := range Items(with) {
		seen[it.EntityID] = true
		b := cmp.Or(before[it.EntityID], NotApplicable)
		if b == it.Section {
			continue
		}
		var kinds []string
		for _, o := range it.Obligations {
			if !slices.Contains(kinds, string(o.Kind)) {
				kinds = append(kinds, string(o.Kind))
			}
		}
		out = append(out, Change{EntityID: it.EntityID, Name: it.Name, Source: it.Source, Without: b, With: it.Section, Kinds: kinds})
	}
	for _, it := range Items(without) {
		if !seen[it.EntityID] {
			out = append(out, Change{EntityID: it.EntityID, Name: it.Name, Source: it.Source, Without: it.Section, With: NotApplicable, Kinds: []string{}})
		}
	}
	return out
}

// SectionTitle is a section's words ("Binding"); an unknown id is returned as is.
func SectionTitle(id string) string {
	for _, s := range Sections {
		if s.ID == id {
			return s.Title
		}
	}
	if id == NotApplicable {
		return "Not applicable"
	}
	return id
}
