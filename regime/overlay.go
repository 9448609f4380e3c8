package regime

import (
	"strings"

	"github.com/lexscreen/lexscreen/countries"
)

// apply merges one overlay into the engine's data, one section after the
// other: blocking statutes, designations, States Parties, declarations,
// warrants, situations. The first invalid entry stops it with an error
// naming the overlay.
func (e *Engine) apply(name string, b []byte) error {
	var ov overlayFile
	if err := decodeStrict(name, b, &ov); err != nil {
		return err
	}
	e.facts.add("overlay", b)
	e.overlays++
	if err := e.applyStatutes(name, ov.BlockingStatutes); err != nil {
		return err
	}
	if err := e.applyDesignations(name, ov.Designations); err != nil {
		return err
	}
	if err := e.applyStatesParties(name, ov.StatesParties); err != nil {
		return err
	}
	if err := e.applyDeclarations(name, ov.Declarations); err != nil {
		return err
	}
	if err := e.applyWarrants(name, ov.Warrants); err != nil {
		return err
	}
	return e.applySituations(name, ov.Situations)
}

// applyStatutes adds programs to, or ends programs in, the Annex of known
// blocking statutes; an unknown statute or program is an error.
func (e *Engine) applyStatutes(name string, statutes []overlayStatute) error {
	for _, s := range statutes {
		idx := -1
		for i := range e.statutes {
			if e.statutes[i].ID == s.ID {
				idx = i
			}
		}
		if idx < 0 {
			return invalidf(name, "blocking_statutes: unknown statute %q (known: %s)", s.ID, strings.Join(e.statuteIDs(), ", "))
		}
		st := e.statutes[idx]
		st.Annex = append([]annexEntry(nil), st.Annex...)
		for _, a := range s.AnnexAdd {
			if a.Program == "" || a.EffectiveFrom.IsZero() {
				return invalidf(name, "blocking_statutes %s annex_add: program and effective_from are required", s.ID)
			}
			if a.Confidence == "" {
				a.Confidence = ConfDerived
			}
			if a.Note == "" {
				a.Note = "what-if overlay " + name
			}
			st.Annex = append(st.Annex, a)
		}
		for _, a := range s.AnnexRemove {
			if a.Program == "" || a.EffectiveFrom.IsZero() {
				return invalidf(name, "blocking_statutes %s annex_remove: program and effective_from are required", s.ID)
			}
			found := false
			for i := range st.Annex {
				if st.Annex[i].Program == a.Program && (st.Annex[i].EffectiveTo.IsZero() || st.Annex[i].EffectiveTo.t.After(a.EffectiveFrom.t)) {
					st.Annex[i].EffectiveTo = a.EffectiveFrom
					found = true
				}
			}
			if !found {
				return invalidf(name, "blocking_statutes %s annex_remove: program %q is not in the Annex", s.ID, a.Program)
			}
		}
		e.statutes[idx] = st
	}
	return nil
}

// applyDesignations amends known US designations (dates, program, basis,
// history appended) and adds new ones, which need a date or a history.
func (e *Engine) applyDesignations(name string, designations []usDesignation) error {
	for i := range designations {
		d := designations[i]
		if d.EntityID != "" && !reEntityID.MatchString(d.EntityID) {
			return invalidf(name, "designations: invalid entity_id %q: want <source>:<key>, e.g. us-ofac-sdn:52965", d.EntityID)
		}
		for _, h := range d.History {
			if !validStatus[h.Status] {
				return invalidf(name, "designations %s: invalid status %q: want listed, enjoined, delisted or relisted", d.key(), h.Status)
			}
		}
		k := d.key()
		if k == "" {
			return invalidf(name, "designations: entity_id or ent_num is required")
		}
		if old, ok := e.desigByID[k]; ok {
			nd := *old
			if !d.Designated.IsZero() {
				nd.Designated = d.Designated
			}
			if d.Program != "" {
				nd.Program = d.Program
			}
			if d.Basis != "" {
				nd.Basis = d.Basis
			}
			if d.Confidence != "" {
				nd.Confidence = d.Confidence
			}
			nd.History = append(append([]statusEntry(nil), old.History...), d.History...)
			nd.Note = strings.TrimSpace(old.Note + " " + d.Note)
			e.desigByID[k] = &nd
			continue
		}
		if d.Designated.IsZero() && len(d.History) == 0 {
			return invalidf(name, "designations %s: a new designation needs designated (YYYY-MM-DD) or history", k)
		}
		if d.Confidence == "" {
			d.Confidence = ConfDerived
		}
		e.addDesignation(&d)
	}
	return nil
}

