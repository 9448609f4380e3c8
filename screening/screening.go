// Package screening puts the pieces of a screening together: it builds the
// matcher's index from the snapshots in use, screens queries, applies the
// legal regimes for an operator on a date, and stamps every result with the
// list versions, engine version and threshold it used, so that any result
// can be reproduced.
package screening

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/dates"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/store"
)

// Screener screens queries against one immutable index.
type Screener struct {
	matcher   *match.Matcher
	lists     []lexscreen.ListVersion
	engine    string
	firstSeen func(entityID string) time.Time
	// loadFirstSeen reads the first-seen dates, once (nil: none to read).
	loadFirstSeen func()
	snapshots     []lexscreen.Snapshot
	entities      int
	// loaded is when the list ages were computed: a Screener that lives
	// for days (a server) adds the days since to them.
	loaded time.Time
	// missing warns of the lists left out of a screening as of a past
	// date (no snapshot published by then); every result carries them.
	missing []lexscreen.Warning
	// warnings caches ListWarnings.
	warnings atomic.Pointer[listWarnings]
	// indexFile is the persisted index the Screener screens on ("": an
	// index on the heap).
	indexFile string
	// built: this load built the index from the store (see Built).
	built bool
	// phases is how long each phase of the load took (see Phases).
	phases LoadPhases
	// ownership is who owns or controls whom among the indexed entities,
	// built with the index (nil: not evaluated).
	ownership *regime.OwnershipGraph
}

// Load builds a Screener from the current snapshot of every list in db.
// onEntity, when set, is called once per indexed entity (progress).
func Load(ctx context.Context, db store.Store, engineVersion string, onEntity func()) (*Screener, error) {
	snaps, err := db.Current(ctx)
	if err != nil {
		return nil, err
	}
	return LoadSnapshots(ctx, db, snaps, engineVersion, time.Now(), onEntity)
}

// LoadSnapshots builds a Screener from the given snapshots (a past set of
// list versions, for a replay). List ages are computed as of now. The
// legal regimes see, for every entity, the publisher's date of the first
// snapshot of the store that holds it.
//
// The index is read from its persisted file beside the store when there
// is one for exactly these snapshots and this build (see IndexKey);
// otherwise it is built from the store and persisted for next time.
// Results are the same either way. The store is read on a second
// goroutine while the index is built; onEntity, when set, is called once
// per entity indexed (progress).
func LoadSnapshots(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, now time.Time, onEntity func()) (*Screener, error) {
	return loadSnapshots(ctx, db, snaps, engineVersion, now, onEntity, false)
}

// LoadSnapshotsPaced is LoadSnapshots with step called once per entity
// read, to pace the build (a Throttle's Step, for a rebuild in the
// background): reading and indexing are both done on the caller's
// goroutine, so that the pace holds for both.
func LoadSnapshotsPaced(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, now time.Time, step func()) (*Screener, error) {
	return loadSnapshots(ctx, db, snaps, engineVersion, now, step, true)
}

func loadSnapshots(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, now time.Time, onEntity func(), paced bool) (*Screener, error) {
	lists := ListVersions(snaps, now)
	dir, key := indexPlace(db, snaps, engineVersion)
	if dir != "" {
		if p, ok := readKept(dir, key, lists); ok {
			sc := fromParts(ctx, db, snaps, engineVersion, p)
			sc.indexFile = indexPath(dir, key)
			return sc, nil
		}
	}
	var ph LoadPhases
	p, err := buildParts(ctx, db, snaps, lists, onEntity, paced, &ph)
	if err != nil {
		return nil, err
	}
	if dir != "" {
		start := time.Now()
		err := writeIndexFile(dir, key, p)
		ph.Write = time.Since(start)
		if err != nil {
			IndexNotes(fmt.Sprintf("could not keep the index in %s (%v): the next screening will build it again", dir, err))
		} else if mapped, ok, err := readIndexFile(dir, key, lists); ok {
			// Screen on the file just written, as a restarted process
			// would: the index built on the heap (some 110 MB on the
			// bundled lists) becomes garbage, so the live heap, and the
			// marking of each collection, stay as small after a rebuild
			// as after a start.
			ph.ReadBack = time.Since(start) - ph.Write
			sc := fromParts(ctx, db, snaps, engineVersion, mapped)
			sc.indexFile, sc.built, sc.phases = indexPath(dir, key), true, ph
			return sc, nil
		} else if err != nil {
			IndexNotes(fmt.Sprintf("the index just written could not be read back (%v): screening on the index built in memory", err))
		}
	}
	sc := fromParts(ctx, db, snaps, engineVersion, p)
	sc.built, sc.phases = true, ph
	return sc, nil
}

// KeptIndex is what KeepIndex did.
type KeptIndex struct {
	File     string // the index file
	Built    bool   // built now; false: a good file was there already
	Entities int
	Phases   LoadPhases // of the build (ReadBack stays zero)
}

