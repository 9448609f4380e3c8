// Package icccoop is the ICC cooperation picture on a date: the warrants
// whose subjects are at large, the States they bind (States Parties, art.
// 12(3) declarants), the recorded visits of wanted persons to States Parties
// without arrest, and the Court's findings of non-compliance (art. 87(7)).
//
// Every fact is dated and cited with its confidence tag, and a report for a
// date states nothing that happened after it.
package icccoop

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lexscreen/lexscreen/regime"
)

//go:embed data/cooperation.yaml
var cooperationYAML []byte

const dfmt = "2006-01-02"

// Visit is a stay of a wanted person in a State Party that did not end in
// the person's surrender.
type Visit struct {
	ID         string `yaml:"id" json:"id"`
	Person     string `yaml:"person" json:"person"`
	Entity     string `yaml:"entity" json:"entity" doc:"the warrant's entity id (icc-warrants list)"`
	State      string `yaml:"state" json:"state" doc:"ISO code of the State visited"`
	From       string `yaml:"from" json:"from"`
	To         string `yaml:"to" json:"to"`
	Outcome    string `yaml:"outcome" json:"outcome" enum:"not_arrested,released"`
	Detail     string `yaml:"detail" json:"detail"`
	Confidence string `yaml:"confidence" json:"confidence"`
	Source     string `yaml:"source" json:"source"`
	// PartyStatus is the State's Rome Statute status on the first day of the
	// visit (regime.ICCStates), "" when it was neither party nor declarant.
	PartyStatus string `yaml:"-" json:"party_status"`
}

// Finding is the Court's decision on a State's failure to cooperate, or the
// record that none was found.
type Finding struct {
	ID         string `yaml:"id" json:"id"`
	State      string `yaml:"state" json:"state"`
	Visit      string `yaml:"visit" json:"visit" doc:"the id of the visit the finding is about"`
	Date       string `yaml:"date" json:"date"`
	Chamber    string `yaml:"chamber" json:"chamber,omitempty"`
	Outcome    string `yaml:"outcome" json:"outcome" enum:"referred,referral_deferred,no_finding_located"`
	Decision   string `yaml:"decision" json:"decision"`
	Confidence string `yaml:"confidence" json:"confidence"`
	Source     string `yaml:"source" json:"source"`
}

type record struct {
	Visits   []Visit   `yaml:"visits"`
	Findings []Finding `yaml:"findings"`
}

var confidences = map[string]bool{"V": true, "V-2nd": true, "D": true, "M": true, "NF": true}

// load reads and checks a cooperation record: known fields only, dates
// that parse, a known confidence, a source for every fact, and findings
// that name a recorded visit in the same State.
func load(b []byte) (record, error) {
	var r record
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("icccoop: %w", err)
	}
	visits := map[string]Visit{}
	for _, v := range r.Visits {
		if err := checkFact(v.ID, v.Confidence, v.Source, v.From, v.To); err != nil {
			return r, err
		}
		if v.To < v.From || v.State == "" || v.Entity == "" || (v.Outcome != "not_arrested" && v.Outcome != "released") {
			return r, fmt.Errorf("icccoop: visit %s: want a State, an entity, from <= to and outcome not_arrested or released", v.ID)
		}
		visits[v.ID] = v
	}
	for _, f := range r.Findings {
		if err := checkFact(f.ID, f.Confidence, f.Source, f.Date); err != nil {
			return r, err
		}
		v, ok := visits[f.Visit]
		if !ok || v.State != f.State {
			return r, fmt.Errorf("icccoop: finding %s: no visit %q in %s", f.ID, f.Visit, f.State)
		}
		switch f.Outcome {
		case "referred", "referral_deferred", "no_finding_located":
		default:
			return r, fmt.Errorf("icccoop: finding %s: outcome %q", f.ID, f.Outcome)
		}
	}
	return r, nil
}

func checkFact(id, conf, source string, dates ...string) error {
	if id == "" || !confidences[conf] || strings.TrimSpace(source) == "" {
		return fmt.Errorf("icccoop: fact %q: want an id, a confidence (V, V-2nd, D, M, NF) and a source", id)
	}
	for _, d := range dates {
		if _, err := time.Parse(dfmt, d); err != nil {
			return fmt.Errorf("icccoop: fact %s: date %q: want YYYY-MM-DD", id, d)
		}
	}
	return nil
}

// Warrant is one ICC arrest warrant and its subject's status on the date.
type Warrant struct {
	EntityID    string `json:"entity_id"`
	Name        string `json:"name"`
	Situation   string `json:"situation" doc:"situation code, e.g. ICC-01/22"`
	Program     string `json:"program" doc:"the situation's name as the list gives it"`
	Case        string `json:"case,omitempty"`
	Issued      string `json:"issued" doc:"the warrant's date as listed"`
	IssuedConf  string `json:"issued_confidence,omitempty"`
	Status      string `json:"status" doc:"at_large, released, unclear, arrested_by_state, in_icc_custody, convicted, acquitted, withdrawn, deceased"`
	StatusSince string `json:"status_since,omitempty"`
	StatusConf  string `json:"status_confidence"`
	HeldBy      string `json:"held_by,omitempty" doc:"ISO code of the State that arrested or released the person"`
	// AtLarge: not held by anyone on the date (at large, released, or
	// unclear: fail closed). DutyEnds: the duty to arrest and surrender has
	// ended (in the Court's custody, judged, withdrawn, deceased).
	AtLarge  bool     `json:"at_large"`
	DutyEnds bool     `json:"duty_ends"`
	Sources  []string `json:"sources,omitempty"`
	// Declarants are the art. 12(3) declarants whose declarations cover the
	// warrant's situation on the date (ISO codes): they are bound as well
	// as every State Party.
	Declarants []string `json:"declarants,omitempty"`
}

// warrantOf reads a listing of the ICC warrants list on t; false when the
// warrant was not yet issued.
func warrantOf(l regime.Listing, t time.Time) (Warrant, bool) {
	w := Warrant{EntityID: l.EntityID, Name: l.EntityID, Status: "at_large", StatusConf: "D"}
	if len(l.Names) > 0 {
		w.Name = l.Names[0]
	}
	for _, d := range l.Designations {
		if strings.EqualFold(d.Authority, "ICC") {
			if !d.ListedOn.IsZero() && t.Before(d.ListedOn.Earliest()) {
				return w, false
			}
			w.Program, w.Case, w.Issued = d.Program, d.Reference, d.ListedOn.String()
			break
		}
	}
	w.Situation = first(l.Attributes["situation_code"])
	w.IssuedConf = first(l.Attributes["warrant_date_confidence"])
	w.Sources = l.Attributes["source_url"]
	var last *regime.WarrantEntry
	for _, e := range regime.WarrantHistory(l.Attributes["warrant_status_history"]) {
		if e.Date.After(t) {
			break
		}
		last = &e
	}
	if last != nil {
		w.Status, w.StatusSince, w.StatusConf, w.HeldBy = last.Status, last.Date.Format(dfmt), last.Confidence, last.State
	} else if s := first(l.Attributes["warrant_status"]); s != "" && len(l.Attributes["warrant_status_history"]) == 0 {
		w.Status = s
	}
	switch w.Status {
	case "in_icc_custody", "convicted", "acquitted", "withdrawn", "deceased":
		w.DutyEnds = true
	case "arrested_by_state":
	default: // at_large, released, unclear, or a status not known here: fail closed
		w.AtLarge = true
	}
	return w, true
}

func first(v []string) string {
	if len(v) > 0 {
		return v[0]
	}
	return ""
}
