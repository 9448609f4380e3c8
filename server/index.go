package server

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
)

// Index is one immutable screening index with the store snapshots it was
// built from. The server swaps whole Indexes; a request keeps the one it
// started with.
type Index struct {
	Screener  *screening.Screener
	Snapshots []lexscreen.Snapshot
	Entities  int
	Built     time.Time
	indexFacts
}

// SnapshotIDs returns the ids of the snapshots of the index.
func (ix *Index) SnapshotIDs() []int64 {
	ids := make([]int64, len(ix.Snapshots))
	for i, s := range ix.Snapshots {
		ids[i] = s.ID
	}
	return ids
}

// LoadSnapshots builds an Index from the given snapshots of the store (see
// screening.LoadSnapshots). List ages are computed as of now (the time of a
// past screening, for a replay).
func LoadSnapshots(ctx context.Context, db store.Store, snapshotIDs []int64, engineVersion string, now time.Time) (*Index, error) {
	return loadSnapshots(ctx, db, snapshotIDs, engineVersion, now, nil)
}

// loadSnapshots is LoadSnapshots calling onEntity after each entity read
// (a Throttle's Step, for a rebuild in the background).
func loadSnapshots(ctx context.Context, db store.Store, snapshotIDs []int64, engineVersion string, now time.Time, onEntity func()) (*Index, error) {
	snaps, err := store.SnapshotsByID(ctx, db, snapshotIDs)
	if err != nil {
		return nil, err
	}
	return loadSnaps(ctx, db, snaps, engineVersion, now, onEntity)
}

// loadSnaps is loadSnapshots of snapshots already read.
func loadSnaps(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, now time.Time, onEntity func()) (*Index, error) {
	load := screening.LoadSnapshots
	if onEntity != nil {
		load = screening.LoadSnapshotsPaced
	}
	sc, err := load(ctx, db, snaps, engineVersion, now, onEntity)
	if err != nil {
		return nil, err
	}
	return &Index{Screener: sc, Snapshots: snaps, Entities: sc.Entities(), Built: time.Now(), indexFacts: indexFacts{db: db}}, nil
}

// indexKept reports whether the index file of snaps is kept already:
// loading them then only maps it.
func indexKept(db store.Store, snaps []lexscreen.Snapshot, engineVersion string) bool {
	file := screening.IndexFile(db, snaps, engineVersion)
	if file == "" {
		return false
	}
	_, err := os.Stat(file)
	return err == nil
}

// LoadCurrent builds an Index from the snapshots in use.
func LoadCurrent(ctx context.Context, db store.Store, engineVersion string) (*Index, error) {
	cur, err := db.Current(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cur))
	for i, s := range cur {
		ids[i] = s.ID
	}
	return LoadSnapshots(ctx, db, ids, engineVersion, time.Now())
}

// indexAt returns the index of the lists in force on date: the current one
// when date is zero, today or later; else one built from, per list, the
// newest snapshot published on or before date (see screening.SnapshotsAt),
// whose results warn of the lists left out. The last few are kept.
func (s *Server) indexAt(ctx context.Context, date time.Time) (*Index, error) {
	cur, err := s.current()
	if err != nil || !screening.Past(date) {
		return cur, err
	}
	if s.cfg.Store == nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "this server has no store to screen against past lists")
	}
	key := date.Format("2006-01-02")
	s.asOfMu.Lock()
	defer s.asOfMu.Unlock()
	if ix, ok := s.asOf[key]; ok {
		return ix, nil
	}
	snaps, missing, err := screening.SnapshotsAt(ctx, s.cfg.Store, date)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(snaps))
	for i, sn := range snaps {
		ids[i] = sn.ID
	}
	ix, err := loadSnapshots(ctx, s.cfg.Store, ids, s.cfg.EngineVersion, date, nil)
	if err != nil {
		return nil, err
	}
	ix.Screener.SetMissing(missing)
	if len(s.asOf) >= 4 {
		clear(s.asOf)
	}
	if s.asOf == nil {
		s.asOf = map[string]*Index{}
	}
	s.asOf[key] = ix
	return ix, nil
}

// Screen screens one query, with the legal regimes when opts asks for them.
// A date of birth the screening can't read costs the date, never the
// screening: the result carries a warning saying so (screening.Screen).
func (ix *Index) Screen(q lexscreen.Query, opts screening.Options) (lexscreen.Result, error) {
	return ix.Screener.Screen(q, opts)
}