// KeepIndex makes sure the index file of snaps is kept beside db, as
// LoadSnapshots would keep it, without screening on it: a good file there
// already is left as it is; otherwise the index is built and written, and
// not read back (`lexscreen index`, a server's rebuild in another process:
// the process that screens maps it). It fails when no index can be kept
// for db (an in-memory store, or LEXSCREEN_INDEX_CACHE=off) or the file
// could not be written.
func KeepIndex(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, onEntity func()) (KeptIndex, error) {
	lists := ListVersions(snaps, time.Now())
	dir, key := indexPlace(db, snaps, engineVersion)
	if dir == "" {
		return KeptIndex{}, lexscreen.Errorf(lexscreen.EINVALID, "no index can be kept for this store (an in-memory store, or %s=off)", IndexCacheEnv)
	}
	k := KeptIndex{File: indexPath(dir, key)}
	if p, ok := readKept(dir, key, lists); ok {
		k.Entities = p.entities
		return k, nil
	}
	p, err := buildParts(ctx, db, snaps, lists, onEntity, false, &k.Phases)
	if err != nil {
		return KeptIndex{}, err
	}
	start := time.Now()
	if err := writeIndexFile(dir, key, p); err != nil {
		return KeptIndex{}, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the index of %d entities was built but could not be kept in %s: %v", p.entities, dir, err)
	}
	k.Phases.Write = time.Since(start)
	k.Built, k.Entities = true, p.entities
	return k, nil
}

// LoadPhases is how long the phases of a load that built its index took
// (all zero for a load that read a kept index file).
type LoadPhases struct {
	// Read: reading the entities from the store and adding them to the
	// builders; Build: making the index of what was added.
	Read, Build time.Duration
	// Write: writing the index file; ReadBack: mapping and decoding it.
	Write, ReadBack time.Duration
}

// Phases returns how long the phases of the load took.
func (s *Screener) Phases() LoadPhases { return s.phases }

// buildParts reads the entities of snaps from the store and builds the
// matcher's index and the ownership graph.
// onEntity, when set, is called after each entity indexed; paced builds
// on one goroutine (see LoadSnapshotsPaced).
func buildParts(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, lists []lexscreen.ListVersion, onEntity func(), paced bool, ph *LoadPhases) (persisted, error) {
	start := time.Now()
	b := match.NewBuilder(lists)
	b.KeepAttributes(regime.ListingAttributes...)
	total := 0
	for _, s := range snaps {
		total += s.Entities
	}
	b.Grow(total)
	own := regime.NewOwnershipBuilder()
	entities := 0
	add := func(e *lexscreen.Entity) {
		b.Add(e)
		own.Add(e)
		entities++
		if onEntity != nil {
			onEntity()
		}
	}
	var err error
	if paced {
		err = readEntitiesInline(ctx, db, snaps, add)
	} else {
		err = readEntities(ctx, db, snaps, add)
	}
	if err != nil {
		return persisted{}, err
	}
	ph.Read = time.Since(start)
	p := persisted{ix: b.Build(), ownership: own.Build(), entities: entities}
	ph.Build = time.Since(start) - ph.Read
	return p, nil
}

// fromParts makes the Screener of an index and ownership graph.
func fromParts(ctx context.Context, db store.Store, snaps []lexscreen.Snapshot, engineVersion string, p persisted) *Screener {
	sc := New(p.ix, engineVersion)
	sc.snapshots, sc.entities = snaps, p.entities
	sc.ownership = p.ownership
	// First-seen dates are read once, when the legal regimes first need
	// them (or Warm asks); batch workers may ask at the same time.
	var once sync.Once
	var seen map[string]time.Time
	sc.loadFirstSeen = func() {
		once.Do(func() {
			var err error
			if seen, err = db.FirstSeen(context.WithoutCancel(ctx)); err != nil {
				seen = map[string]time.Time{}
			}
		})
	}
	sc.firstSeen = func(id string) time.Time {
		sc.loadFirstSeen()
		return seen[id]
	}
	return sc
}