// applyStatesParties amends the Rome Statute dates of known States Parties
// and adds new ones, which need entry_into_force.
func (e *Engine) applyStatesParties(name string, parties []stateParty) error {
	for _, p := range parties {
		if countries.Name(p.ISO2) == "" || len(p.ISO2) != 2 {
			return invalidf(name, "states_parties: invalid country code %q: want ISO 3166-1 alpha-2", p.ISO2)
		}
		old, ok := e.parties[p.ISO2]
		if !ok {
			if p.EntryIntoForce.IsZero() {
				return invalidf(name, "states_parties %s: a new State Party needs entry_into_force", p.ISO2)
			}
			if p.Confidence == "" {
				p.Confidence = ConfDerived
			}
			if p.Country == "" {
				p.Country = countries.Name(p.ISO2)
			}
			e.parties[p.ISO2] = p
			continue
		}
		if !p.EntryIntoForce.IsZero() {
			old.EntryIntoForce = p.EntryIntoForce
		}
		if !p.WithdrawalNotified.IsZero() {
			old.WithdrawalNotified = p.WithdrawalNotified
		}
		if !p.WithdrawalEffective.IsZero() {
			old.WithdrawalEffective = p.WithdrawalEffective
			old.WithdrawalRepealed = day{}
		}
		if !p.WithdrawalRepealed.IsZero() {
			old.WithdrawalRepealed = p.WithdrawalRepealed
		}
		if p.Confidence != "" {
			old.Confidence = p.Confidence
		}
		old.Note = strings.TrimSpace(old.Note + " What-if (" + name + "): " + p.Note)
		e.parties[p.ISO2] = old
	}
	return nil
}

// applyDeclarations adds art. 12(3) declarations (confidence [D] unless
// given).
func (e *Engine) applyDeclarations(name string, declarations []declaration) error {
	for _, dc := range declarations {
		if dc.Confidence == "" {
			dc.Confidence = ConfDerived
		}
		if err := e.addDeclaration(name, dc); err != nil {
			return err
		}
	}
	return nil
}

// applyWarrants appends to the status history of ICC warrants by entity id.
func (e *Engine) applyWarrants(name string, warrants []warrantOverride) error {
	for _, w := range warrants {
		if !reEntityID.MatchString(w.EntityID) {
			return invalidf(name, "warrants: invalid entity_id %q: want <source>:<key>", w.EntityID)
		}
		for _, h := range w.History {
			if !validWarrantStatus[h.Status] {
				hint := ""
				if h.Status == "in_custody" {
					hint = " (whose custody? a State's arrest leaves the duty to surrender: arts. 59(7), 89(1))"
				}
				return invalidf(name, "warrants %s: invalid status %q%s: want at_large, arrested_by_state, in_icc_custody, released, convicted, acquitted, withdrawn, deceased or unclear", w.EntityID, h.Status, hint)
			}
			if h.State != "" && !reISO2.MatchString(h.State) {
				return invalidf(name, "warrants %s: invalid state %q: want an ISO 3166 alpha-2 code", w.EntityID, h.State)
			}
			if h.Date.IsZero() {
				return invalidf(name, "warrants %s: each history entry needs a date", w.EntityID)
			}
		}
		e.warrants[w.EntityID] = append(e.warrants[w.EntityID], w.History...)
	}
	return nil
}

// applySituations amends known ICC situations and adds new ones.
func (e *Engine) applySituations(name string, situations []situation) error {
	for _, s := range situations {
		if s.Code == "" {
			return invalidf(name, "situations: code is required")
		}
		old, ok := e.situations[s.Code]
		if ok {
			if !s.ProceedingsCommenced.IsZero() {
				old.ProceedingsCommenced = s.ProceedingsCommenced
			}
			if s.UNSCReferral != nil {
				old.UNSCReferral = s.UNSCReferral
			}
			if s.Confidence != "" {
				old.Confidence = s.Confidence
			}
			s = old
		} else if s.Confidence == "" {
			s.Confidence = ConfDerived
		}
		e.situations[s.Code] = s
	}
	return nil
}