// ScreenRequest is the body of POST /v1/screen and one line of
// POST /v1/screen/batch: the CLI's screen options as JSON.
type ScreenRequest struct {
	ID          string   `json:"id,omitempty" doc:"caller's reference, echoed in the result (batch)"`
	Name        string   `json:"name" doc:"full name in reading order, any script" example:"Karim Khan"`
	Type        string   `json:"type,omitempty" doc:"person, organization, vessel or aircraft (default: any)" example:"person"`
	DOB         string   `json:"dob,omitempty" doc:"date of birth (YYYY, YYYY-MM, YYYY-MM-DD and the forms the date reader knows); one that can't be read is dropped with a warning on the result" example:"1970"`
	Country     []string `json:"country,omitempty" doc:"nationality or country, names or ISO codes" example:"GB"`
	Identifiers []string `json:"identifiers,omitempty" doc:"passport, national id, registration or IMO numbers"`
	Operator    string   `json:"operator,omitempty" doc:"who screens: a built-in profile (us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX) or the name of a profile of the server's --profiles directory; never a file" example:"eu-subsidiary-of-us-bank"`
	// OperatorProfile is an operator profile given inline (as the YAML
	// profile files of the command line, in JSON).
	OperatorProfile *regime.Operator `json:"operator_profile,omitempty" doc:"who screens, as an inline profile: {name, role, incorporation, parent: {country, jurisdiction, relation}, acts_in, currency_nexus, nationality, state, processes_payments, interests_affected: [all], [none] or US program tags whose annexed laws affect its interests (Reg. 2271/96 art. 2)}; instead of operator"`
	Date            string           `json:"date,omitempty" doc:"the date the obligations are for, YYYY-MM-DD (default today); a past date also screens against the lists in force on it (per list, the newest snapshot published on or before it; a list with none is left out with a warning; in a batch too, at most 4 past dates a batch), unless current_lists" example:"2025-12-30"`
	CurrentLists    bool             `json:"current_lists,omitempty" doc:"with a past date, screen against the current lists anyway (that day's duties on today's designations)"`
	Regimes         string           `json:"regimes,omitempty" doc:"what-if overlay, a YAML document (needs operator)"`
	Threshold       float64          `json:"threshold,omitempty" doc:"lowest score reported as a match, above 0 and at most 1 (default the engine's)"`
	Limit           int              `json:"limit,omitempty" doc:"most matches reported (default 25)"`
}

// Prepared is a checked screening request.
type Prepared struct {
	Query lexscreen.Query
	Opts  screening.Options
	Req   ScreenRequest
	// AsOf is the past date whose lists to screen against (zero: the
	// current lists).
	AsOf time.Time
}

// Prepare checks a request as the CLI checks its flags. Its operator may be
// a built-in profile or an inline one (see Server.prepare for the profiles
// of a directory).
func Prepare(r ScreenRequest) (Prepared, error) {
	return prepare(r, nil)
}

// prepare checks a request for this server: its operator may also name one
// of the profiles the server was started with.
func (s *Server) prepare(r ScreenRequest) (Prepared, error) {
	return prepare(r, s.cfg.Profiles)
}

// prepare is Prepare with the named profiles a request may use. A request
// naming one of them is recorded with the profile inline, so that a replay
// uses the very profile the screening used.
func prepare(r ScreenRequest, profiles map[string]regime.Operator) (Prepared, error) {
	p := Prepared{Req: r}
	if strings.TrimSpace(r.Name) == "" {
		return p, lexscreen.Errorf(lexscreen.EINVALID, "name: required")
	}
	if len(r.Name) > 1000 {
		return p, lexscreen.Errorf(lexscreen.EINVALID, "name: at most 1000 bytes")
	}
	if !(r.Threshold >= 0 && r.Threshold <= 1) { // NaN too
		return p, lexscreen.Errorf(lexscreen.EINVALID, "threshold %v: want a number above 0 and at most 1", r.Threshold)
	}
	if r.Threshold == 0 {
		r.Threshold = match.DefaultThreshold
	}
	if r.Limit < 0 || r.Limit > 500 {
		return p, lexscreen.Errorf(lexscreen.EINVALID, "limit %d: want 1 to 500", r.Limit)
	}
	if r.Limit == 0 {
		r.Limit = match.DefaultLimit
	}
	q := lexscreen.Query{ID: r.ID, Name: r.Name, BirthDate: r.DOB, Countries: r.Country, Identifiers: r.Identifiers}
	if r.Type != "" {
		if q.Schema = lexscreen.ParseSchema(r.Type); q.Schema == lexscreen.SchemaUnknown {
			return p, lexscreen.Errorf(lexscreen.EINVALID, "type %q: want person, organization, vessel or aircraft", r.Type)
		}
	}
	// An unreadable dob is no reason to refuse: it is dropped as evidence,
	// with a warning on the result (see Index.Screen).
	if r.OperatorProfile == nil && r.Operator != "" {
		if op, ok := profiles[r.Operator]; ok {
			r.OperatorProfile = &op
		}
	}
	opts, err := legalOptions(r.Operator, r.OperatorProfile, r.Date, r.Regimes, profiles)
	if err != nil {
		return p, err
	}
	if r.Date != "" && !r.CurrentLists {
		d, err := regime.ParseDate(r.Date)
		if err != nil {
			return p, err
		}
		if screening.Past(d) {
			p.AsOf = d
		}
	}
	opts.Threshold, opts.Limit = r.Threshold, r.Limit
	p.Query, p.Opts, p.Req = q, opts, r
	return p, nil
}

