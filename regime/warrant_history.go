package regime

import (
	"sort"
	"time"
)

// WarrantEntry is one dated entry of a listing's warrant status history.
type WarrantEntry struct {
	Date       time.Time
	Status     string // at_large, arrested_by_state, in_icc_custody, ...
	State      string // the State that arrested or released the person, if any
	Confidence string // V, V-2nd, M or D (D when the entry names none)
}

// WarrantHistory reads a listing's "warrant_status_history" attribute
// ("DATE STATUS [STATE] [CONFIDENCE]", e.g. "2025-07-16 arrested_by_state
// DE [V]") in date order, as the evaluation reads it; an entry it can't
// read is skipped (the list's own check refuses them).
func WarrantHistory(entries []string) []WarrantEntry {
	h := parseWarrantHistory(entries)
	sort.SliceStable(h, func(i, j int) bool { return h[i].Date.t.Before(h[j].Date.t) })
	out := make([]WarrantEntry, 0, len(h))
	for _, e := range h {
		out = append(out, WarrantEntry{Date: e.Date.t, Status: e.Status, State: e.State, Confidence: string(e.Confidence)})
	}
	return out
}
