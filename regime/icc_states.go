package regime

import (
	"fmt"
	"sort"
	"time"
)

// ICC membership statuses of a State on a date (ICCState.Status).
const (
	ICCParty             = "party"              // the Statute is in force for it
	ICCWithdrawalPending = "withdrawal_pending" // a party whose notified withdrawal has not yet taken effect (art. 127(1))
	ICCWithdrawn         = "withdrawn"          // its withdrawal took effect; art. 127(2) keeps earlier duties
	ICCNotYetInForce     = "not_yet_in_force"   // ratified or acceded, the Statute not yet in force for it (art. 126(2))
	ICCDeclarant         = "declarant"          // not a party (or not yet in force), an art. 12(3) declaration lodged: cooperation for the situations it covers
)

// ICCState is what the data says of one State and the Rome Statute on a
// date: its status, since when, how sure, and the dated facts known on that
// date (each ending with its confidence tag). A State the data does not name
// is not returned: it is neither a party nor a declarant.
type ICCState struct {
	ISO2         string           `json:"iso2"`
	Country      string           `json:"country"`
	Status       string           `json:"status" enum:"party,withdrawal_pending,withdrawn,not_yet_in_force,declarant"`
	Since        string           `json:"since,omitempty" doc:"YYYY-MM-DD the status began (entry into force, withdrawal notified or effective, declaration lodged)"`
	Until        string           `json:"until,omitempty" doc:"YYYY-MM-DD a pending withdrawal takes effect"`
	Confidence   string           `json:"confidence" doc:"V, V-2nd, D or M (M: from memory, UNCONFIRMED)"`
	Facts        []string         `json:"facts" doc:"the dated facts known on the date, each with its confidence tag"`
	Note         string           `json:"note,omitempty"`
	Declarations []ICCDeclaration `json:"declarations,omitempty" doc:"art. 12(3) declarations lodged by the date"`
}

// ICCDeclaration is an art. 12(3) declaration known on a date.
type ICCDeclaration struct {
	Lodged     string   `json:"lodged"`
	Situations []string `json:"situations"`
	CrimesFrom string   `json:"crimes_from,omitempty"`
	CrimesTo   string   `json:"crimes_to,omitempty"`
	Confidence string   `json:"confidence"`
	Note       string   `json:"note,omitempty" doc:"the note and the dated notes known on the date"`
}

// ICCStates returns, for date t, every State the data names as a State
// Party (in force, pending withdrawal, withdrawn, or not yet in force) or as
// an art. 12(3) declarant, sorted by ISO code. It states no fact dated after
// t: a later withdrawal, repeal or declaration is left out. The test of
// membership is the one the arrest duty uses (evaluate.go): a party from
// entry into force until a withdrawal takes effect, and a withdrawal
// repealed before it took effect never does.
func (e *Engine) ICCStates(t time.Time) []ICCState {
	byCode := map[string]*ICCState{}
	for _, sp := range e.parties {
		if !sp.Ratified.IsZero() && sp.Ratified.t.After(t) || sp.Ratified.IsZero() && sp.EntryIntoForce.t.After(t) {
			continue // not yet a step towards the Statute on t
		}
		name := sp.Country
		if name == "" {
			name = countryName(sp.ISO2)
		}
		st := &ICCState{ISO2: sp.ISO2, Country: name, Confidence: string(sp.Confidence), Note: sp.Note,
			Facts: e.membershipFacts(sp, t)}
		if w := withdrawalOn(sp, name, t); w != "" {
			st.Facts = append(st.Facts, fact(sp.Confidence, w))
		}
		repealedFirst := !sp.WithdrawalRepealed.IsZero() && (sp.WithdrawalEffective.IsZero() || sp.WithdrawalRepealed.t.Before(sp.WithdrawalEffective.t))
		switch {
		case t.Before(sp.EntryIntoForce.t):
			st.Status, st.Since = ICCNotYetInForce, sp.Ratified.t.Format(dfmt)
			st.Until = sp.EntryIntoForce.t.Format(dfmt)
		case !sp.WithdrawalEffective.IsZero() && !t.Before(sp.WithdrawalEffective.t) && !repealedFirst:
			st.Status, st.Since = ICCWithdrawn, sp.WithdrawalEffective.t.Format(dfmt)
		case !sp.WithdrawalNotified.IsZero() && !sp.WithdrawalNotified.t.After(t) &&
			(sp.WithdrawalRepealed.IsZero() || sp.WithdrawalRepealed.t.After(t)):
			st.Status, st.Since = ICCWithdrawalPending, sp.WithdrawalNotified.t.Format(dfmt)
			eff := sp.WithdrawalEffective
			if eff.IsZero() {
				eff = day{sp.WithdrawalNotified.t.AddDate(1, 0, 0)} // art. 127(1)
			}
			st.Until = eff.t.Format(dfmt)
		default:
			st.Status, st.Since = ICCParty, sp.EntryIntoForce.t.Format(dfmt)
			st.Confidence = string(worse(sp.Confidence, sp.eifConfidence()))
		}
		byCode[sp.ISO2] = st
	}
	for code, dcs := range e.declared {
		for _, dc := range dcs {
			if dc.Lodged.t.After(t) {
				continue
			}
			st := byCode[code]
			if st == nil {
				st = &ICCState{ISO2: code, Country: countryName(code), Status: ICCDeclarant, Since: dc.Lodged.t.Format(dfmt),
					Confidence: string(dc.Confidence), Facts: []string{}}
				byCode[code] = st
			}
			if st.Status == ICCNotYetInForce {
				// Ratified, not yet in force: the declaration is what binds it (Ukraine in late 2024).
				st.Status, st.Since = ICCDeclarant, dc.Lodged.t.Format(dfmt)
			}
			note := dc.Note
			if more := sentencesOn(dc.DatedNotes, t); more != "" {
				note += " " + more
			}
			d := ICCDeclaration{Lodged: dc.Lodged.t.Format(dfmt), Situations: dc.Situations, Confidence: string(dc.Confidence), Note: note}
			if !dc.CrimesFrom.IsZero() {
				d.CrimesFrom = dc.CrimesFrom.t.Format(dfmt)
			}
			if !dc.CrimesTo.IsZero() {
				d.CrimesTo = dc.CrimesTo.t.Format(dfmt)
			}
			st.Declarations = append(st.Declarations, d)
			st.Facts = append(st.Facts, fact(dc.Confidence, fmt.Sprintf("art. 12(3) declaration of %s lodged %s for %v", st.Country, d.Lodged, dc.Situations)))
		}
	}
	out := make([]ICCState, 0, len(byCode))
	for _, st := range byCode {
		sort.Slice(st.Declarations, func(i, j int) bool { return st.Declarations[i].Lodged < st.Declarations[j].Lodged })
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ISO2 < out[j].ISO2 })
	return out
}

// worse is the weaker of two confidence tags (V > V-2nd > D > M).
func worse(a, b conf) conf {
	rank := map[conf]int{ConfVerified: 3, ConfSecondary: 2, ConfDerived: 1, ConfMemory: 0}
	if ra, ok := rank[a]; ok && ra <= rank[b] {
		return a
	}
	return b
}
