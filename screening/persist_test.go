package screening_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// persistStore is a store holding the UN list, lexscreen's ICC datasets
// (warrant attributes for the regimes) and a small OFAC file.
func persistStore(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db := tempStore(t)
	for _, l := range bundled.Lists() {
		if l.Source == "un-sc" || l.Source == "icc-warrants" || l.Source == "ru-icc-cases" {
			if _, err := ingest.Bundled(ctx, db, l, ingest.Options{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	importOFAC(t, db)
	return db
}

// withoutGraph returns the Screener's listings without their ownership
// graph (built in memory or read in place, the same graph is held
// differently; the screenings compared above evaluate it).
func withoutGraph(sc *screening.Screener) []regime.Listing {
	ls := sc.Listings()
	for i := range ls {
		if ls[i].Ownership != sc.Ownership() {
			return nil
		}
		ls[i].Ownership = nil
	}
	return ls
}

// persistQueries are listed names, each with a letter changed in every
// other query, with a date of birth or country now and then, and names on
// no list.
func persistQueries(sc *screening.Screener) []lexscreen.Query {
	var qs []lexscreen.Query
	i := 0
	sc.Matcher().Index().EachEntity(func(ref lexscreen.EntityRef, _ []lexscreen.Designation) {
		i++
		if i%9 != 0 && !strings.HasPrefix(ref.ID, "icc") && !strings.HasPrefix(ref.ID, "ru-icc") {
			return
		}
		name := []rune(ref.Name)
		if i%2 == 0 && len(name) > 6 {
			name[len(name)/2] = 'e'
		}
		q := lexscreen.Query{Name: string(name)}
		switch i % 5 {
		case 1:
			q.BirthDate = "1970"
		case 2:
			q.Countries = []string{"RU"}
		case 3:
			q.Schema = ref.Schema
		}
		qs = append(qs, q)
	})
	return append(qs, lexscreen.Query{Name: "Ingeborg Abrahamsen"}, lexscreen.Query{Name: "Acme Trading Limited"})
}

// The persisted index screens exactly as the index built from the store:
// the same matches, scores, explanations and obligations, for a set of
// listed names with typos, dates and countries, with the legal regimes.
// The first load writes the file, the next reads it; a damaged file is
// said so and rebuilt, never read.
func TestPersistedIndexScreensAlike(t *testing.T) {
	ctx := context.Background()
	db := persistStore(t)
	snaps, err := db.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	load := func() *screening.Screener {
		t.Helper()
		sc, err := screening.LoadSnapshots(ctx, db, snaps, "test", now, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	var notes []string
	old := screening.IndexNotes
	screening.IndexNotes = func(msg string) { notes = append(notes, msg) }
	t.Cleanup(func() { screening.IndexNotes = old })
	dir := screening.IndexDir(db.Path())

	t.Setenv(screening.IndexCacheEnv, "off")
	built := load()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("index cache off, yet %s: %v", dir, err)
	}
	t.Setenv(screening.IndexCacheEnv, "")
	first := load()
	read := load()
	if !first.Built() || read.Built() || first.IndexFile() == "" || read.IndexFile() != first.IndexFile() {
		t.Fatalf("first load built %v on %q, second built %v on %q: want built then read, both on the kept file", first.Built(), first.IndexFile(), read.Built(), read.IndexFile())
	}
	if built.IndexFile() != "" || !built.Built() {
		t.Fatalf("index cache off: built %v on %q, want built on the heap", built.Built(), built.IndexFile())
	}

	engine, err := regime.Load()
	if err != nil {
		t.Fatal(err)
	}
	op, err := regime.ParseBuiltinOperator("eu-bank")
	if err != nil {
		t.Fatal(err)
	}
	opts := screening.Options{Regimes: engine, Operator: op, Date: now, Threshold: 0.6}
	qs := persistQueries(built)
	matches := 0
	for _, q := range qs {
		want, err1 := built.Screen(q, opts)
		have, err2 := read.Screen(q, opts)
		if !reflect.DeepEqual(want, have) || !reflect.DeepEqual(err1, err2) {
			t.Errorf("%q screens differently:\nbuilt %+v\nread  %+v", q.Name, want, have)
		}
		matches += len(want.Matches)
	}
	if len(qs) < 100 || matches < len(qs)/2 {
		t.Errorf("%d queries, %d matches: too few to compare", len(qs), matches)
	}
	if built.Entities() != read.Entities() || built.Ownership().Edges() != read.Ownership().Edges() ||
		!reflect.DeepEqual(built.Lists(), read.Lists()) || !reflect.DeepEqual(withoutGraph(built), withoutGraph(read)) {
		t.Error("entities, ownership, lists or listings differ")
	}

	// A bit flipped in the middle: refused, said so, rebuilt, read again.
	file := read.IndexFile()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	notes = nil
	if again := load(); !again.Built() || len(notes) != 1 || !strings.Contains(notes[0], "checksum") || !strings.Contains(notes[0], "rebuilding") {
		t.Errorf("damaged file: built %v, notes %q", again.Built(), notes)
	}
	if again := load(); again.Built() || again.IndexFile() != file {
		t.Errorf("after the rebuild, built %v on %q, want read from %q", again.Built(), again.IndexFile(), file)
	}

	// Another set of snapshots is another file.
	sub, err := screening.LoadSnapshots(ctx, db, snaps[:1], "test", now, nil)
	if err != nil || !sub.Built() || sub.Entities() >= read.Entities() {
		t.Errorf("one snapshot: built %v, %d entities, %v", sub.Built(), sub.Entities(), err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.lxi"))
	if len(files) != 2 || !slices.Contains(files, file) {
		t.Errorf("index files %v", files)
	}
}

// KeepIndex writes the file LoadSnapshots then maps without building,
// leaves a good file as it is, rebuilds a damaged one (and says so), and
// fails where no index can be kept.
func TestKeepIndex(t *testing.T) {
	ctx := context.Background()
	db := persistStore(t)
	snaps, err := db.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	old := screening.IndexNotes
	screening.IndexNotes = func(msg string) { notes = append(notes, msg) }
	t.Cleanup(func() { screening.IndexNotes = old })

	ticks := 0
	k, err := screening.KeepIndex(ctx, db, snaps, "test", func() { ticks++ })
	if err != nil {
		t.Fatal(err)
	}
	if !k.Built || k.File != screening.IndexFile(db, snaps, "test") || k.Entities == 0 || ticks != k.Entities || k.Phases.Read == 0 || k.Phases.ReadBack != 0 {
		t.Fatalf("first: %+v, %d ticks", k, ticks)
	}
	sc, err := screening.LoadSnapshots(ctx, db, snaps, "test", time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Built() || sc.IndexFile() != k.File || sc.Entities() != k.Entities {
		t.Errorf("LoadSnapshots after KeepIndex: built %v on %q, %d entities", sc.Built(), sc.IndexFile(), sc.Entities())
	}
	if again, err := screening.KeepIndex(ctx, db, snaps, "test", nil); err != nil || again.Built || again.Entities != k.Entities {
		t.Errorf("second: %+v, %v; want the file found", again, err)
	}
	if err := os.Truncate(k.File, 1000); err != nil {
		t.Fatal(err)
	}
	if fixed, err := screening.KeepIndex(ctx, db, snaps, "test", nil); err != nil || !fixed.Built {
		t.Errorf("damaged file: %+v, %v; want it rebuilt", fixed, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "not used") {
		t.Errorf("notes %q, want the damaged file's", notes)
	}
	t.Setenv(screening.IndexCacheEnv, "off")
	if _, err := screening.KeepIndex(ctx, db, snaps, "test", nil); lexscreen.ErrorCode(err) != lexscreen.EINVALID {
		t.Errorf("index cache off: %v, want EINVALID", err)
	}
}