// legalOptions mirrors the CLI's legalFlags.options, without files: the
// operator is inline (profile), one of the named profiles or a built-in
// one. No value of a request reaches the file system.
func legalOptions(operator string, profile *regime.Operator, date, overlay string, profiles map[string]regime.Operator) (screening.Options, error) {
	var o screening.Options
	if operator == "" && profile == nil {
		if overlay != "" {
			return o, lexscreen.Errorf(lexscreen.EINVALID, "regimes needs operator (whose obligations?)")
		}
		return o, nil
	}
	op, err := resolveOperator(operator, profile, profiles)
	if err != nil {
		return o, err
	}
	d := time.Now().UTC().Truncate(24 * time.Hour)
	if date != "" {
		if d, err = regime.ParseDate(date); err != nil {
			return o, err
		}
	}
	var eng *regime.Engine
	if overlay != "" {
		eng, err = regime.LoadNamed([]string{"regimes"}, [][]byte{[]byte(overlay)})
	} else {
		eng, err = defaultRegimes()
	}
	if err != nil {
		return o, err
	}
	o.Regimes, o.Operator, o.Date = eng, op, d
	return o, nil
}

// resolveOperator returns the operator of a request: its inline profile
// (checked as a profile file is), or the profile it names.
func resolveOperator(name string, profile *regime.Operator, profiles map[string]regime.Operator) (regime.Operator, error) {
	if profile != nil {
		op := *profile
		if op.Parent != nil {
			parent := *op.Parent
			op.Parent = &parent
		}
		if op.Name != "" && (!regime.ValidProfileName(op.Name) || regime.IsBuiltinProfile(op.Name)) {
			return op, lexscreen.Errorf(lexscreen.EINVALID, "operator_profile.name %q: want lower-case letters, digits, - and _ (not a built-in profile's name)", truncate(op.Name, 100))
		}
		if err := op.Validate(); err != nil {
			return op, lexscreen.Errorf(lexscreen.EINVALID, "operator_profile: %s", errMessage(err))
		}
		if name != "" && name != op.Name {
			return op, lexscreen.Errorf(lexscreen.EINVALID, "operator %q and operator_profile %q: give one of them", truncate(name, 100), op.Name)
		}
		return op, nil
	}
	if op, ok := profiles[name]; ok {
		return op, nil
	}
	if regime.IsBuiltinProfile(name) {
		return regime.ParseBuiltinOperator(name)
	}
	names := slices.Sorted(maps.Keys(profiles))
	msg := ""
	if len(names) > 0 {
		msg = "; the server's profiles: " + strings.Join(names, ", ")
	}
	return regime.Operator{}, lexscreen.Errorf(lexscreen.EINVALID, "operator %q: no such profile: want one of %s (XX an ISO 3166 alpha-2 code)%s, or an inline operator_profile",
		truncate(name, 100), strings.Join(regime.BuiltinProfiles, ", "), msg)
}

// Replay is the outcome of re-running an audited screening.
type Replay struct {
	Record      int64            `json:"record"`
	Snapshots   []int64          `json:"snapshots"`
	Identical   bool             `json:"identical"`
	Differences []string         `json:"differences"`
	Original    json.RawMessage  `json:"original"`
	Replayed    lexscreen.Result `json:"replayed"`
}

