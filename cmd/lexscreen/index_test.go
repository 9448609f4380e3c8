package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
	"github.com/lexscreen/lexscreen/store/storetest"
)

func indexJSON(t *testing.T, dir string, args ...string) indexReport {
	t.Helper()
	out, errOut, code := lex(t, dir, append([]string{"index", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("index %v: exit %d: %s%s", args, code, out, errOut)
	}
	var r indexReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("index %v: %v\n%s", args, err, out)
	}
	return r
}

// smallSnapshots returns two of dir's current snapshots with the fewest
// entities (cheap indexes to build), the smallest first.
func smallSnapshots(t *testing.T, dir string) []lexscreen.Snapshot {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cur, err := db.Current(context.Background())
	if err != nil || len(cur) < 2 {
		t.Fatalf("%d current snapshots, %v", len(cur), err)
	}
	slices.SortFunc(cur, func(a, b lexscreen.Snapshot) int { return a.Entities - b.Entities })
	return cur[:2]
}

// `lexscreen index` keeps the index of the lists in use, or of given
// snapshots, beside the store; a second run finds it there.
func TestIndexCommand(t *testing.T) {
	dir := bundledDir(t)
	all := indexJSON(t, dir)
	if filepath.Dir(all.File) != filepath.Join(dir, "index") || all.Entities < 20000 || len(all.Snapshots) < 5 || all.Background {
		t.Errorf("lists in use: %+v", all)
	}
	if again := indexJSON(t, dir); again.Built || again.File != all.File {
		t.Errorf("second run: %+v, want the file %s found", again, all.File)
	}
	small := smallSnapshots(t, dir)
	id := strconv.FormatInt(small[0].ID, 10)
	r := indexJSON(t, dir, "--background", "--snapshots", id)
	if !r.Built || r.Entities != small[0].Entities || len(r.Snapshots) != 1 || !r.Background || r.File == all.File {
		t.Errorf("--snapshots %s --background: %+v, want %d entities built", id, r, small[0].Entities)
	}
	if _, err := os.Stat(r.File); err != nil {
		t.Error(err)
	}
	out, errOut, code := lex(t, dir, "index", "--snapshots", "999999")
	if code != 3 || !strings.Contains(errOut, "999999") {
		t.Errorf("an unknown snapshot: exit %d, %s%s", code, out, errOut)
	}
	t.Setenv(screening.IndexCacheEnv, "off")
	if _, errOut, code := lex(t, dir, "index"); code != 2 || !strings.Contains(errOut, screening.IndexCacheEnv) {
		t.Errorf("no index kept: exit %d, %s", code, errOut)
	}
}

// A server's rebuild in another process: this executable, run as
// `lexscreen --background index --snapshots ...`, keeps the file the
// server then maps; a failure comes back with the process's own words.
func TestBuildIndexElsewhere(t *testing.T) {
	dir := bundledDir(t)
	small := smallSnapshots(t, dir)
	a := &app{ctx: context.Background(), dataDir: dir}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := screening.IndexFile(db, small[1:], Version)
	if _, err := os.Stat(file); err == nil {
		t.Fatalf("%s exists before the build: nothing to tell", file)
	}
	var logged bytes.Buffer
	build := a.buildIndexElsewhere(slog.New(slog.NewTextHandler(&logged, nil)))
	ids := []int64{small[1].ID}
	if err := build(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("no index file after the build: %v", err)
	}
	if logged.Len() != 0 {
		t.Errorf("a build with nothing to say logged: %s", logged.String())
	}
	// The child's report: found now, at the lowest priority, nothing said.
	rep, said, err := a.indexProcess(context.Background(), ids)
	if err != nil || rep.Built || rep.File != file || !rep.Background || rep.Note != "" || said != "" {
		t.Errorf("second run: %+v, said %q, %v; want the file found", rep, said, err)
	}
	// A damaged file is rebuilt, and what the child said of it is logged.
	if err := os.Truncate(file, 100); err != nil {
		t.Fatal(err)
	}
	if err := build(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "not used") {
		t.Errorf("the damaged file is not in the log: %q", logged.String())
	}
	err = build(context.Background(), []int64{999999})
	if err == nil || !strings.Contains(err.Error(), "no snapshot 999999") {
		t.Errorf("an unknown snapshot: %v", err)
	}
}

// The same with a PostgreSQL store: the child gets the store by the
// environment, and keeps the file in the user's cache directory, where
// the server looks for it.
func TestBuildIndexElsewherePostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // a PostgreSQL store's index files go there
	dir := t.TempDir()
	if _, errOut, code := lex(t, dir, "--store", dsn, "import", "testdata/custom/bank-internal.csv"); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	a := &app{ctx: ctx, dataDir: dir, storeURL: dsn}
	db, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cur, err := db.Current(ctx)
	if err != nil || len(cur) != 1 {
		t.Fatalf("%d snapshots in the schema, %v; want the one imported", len(cur), err)
	}
	file := screening.IndexFile(db, cur, Version)
	if !strings.HasPrefix(file, os.Getenv("XDG_CACHE_HOME")) {
		t.Fatalf("index file %s, not in the cache directory", file)
	}
	if _, _, err := a.indexProcess(ctx, []int64{cur[0].ID}); err != nil {
		t.Fatal(err)
	}
	sc, err := screening.LoadSnapshots(ctx, db, cur, Version, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Built() || sc.IndexFile() != file || sc.Entities() != cur[0].Entities {
		t.Errorf("after the child's build: built %v on %q, %d entities; want %s mapped", sc.Built(), sc.IndexFile(), sc.Entities(), file)
	}
}