// SnapshotsAt returns the snapshots in force on date: for every list of
// the store, the newest published on or before the end of that day (ties:
// the latest imported). A list with no snapshot that old is left out, and
// said so in a warning (Field "lists", Value the source). lexscreen's own
// legal datasets (the ICC warrants, the hostile listings) are the
// exception: they are always used in their current version, because they
// date their facts themselves (a warrant's issue date, its status history,
// a listing's date) and the legal layer uses only the facts known on the
// date screened.
func SnapshotsAt(ctx context.Context, db store.Store, date time.Time) ([]lexscreen.Snapshot, []lexscreen.Warning, error) {
	endOfDay := date.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Nanosecond)
	past, err := db.CurrentAt(ctx, endOfDay)
	if err != nil {
		return nil, nil, err
	}
	cur, err := db.Current(ctx)
	if err != nil {
		return nil, nil, err
	}
	own := ownDatasets()
	var snaps []lexscreen.Snapshot
	for _, s := range past {
		if !own[s.Source] {
			snaps = append(snaps, s)
		}
	}
	have := map[string]bool{}
	for _, s := range snaps {
		have[s.Source] = true
	}
	var warns []lexscreen.Warning
	for _, s := range cur {
		switch {
		case own[s.Source]:
			snaps = append(snaps, s)
		case !have[s.Source]:
			warns = append(warns, lexscreen.Warning{Field: "lists", Value: s.Source,
				Message: fmt.Sprintf("%s is left out: the store has no snapshot of it published on or before %s (its oldest is later)",
					s.Source, date.Format("2006-01-02"))})
		}
	}
	return snaps, warns, nil
}

// ownDatasets returns the sources of lexscreen's own legal datasets
// (bundled lists that are not a publisher's own), reading the bundled
// manifest once.
func ownDatasets() map[string]bool {
	own := map[string]bool{}
	for _, l := range bundled.Lists() {
		if l.Attribution != "" {
			own[l.Source] = true
		}
	}
	return own
}

// Past reports whether date is a day before today (UTC): a screening as of
// it uses the snapshots in force then (SnapshotsAt), not the current ones.
func Past(date time.Time) bool {
	return !date.IsZero() && date.UTC().Truncate(24*time.Hour).Before(time.Now().UTC().Truncate(24*time.Hour))
}

// LoadAt builds a Screener from the snapshots in force on date (see
// SnapshotsAt), their ages computed as of that date. Every result of it
// carries the warnings of the lists left out.
func LoadAt(ctx context.Context, db store.Store, date time.Time, engineVersion string, onEntity func()) (*Screener, error) {
	snaps, warns, err := SnapshotsAt(ctx, db, date)
	if err != nil {
		return nil, err
	}
	sc, err := LoadSnapshots(ctx, db, snaps, engineVersion, date, onEntity)
	if err != nil {
		return nil, err
	}
	sc.SetMissing(warns)
	return sc, nil
}

// SetMissing sets the warnings of the lists left out of the Screener's
// index (see SnapshotsAt); every result and ListWarnings carry them.
func (s *Screener) SetMissing(w []lexscreen.Warning) { s.missing = w }

// Warm reads now what the Screener would otherwise read from the store at
// its first screening with legal regimes (the first-seen dates of the
// entities), so that a server swapping in a new index does not make the
// screenings that come first wait for it. It reports whether there was
// anything to read.
func (s *Screener) Warm() bool {
	if s.loadFirstSeen == nil {
		return false
	}
	s.loadFirstSeen()
	return true
}

// WarmUp screens the names of up to n of the index's own entities, spread
// through it, and forgets the results, so that the first screenings of a
// server that has just started are not the slowest: the index
// file is mapped and its pages left to the page cache once checksummed, so
// each first screening otherwise waits for the pages it touches, and
// hundreds come at once. It returns how many names it screened.
func (s *Screener) WarmUp(n int) int {
	names := s.matcher.Index().SampleNames(n)
	for _, name := range names {
		s.matcher.ScreenWith(lexscreen.Query{Name: name}, match.Options{Threshold: match.DefaultThreshold})
	}
	return len(names)
}

// New returns a Screener over an index.
func New(ix *match.Index, engineVersion string) *Screener {
	return &Screener{matcher: match.New(ix), lists: ix.Lists(), engine: engineVersion,
		firstSeen: func(string) time.Time { return time.Time{} }, loaded: time.Now()}
}

// Snapshots returns the store snapshots the Screener was loaded from.
func (s *Screener) Snapshots() []lexscreen.Snapshot { return s.snapshots }

// Entities returns the number of entities indexed.
func (s *Screener) Entities() int { return s.entities }

// ListVersion describes a snapshot for results.
func ListVersion(s lexscreen.Snapshot, now time.Time) lexscreen.ListVersion {
	v := lexscreen.ListVersion{Source: s.Source, Version: s.Version, Snapshot: s.ID}
	if !s.Published.IsZero() {
		v.Published = s.Published.Format("2006-01-02")
		v.AgeDays = int(now.Sub(s.Published).Hours() / 24)
	}
	return v
}

// ListVersions is ListVersion of each snapshot, in order (nil for none).
func ListVersions(snaps []lexscreen.Snapshot, now time.Time) []lexscreen.ListVersion {
	var lists []lexscreen.ListVersion
	for _, s := range snaps {
		lists = append(lists, ListVersion(s, now))
	}
	return lists
}

