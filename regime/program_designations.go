package regime

import (
	"sort"
	"time"
)

// USDesignation is a US designation the legal data records with its dates
// (facts.yaml us_designations): when it was made, on what basis, and its
// later history (enjoined, de-listed, re-listed), as known on a date.
type USDesignation struct {
	EntityID   string `json:"entity_id,omitempty" doc:"the SDN entry (us-ofac-sdn:<ent_num>); empty when only the name is known"`
	Name       string `json:"name"`
	Program    string `json:"program"`
	Designated string `json:"designated" doc:"YYYY-MM-DD"`
	Basis      string `json:"basis"`
	Confidence string `json:"confidence"`
	Note       string `json:"note,omitempty"`
	// Events are the dated changes of the designation known on the date
	// (listed, enjoined, relisted, delisted), oldest first.
	Events []USDesignationEvent `json:"events,omitempty"`
	// Litigation is a court challenge known on the date.
	Litigation string `json:"litigation,omitempty"`
}

// USDesignationEvent is one dated change of a designation.
type USDesignationEvent struct {
	Date        string `json:"date"`
	Status      string `json:"status" enum:"listed,relisted,enjoined,delisted"`
	Confidence  string `json:"confidence"`
	DateUnknown bool   `json:"date_unknown,omitempty" doc:"the exact date was not captured: date is the earliest it can be"`
	Note        string `json:"note,omitempty"`
}

// ProgramDesignations returns the designations of a US program the data
// records, made by date t, by date of designation; the events and
// litigation after t are left out.
func (e *Engine) ProgramDesignations(program string, t time.Time) []USDesignation {
	var out []USDesignation
	for _, d := range e.allDesignations() {
		if d.Program != program || d.Designated.t.After(t) {
			continue
		}
		u := USDesignation{EntityID: d.key(), Name: d.Name, Program: d.Program, Designated: d.Designated.t.Format(dfmt),
			Basis: d.Basis, Confidence: string(d.Confidence), Note: d.Note}
		for _, h := range d.History {
			if h.Date.t.After(t) {
				continue
			}
			u.Events = append(u.Events, USDesignationEvent{Date: h.Date.t.Format(dfmt), Status: h.Status, Confidence: string(h.Confidence),
				DateUnknown: h.DateUnknown, Note: h.Note})
		}
		if d.Litigation != nil && !d.Litigation.Since.t.After(t) {
			u.Litigation = d.Litigation.Text + " [" + string(d.Litigation.Confidence) + "]"
		}
		out = append(out, u)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Designated != out[j].Designated {
			return out[i].Designated < out[j].Designated
		}
		return out[i].Name < out[j].Name
	})
	return out
}
