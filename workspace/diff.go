package workspace

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Changes is what changed between an alert and the earlier one on the
// same (subject, listed entity) pair that it follows.
type Changes struct {
	Subject *FingerprintChange `json:"subject,omitempty"` // the subject's screening fields changed
	Listing *FingerprintChange `json:"listing,omitempty"` // the listing changed
	Fields  []FieldChange      `json:"fields,omitempty"`
	// PreviousStatus is the earlier alert's status when this one opened
	// (false_positive: a suppressed pair alerts again).
	PreviousStatus string `json:"previous_status"`
	Summary        string `json:"summary"`
}

// FingerprintChange is an old and a new fingerprint.
type FingerprintChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// FieldChange is one field that changed: values added and removed.
type FieldChange struct {
	Side    string   `json:"side"`  // "subject" or "listing"
	Field   string   `json:"field"` // "name", "dob", "country", "identifiers", "names", "birth_dates" ...
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// diffAlert says what changed from prev to a.
func diffAlert(prev, a *Alert) *Changes {
	c := &Changes{PreviousStatus: prev.Status}
	if prev.Subject.Fingerprint != a.Subject.Fingerprint {
		c.Subject = &FingerprintChange{Old: prev.Subject.Fingerprint, New: a.Subject.Fingerprint}
		c.Fields = append(c.Fields, subjectFields(prev.Subject.Query, a.Subject.Query)...)
	}
	if prev.EntityFingerprint != a.EntityFingerprint {
		c.Listing = &FingerprintChange{Old: prev.EntityFingerprint, New: a.EntityFingerprint}
		c.Fields = append(c.Fields, listingFields(prev, a)...)
	}
	var parts []string
	if c.Subject != nil {
		parts = append(parts, "the subject's data changed")
	}
	if c.Listing != nil {
		parts = append(parts, "the listing changed")
	}
	if len(parts) == 0 {
		parts = append(parts, "alerted again")
	}
	for _, f := range c.Fields {
		if len(f.Added) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s added %s", f.Side, f.Field, strings.Join(f.Added, "; ")))
		}
		if len(f.Removed) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s removed %s", f.Side, f.Field, strings.Join(f.Removed, "; ")))
		}
	}
	c.Summary = strings.Join(parts, ", ")
	if prev.Status == StatusFalsePositive {
		c.Summary = "re-alert after an approved false positive (alert " + fmt.Sprint(prev.ID) + "): " + c.Summary
	}
	return c
}

// subjectFields compares two queries field by field.
func subjectFields(old, cur lexscreen.Query) []FieldChange {
	var out []FieldChange
	add := func(field string, o, n []string) {
		if fc, ok := setDiff("subject", field, o, n); ok {
			out = append(out, fc)
		}
	}
	add("name", one(old.Name), one(cur.Name))
	add("type", one(string(old.Schema)), one(string(cur.Schema)))
	add("dob", one(old.BirthDate), one(cur.BirthDate))
	add("country", old.Countries, cur.Countries)
	add("identifiers", old.Identifiers, cur.Identifiers)
	return out
}

// listingFields compares two listings: their whole content when both
// alerts froze it, else the names and designations of their matches.
func listingFields(prev, a *Alert) []FieldChange {
	var out []FieldChange
	add := func(field string, o, n []string) {
		if fc, ok := setDiff("listing", field, o, n); ok {
			out = append(out, fc)
		}
	}
	if prev.Entity != nil && a.Entity != nil {
		o, n := prev.Entity, a.Entity
		add("names", names(o), names(n))
		add("birth_dates", dates(o.BirthDates), dates(n.BirthDates))
		add("nationalities", countries(o.Nationalities), countries(n.Nationalities))
		add("citizenships", countries(o.Citizenships), countries(n.Citizenships))
		add("identifiers", identifiers(o), identifiers(n))
		add("designations", designations(o.Designations), designations(n.Designations))
		add("remarks", one(o.Remarks), one(n.Remarks))
		if len(out) == 0 {
			out = append(out, FieldChange{Side: "listing", Field: "other", Added: []string{"a field lexscreen does not compare changed (addresses, links, attributes ...)"}})
		}
		return out
	}
	om, nm := prev.Match(), a.Match()
	if om != nil && nm != nil {
		add("names", om.Entity.Names, nm.Entity.Names)
		add("designations", designations(om.Designations), designations(nm.Designations))
	}
	return out
}

func setDiff(side, field string, old, cur []string) (FieldChange, bool) {
	fc := FieldChange{Side: side, Field: field}
	for _, v := range cur {
		if !slices.Contains(old, v) {
			fc.Added = append(fc.Added, v)
		}
	}
	for _, v := range old {
		if !slices.Contains(cur, v) {
			fc.Removed = append(fc.Removed, v)
		}
	}
	return fc, len(fc.Added)+len(fc.Removed) > 0
}

func one(s string) []string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return []string{s}
}

func names(e *lexscreen.Entity) []string {
	var out []string
	for _, n := range e.Names {
		out = append(out, n.Full)
	}
	return out
}

func dates(ds []lexscreen.DateValue) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func countries(cs []lexscreen.Country) []string {
	var out []string
	for _, c := range cs {
		v := c.Code
		if v == "" {
			v = c.Name
		}
		out = append(out, v)
	}
	return out
}

func identifiers(e *lexscreen.Entity) []string {
	var out []string
	for _, id := range e.Identifiers {
		out = append(out, strings.TrimSpace(string(id.Kind)+" "+id.Number))
	}
	return out
}

func designations(ds []lexscreen.Designation) []string {
	var out []string
	for _, d := range ds {
		out = append(out, strings.Join(slices.DeleteFunc([]string{d.Authority, d.List, d.Program, d.Reference, d.ListedOn.String()},
			func(s string) bool { return s == "" }), " "))
	}
	return out
}
