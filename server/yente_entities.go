package server

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// yente's entity look-up (GET /entities/{id}), its algorithm list (GET
// /algorithms) and the ids clients see. An entity imported from an FtM file
// is known to clients by its own FtM id ("NK-2Tbri3s6GgNtAwsSXh4qpL"), as
// yente knows it, so that whitelists and exclude_entity_ids made against
// yente keep working; lexscreen's id ("ftm-sanctions:NK-...") is taken too.
// Every other entity keeps its lexscreen id ("us-ofac-sdn:52965").

// internalIDs are the lexscreen ids an id a client sent names in an index:
// itself when it is one, else the FtM entities of that FtM id (one per FtM
// list that holds it).
func internalIDs(ix *Index, id string) []string {
	mix := ix.Screener.Matcher().Index()
	if mix.Has(id) {
		return []string{id}
	}
	var out []string
	for _, sn := range ix.Snapshots {
		if strings.HasPrefix(sn.Source, "ftm-") && mix.Has(sn.Source+":"+id) {
			out = append(out, sn.Source+":"+id)
		}
	}
	return out
}

// snapshotOf is the snapshot of an entity's list in an index.
func snapshotOf(ix *Index, id string) (lexscreen.Snapshot, bool) {
	src := sourceOf(id)
	for _, sn := range ix.Snapshots {
		if sn.Source == src {
			return sn, true
		}
	}
	return lexscreen.Snapshot{}, false
}

// fullEntity reads an entity of an index from the store.
func (s *Server) fullEntity(ctx context.Context, ix *Index, id string) (*lexscreen.Entity, error) {
	sn, ok := snapshotOf(ix, id)
	if !ok {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in use for entity %s", sourceOf(id), id)
	}
	return s.cfg.Store.Entity(ctx, id, sn.ID)
}

// exportEntity is an entity in yente's shape, with its topics and the date
// of the snapshot in use as last_seen.
func exportEntity(e *lexscreen.Entity, ix *Index) ftm.Exported {
	x := ftm.Export(e, ix.factsOf().topics[e.ID])
	if sn, ok := snapshotOf(ix, e.ID); ok {
		x.SetLastSeen(ftm.Timestamp(snapshotTime(sn)))
	}
	return x
}