// ReplayRecord re-runs the screening of an audit record on the very list
// snapshots it used, and compares the result with the recorded one.
func ReplayRecord(ctx context.Context, db store.Store, rec *audit.Record, engineVersion string) (Replay, error) {
	out := Replay{Record: rec.ID, Snapshots: rec.Snapshots, Original: rec.Result, Differences: []string{}}
	if rec.Kind == audit.KindAction {
		return out, lexscreen.Errorf(lexscreen.EINVALID, "audit record %d records an action in the workspace, not a screening: there is nothing to replay", rec.ID)
	}
	var req ScreenRequest
	if err := json.Unmarshal(rec.Request, &req); err != nil {
		return out, lexscreen.Errorf(lexscreen.EINVALID, "audit record %d: its request cannot be read: %v", rec.ID, err)
	}
	p, err := Prepare(req)
	if err != nil {
		return out, err
	}
	if rec.Date != "" && req.Date == "" && p.Opts.Regimes != nil {
		p.Opts.Date, _ = regime.ParseDate(rec.Date) // the recorded "today"
	}
	ix, err := LoadSnapshots(ctx, db, rec.Snapshots, engineVersion, rec.Time)
	if err != nil {
		return out, err
	}
	res, err := ix.Screen(p.Query, p.Opts)
	if err != nil {
		return out, err
	}
	out.Replayed = res
	var orig lexscreen.Result
	if err := json.Unmarshal(rec.Result, &orig); err != nil {
		return out, lexscreen.Errorf(lexscreen.EINTERNAL, "audit record %d: its result cannot be read: %v", rec.ID, err)
	}
	out.Differences = compareResults(orig, res)
	out.Identical = len(out.Differences) == 0
	return out, nil
}

func compareResults(a, b lexscreen.Result) []string {
	diffs := []string{}
	if a.Engine != b.Engine {
		diffs = append(diffs, fmt.Sprintf("engine: %s (threshold %v) then, %s (threshold %v) now", a.Engine.Version, a.Engine.Threshold, b.Engine.Version, b.Engine.Threshold))
	}
	lv := func(ls []lexscreen.ListVersion) []string {
		var s []string
		for _, l := range ls {
			s = append(s, l.Source+" "+l.Version)
		}
		return s
	}
	if !slices.Equal(lv(a.Lists), lv(b.Lists)) {
		diffs = append(diffs, fmt.Sprintf("lists: %v then, %v now", lv(a.Lists), lv(b.Lists)))
	}
	am, bm := map[string]lexscreen.Match{}, map[string]lexscreen.Match{}
	var order []string
	for _, m := range a.Matches {
		am[m.Entity.ID] = m
		order = append(order, m.Entity.ID)
	}
	for _, m := range b.Matches {
		bm[m.Entity.ID] = m
		if _, ok := am[m.Entity.ID]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s matches now (score %.3f) but did not then", m.Entity.ID, m.Score))
		}
	}
	for _, id := range order {
		x, ok := bm[id]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s matched then (score %.3f) but does not now", id, am[id].Score))
			continue
		}
		if x.Score != am[id].Score {
			diffs = append(diffs, fmt.Sprintf("%s: score %.4f then, %.4f now", id, am[id].Score, x.Score))
		}
		ja, _ := json.Marshal(am[id].Obligations)
		jb, _ := json.Marshal(x.Obligations)
		if string(ja) != string(jb) {
			diffs = append(diffs, fmt.Sprintf("%s: obligations differ: %s then, %s now", id, ja, jb))
		}
		ja, _ = json.Marshal(am[id].Explanation)
		jb, _ = json.Marshal(x.Explanation)
		if string(ja) != string(jb) {
			diffs = append(diffs, fmt.Sprintf("%s: explanation differs", id))
		}
	}
	if len(diffs) == 0 {
		ja, _ := json.Marshal(a.Matches)
		jb, _ := json.Marshal(b.Matches)
		if string(ja) != string(jb) {
			diffs = append(diffs, "matches differ in order or detail")
		}
		ja, _ = json.Marshal(a.Conflicts)
		jb, _ = json.Marshal(b.Conflicts)
		if string(ja) != string(jb) {
			diffs = append(diffs, fmt.Sprintf("conflicts: %s then, %s now", ja, jb))
		}
	}
	return diffs
}