// Lists returns the versions of the lists in use, with their ages as of
// now (ages computed at load, plus the whole days since).
func (s *Screener) Lists() []lexscreen.ListVersion {
	days := int(time.Since(s.loaded).Hours() / 24)
	if days <= 0 {
		return s.lists
	}
	out := make([]lexscreen.ListVersion, len(s.lists))
	for i, l := range s.lists {
		if l.Published != "" {
			l.AgeDays += days
		}
		out[i] = l
	}
	return out
}

// ListWarnings returns the warnings every screening on s carries: the
// lists left out as of a past date, then those of the function
// ListWarnings. They change only with the day and maxAge, so they are
// worked out once for both and shared: callers must not modify them.
func (s *Screener) ListWarnings(maxAge time.Duration) []lexscreen.Warning {
	days := int(time.Since(s.loaded).Hours() / 24)
	if c := s.warnings.Load(); c != nil && c.days == days && c.maxAge == maxAge {
		return c.ws
	}
	ws := append(slices.Clone(s.missing), ListWarnings(s.Lists(), maxAge)...)
	s.warnings.Store(&listWarnings{days: days, maxAge: maxAge, ws: ws})
	return ws
}

// listWarnings are a Screener's list warnings for one day and maximum age.
type listWarnings struct {
	days   int
	maxAge time.Duration
	ws     []lexscreen.Warning
}

// Matcher returns the matcher.
func (s *Screener) Matcher() *match.Matcher { return s.matcher }

// Options of one screening.
type Options struct {
	Threshold float64
	Limit     int
	// Regimes, Operator and Date, when Regimes is set, add to every match
	// what the law requires of the operator on the date.
	Regimes  *regime.Engine
	Operator regime.Operator
	Date     time.Time
	// MaxListAge is the age past which an official list makes the result
	// warn (see ListWarnings): 0 means DefaultMaxListAge, negative none.
	MaxListAge time.Duration
	// OmitListWarnings leaves the lists' warnings (stale lists, lists left
	// out as of a past date) off the result, for a caller that reports
	// them once for many screenings (Screener.ListWarnings), as batch does.
	OmitListWarnings bool
}

// Screen screens one query.
func (s *Screener) Screen(q lexscreen.Query, opts Options) (lexscreen.Result, error) {
	th := opts.Threshold
	if th <= 0 {
		th = match.DefaultThreshold
	}
	ms, err := s.matcher.ScreenWith(q, match.Options{Threshold: th, Limit: opts.Limit})
	if err != nil {
		return lexscreen.Result{}, err
	}
	if ms == nil {
		ms = []lexscreen.Match{}
	}
	res := lexscreen.Result{Query: q, Matches: ms, Conflicts: []lexscreen.Conflict{},
		Lists: s.Lists(), Engine: lexscreen.Engine{Version: s.engine + " " + match.Version, Threshold: th}}
	// A negative MaxListAge is a caller that reports the lists' warnings
	// once (ListWarnings), the lists left out with them.
	if !opts.OmitListWarnings {
		res.Warnings = append(res.Warnings, s.ListWarnings(opts.MaxListAge)...)
	}
	// A date of birth that could not be read was left out of the evidence;
	// one read loosely (day/month order, century) was read as the note says.
	if w := dates.Warning("dob", q.BirthDate); w != nil {
		res.Warnings = append(res.Warnings, *w)
	}
	if opts.Regimes != nil {
		res.Operator, res.Date = opts.Operator.Name, opts.Date.Format("2006-01-02")
		for i := range res.Matches {
			m := &res.Matches[i]
			obl, conflicts, err := opts.Regimes.Evaluate(opts.Operator, opts.Date, s.Listing(m))
			if err != nil {
				return lexscreen.Result{}, err
			}
			if obl == nil {
				obl = []lexscreen.Obligation{}
			}
			m.Obligations = obl
			res.Conflicts = append(res.Conflicts, conflicts...)
		}
	}
	return res, nil
}

// Listings returns a Listing for every entity of the lists in use (for an
// operator's exposure report), from the index: no store I/O.
func (s *Screener) Listings() []regime.Listing {
	var out []regime.Listing
	s.matcher.Index().EachEntity(func(ref lexscreen.EntityRef, ds []lexscreen.Designation) {
		out = append(out, s.Listing(&lexscreen.Match{Entity: ref, Designations: ds}))
	})
	return out
}

// Listing is what the legal regimes need to know of a matched entity.
func (s *Screener) Listing(m *lexscreen.Match) regime.Listing {
	return regime.Listing{EntityID: m.Entity.ID, Source: m.Entity.Source, Names: m.Entity.Names,
		Designations: m.Designations, Attributes: s.matcher.Index().Attributes(m.Entity.ID),
		FirstSeen: s.firstSeen(m.Entity.ID), Schema: m.Entity.Schema, Ownership: s.ownership}
}
