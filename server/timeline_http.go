package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// TimelineResponse is the answer of GET /v1/lists/{source}/timeline.
type TimelineResponse struct {
	Source  string          `json:"source"`
	Program string          `json:"program,omitempty"`
	Points  []TimelinePoint `json:"points" doc:"one per snapshot, oldest first"`
	// Designations, with program: the entities of the list in use under the
	// program, by listing date (those without one last).
	Designations []ProgramDesignation `json:"designations,omitempty"`
	// Recorded, with program: the designations of the program the legal
	// data records with their dates, basis, confidence and later events
	// (the SDN list itself gives no designation date).
	Recorded []regime.USDesignation `json:"recorded,omitempty"`
}

// TimelinePoint is one snapshot of a list and what changed since the one before.
type TimelinePoint struct {
	Snapshot ListRow `json:"snapshot"`
	// First: no earlier snapshot to compare with (Added, Removed and
	// Changed are then 0, not a count).
	First   bool `json:"first"`
	Added   int  `json:"added"`
	Removed int  `json:"removed"`
	Changed int  `json:"changed"`
}

// ProgramDesignation is one entity listed under a program, with its dates.
type ProgramDesignation struct {
	EntityID  string `json:"entity_id"`
	Name      string `json:"name"`
	ListedOn  string `json:"listed_on,omitempty" doc:"the designation date the list gives"`
	FirstSeen string `json:"first_seen,omitempty" doc:"publisher date of the first snapshot in the store holding the entity"`
	Reference string `json:"reference,omitempty"`
}

// diffCache keeps the diffs of consecutive snapshots: snapshots never
// change, so neither do their diffs. Bounded: cleared when full.
var diffCache = struct {
	sync.Mutex
	m map[string]*sqlite.Diff
}{m: map[string]*sqlite.Diff{}}

const diffCacheSize = 512

func (s *Server) cachedDiff(r *http.Request, from, to int64) (*sqlite.Diff, error) {
	key := fmt.Sprintf("%s|%d|%d", s.cfg.Store.Location(), from, to)
	diffCache.Lock()
	d, ok := diffCache.m[key]
	diffCache.Unlock()
	if ok {
		return d, nil
	}
	d, err := s.cfg.Store.Diff(r.Context(), from, to)
	if err != nil {
		return nil, err
	}
	diffCache.Lock()
	if len(diffCache.m) >= diffCacheSize {
		clear(diffCache.m)
	}
	diffCache.m[key] = d
	diffCache.Unlock()
	return d, nil
}

func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), "program"); err != nil {
		writeErr(w, r, err)
		return
	}
	if s.cfg.Store == nil {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "this server has no store: no list history to show"))
		return
	}
	src, prog := r.PathValue("source"), r.URL.Query().Get("program")
	snaps, err := s.cfg.Store.Snapshots(r.Context(), src)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if len(snaps) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store (see /v1/lists)", src))
		return
	}
	now := time.Now()
	out := TimelineResponse{Source: src, Program: prog, Points: make([]TimelinePoint, 0, len(snaps))}
	for i, sn := range snaps {
		p := TimelinePoint{Snapshot: source.ListRow(sn, false, now), First: i == 0}
		if i > 0 {
			d, err := s.cachedDiff(r, snaps[i-1].ID, sn.ID)
			if err != nil {
				writeErr(w, r, err)
				return
			}
			for _, e := range d.Added {
				if prog == "" || hasProgram(e.Programs, prog) {
					p.Added++
				}
			}
			for _, e := range d.Removed {
				if prog == "" || hasProgram(e.Programs, prog) {
					p.Removed++
				}
			}
			for _, c := range d.Changed {
				if prog == "" || hasProgram(c.Programs, prog) {
					p.Changed++
				}
			}
		}
		out.Points = append(out.Points, p)
	}
	if prog != "" {
		if ix := s.index.Load(); ix != nil {
			out.Designations = programDesignations(ix, src, prog)
		}
		eng, err := defaultRegimes()
		if err != nil {
			writeErr(w, r, err)
			return
		}
		out.Recorded = eng.ProgramDesignations(prog, now)
	}
	writeJSON(w, http.StatusOK, out)
}

// programDesignations are the entities of src in the index under prog.
func programDesignations(ix *Index, src, prog string) []ProgramDesignation {
	var out []ProgramDesignation
	for _, l := range ix.Screener.Listings() {
		if l.Source != src {
			continue
		}
		for _, d := range l.Designations {
			if !strings.EqualFold(d.Program, prog) {
				continue
			}
			pd := ProgramDesignation{EntityID: l.EntityID, Name: l.EntityID, ListedOn: d.ListedOn.String(), Reference: d.Reference}
			if len(l.Names) > 0 {
				pd.Name = l.Names[0]
			}
			if !l.FirstSeen.IsZero() {
				pd.FirstSeen = l.FirstSeen.Format("2006-01-02")
			}
			out = append(out, pd)
			break
		}
	}
	slices.SortFunc(out, func(a, b ProgramDesignation) int {
		switch {
		case a.ListedOn == b.ListedOn:
			return strings.Compare(a.Name, b.Name)
		case a.ListedOn == "":
			return 1
		case b.ListedOn == "":
			return -1
		}
		return strings.Compare(a.ListedOn, b.ListedOn)
	})
	return out
}