// snapshotTime is a snapshot's date as FtM writes times.
func snapshotTime(sn lexscreen.Snapshot) string {
	t := sn.Published
	if t.IsZero() {
		t = sn.Imported
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// handleYenteEntity answers yente's GET /entities/{id}: the entity with its
// FtM properties, its designations as nested Sanction entities, referents,
// datasets, first_seen, last_seen and last_change.
func (s *Server) handleYenteEntity(w http.ResponseWriter, r *http.Request) {
	// Marble's enrichment sends its match algorithm here too.
	q := r.URL.Query()
	if err := checkParams(q, "nested", "algorithm"); err != nil {
		yenteErr(w, r, err)
		return
	}
	if err := checkAlgorithm(q.Get("algorithm")); err != nil {
		yenteErr(w, r, err)
		return
	}
	ix, err := s.current()
	if err != nil {
		yenteErr(w, r, err)
		return
	}
	id := r.PathValue("id")
	ids := internalIDs(ix, id)
	if len(ids) == 0 {
		yenteErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no entity %q in the lists in use (an FtM id, or a lexscreen id such as us-ofac-sdn:52965)", id))
		return
	}
	var out ftm.Exported
	for i, iid := range ids {
		e, err := s.fullEntity(r.Context(), ix, iid)
		if err != nil {
			yenteErr(w, r, err)
			return
		}
		x := exportEntity(e, ix)
		if i == 0 {
			out = x
			continue
		}
		// The same FtM entity on several FtM lists: one entity, as yente merges it.
		for _, d := range x.Datasets {
			if !slices.Contains(out.Datasets, d) {
				out.Datasets = append(out.Datasets, d)
			}
		}
		for k, vs := range x.Properties {
			out.Properties[k] = append(out.Properties[k], vs...)
		}
	}
	if out.FirstSeen == "" || out.LastChange == "" {
		// A list lexscreen imported itself: the store's history says when.
		if first, last, err := s.seenDates(r.Context(), ids[0]); err == nil {
			out.FirstSeen = ftm.Timestamp(cmpOr(string(out.FirstSeen), first))
			out.LastChange = ftm.Timestamp(cmpOr(string(out.LastChange), last))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// seenDates are the dates of the first snapshot that held an entity and of
// the last one that changed it, from the store's history.
func (s *Server) seenDates(ctx context.Context, id string) (first, lastChange string, err error) {
	events, err := s.cfg.Store.History(ctx, id)
	if err != nil || len(events) == 0 {
		return "", "", err
	}
	first = snapshotTime(events[0].Snapshot)
	lastChange = first
	for _, ev := range events {
		if ev.Kind != "removed" {
			lastChange = snapshotTime(ev.Snapshot)
		}
	}
	return first, lastChange, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// yenteAlgorithm is one entry of GET /algorithms.
type yenteAlgorithm struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Features    map[string]any `json:"features"`
}

// yenteAlgorithms is the answer of GET /algorithms, in yente's shape.
type yenteAlgorithms struct {
	Algorithms []yenteAlgorithm `json:"algorithms"`
	Default    string           `json:"default"`
	Best       string           `json:"best"`
}

// lexscreenAlgorithm is the name of lexscreen's own engine in /algorithms.
const lexscreenAlgorithm = "lexscreen"

// yenteAlgorithmNames are yente's algorithm names, accepted in ?algorithm=
// so that clients configured for yente (Marble sends logic-v1) work: every
// one is scored by lexscreen's engine, and /algorithms says so.
var yenteAlgorithmNames = []string{"logic-v1", "logic-v2", "name-based", "name-qualified", "regression-v1", "regression-v2", "regression-v3", "best"}

// checkAlgorithm refuses an algorithm name neither lexscreen nor yente has.
func checkAlgorithm(name string) error {
	if name == "" || name == lexscreenAlgorithm || slices.Contains(yenteAlgorithmNames, name) {
		return nil
	}
	return invalid("algorithm=%q: unknown; lexscreen scores with its own engine (%s) and takes yente's names %s for it (see /algorithms)",
		name, lexscreenAlgorithm, strings.Join(yenteAlgorithmNames, ", "))
}

func (s *Server) handleYenteAlgorithms(w http.ResponseWriter, r *http.Request) {
	out := yenteAlgorithms{Default: lexscreenAlgorithm, Best: lexscreenAlgorithm}
	out.Algorithms = append(out.Algorithms, yenteAlgorithm{Name: lexscreenAlgorithm,
		Description: "lexscreen's matcher (engine " + s.cfg.EngineVersion + "): names by token alignment (transliteration, phonetics, name order), then date of birth, nationality and identifiers as evidence; calibrated scores 0..1",
		Features:    map[string]any{"name_match": "best listed name's score", "dob": "date of birth evidence", "country": "nationality evidence", "identifier": "identifier evidence"}})
	for _, n := range yenteAlgorithmNames {
		out.Algorithms = append(out.Algorithms, yenteAlgorithm{Name: n,
			Description: "yente's " + n + " is accepted as a name only: the query is scored by lexscreen's matcher, not by yente's " + n + " model",
			Features:    map[string]any{}})
	}
	writeJSON(w, http.StatusOK, out)
}

// indexVersion is the index's version in yente's form (YYYYMMDDHHMMSS-xxx):
// when it was built, and three letters from its snapshot ids, so that a
// client sees a new version after every reload.
func indexVersion(ix *Index) string {
	h := uint32(2166136261)
	for _, id := range ix.SnapshotIDs() {
		for _, b := range []byte(time.Duration(id).String()) {
			h = (h ^ uint32(b)) * 16777619
		}
	}
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	suffix := []byte{letters[h%36], letters[(h/36)%36], letters[(h/1296)%36]}
	return ix.Built.UTC().Format("20060102150405") + "-" + string(suffix)
}
