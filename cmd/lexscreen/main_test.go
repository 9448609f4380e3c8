package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
	"github.com/lexscreen/lexscreen/workspace"
)

// asCLI, set in the environment, makes the test binary run as lexscreen
// itself (see lexBinary): no separate build is needed for smoke tests.
const asCLI = "LEXSCREEN_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		main()
		return
	}
	// The processes lexscreen starts itself (serve's index builds, run as
	// this executable) run as lexscreen too.
	os.Setenv(asCLI, "1")
	// The tests build indexes of the bundled lists (some 150 MB each) over
	// and over: a larger heap before each collection cuts the collector's
	// share of their CPU time by about a quarter; the memory limit is a
	// safety net when parallel tests build at once (a run peaks at about
	// 2.6 GB resident: a lower limit makes the collector run without
	// pause near it). The CLI
	// processes the tests start get the same setting (lexCommand).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(testGOGC)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(4 << 30)
	}
	shared, err := os.MkdirTemp("", "lexscreen-indexes-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	screenerCache = sharedIndexes{shared}.wrap(newTestCache[*screening.Screener](2).get)
	listingsCache = newTestCache[*monitor.Delta](2).get
	workspace.CheapPasswordHashes() // in-process runs; the processes started keep the real cost
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.RemoveAll(shared)
	os.Exit(code)
}

// testGOGC is the collector's setting in the tests and the processes they
// start, unless GOGC says otherwise.
const testGOGC = 400

// runLex runs lexscreen in-process on dataDir and returns stdout, stderr and
// the exit code. It is what most tests use: no process, no build.
func runLex(t testing.TB, dataDir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runLexInput(t, dataDir, nil, args...)
}

// runLexInput is runLex with stdin.
func runLexInput(t testing.TB, dataDir string, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"--data-dir", dataDir}, args...), stdin, &out, &errOut)
	return out.String(), errOut.String(), code
}

// lex is runLex (the name the tests have always used).
func lex(t *testing.T, dataDir string, args ...string) (string, string, int) {
	t.Helper()
	return runLex(t, dataDir, args...)
}

// lexCommand is lexscreen as a separate process: the test binary, run as
// the CLI (see TestMain).
func lexCommand(dataDir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"--data-dir", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), asCLI+"=1")
	if os.Getenv("GOGC") == "" {
		cmd.Env = append(cmd.Env, "GOGC="+strconv.Itoa(testGOGC))
	}
	return cmd
}

// lexBinary runs lexscreen as a separate process, for the few smoke tests
// of what only a process shows (signals, os.Exit, real stdout).
func lexBinary(t *testing.T, dataDir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := lexCommand(dataDir, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// templateDir holds a data directory with the bundled lists loaded, made
// once (by a real first run) and copied for the tests that need one.
var (
	templateDir  string
	templateOnce sync.Once
	templateErr  string
)

// bundledDir returns a new data directory holding the bundled lists.
func bundledDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	seedBundled(t, dir)
	return dir
}

// seedBundled copies the store with the bundled lists into dir.
func seedBundled(t *testing.T, dir string) {
	t.Helper()
	templateOnce.Do(func() {
		d, err := os.MkdirTemp("", "lexscreen-template-")
		if err != nil {
			templateErr = err.Error()
			return
		}
		if _, errOut, code := runLex(t, d, "lists", "--quiet"); code != 0 {
			templateErr = errOut
			return
		}
		// A screening builds the persisted index (index/), which the
		// copies then read instead of building their own.
		if _, errOut, code := runLex(t, d, "screen", "Template Warmup"); code != 0 {
			templateErr = errOut
			return
		}
		templateDir = d
	})
	if templateErr != "" {
		t.Fatalf("loading the bundled lists: %s", templateErr)
	}
	entries, err := os.ReadDir(templateDir)
	if err != nil {
		t.Fatal(err)
	}
	copyFiles(t, templateDir, dir, entries)
	if sub, err := os.ReadDir(filepath.Join(templateDir, "index")); err == nil {
		if err := os.Mkdir(filepath.Join(dir, "index"), 0o700); err != nil {
			t.Fatal(err)
		}
		linkFiles(t, filepath.Join(templateDir, "index"), filepath.Join(dir, "index"), sub)
	}
}

// copyFiles copies the regular files among entries of from into to, in
// the kernel (copy_file_range): no buffer of the test's heap holds them.
func copyFiles(t *testing.T, from, to string, entries []os.DirEntry) {
	t.Helper()
	for _, e := range entries {
		if e.Type().IsRegular() {
			copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
		}
	}
}

// copyFile copies the file src to dst, which it creates.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// linkFiles hard-links the regular files among entries of from into to
// (a copy where links fail). It is for persisted index files, which
// lexscreen maps read-only and replaces by renaming, never writes in
// place: every data directory can share the template's.
func linkFiles(t *testing.T, from, to string, entries []os.DirEntry) {
	t.Helper()
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		src, dst := filepath.Join(from, e.Name()), filepath.Join(to, e.Name())
		if err := os.Link(src, dst); err != nil {
			copyFile(t, src, dst)
		}
	}
}

type listsOut struct {
	Lists []struct {
		Source    string `json:"source"`
		Snapshot  int64  `json:"snapshot"`
		Version   string `json:"version"`
		Published string `json:"published"`
		Entities  int    `json:"entities"`
		Current   bool   `json:"current"`
	} `json:"lists"`
}

// lists runs `lists --json`. On a directory without a store, it first
// copies in one with the bundled lists (what the first run would load).
func lists(t *testing.T, dataDir string, sources ...string) listsOut {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dataDir, "lexscreen.db")); os.IsNotExist(err) {
		seedBundled(t, dataDir)
	}
	out, errOut, code := lex(t, dataDir, append([]string{"lists", "--json"}, sources...)...)
	if code != 0 {
		t.Fatalf("lists: exit %d: %s", code, errOut)
	}
	var l listsOut
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("lists --json: %v\n%s", err, out)
	}
	return l
}

// The main job on a fresh data directory loads the bundled real lists.
func TestBundledLists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := lists(t, dir)
	want := map[string]int{"us-ofac-sdn": 18494, "us-ofac-cons": 442, "un-sc": 1003, "eu-fsf": 4589, "gb-ofsi": 4254,
		"icc-warrants": 34, "ru-icc-cases": 9}
	got := map[string]int{}
	for _, s := range l.Lists {
		got[s.Source] = s.Entities
		if !s.Current || s.Published == "" {
			t.Errorf("%s: current=%v published=%q", s.Source, s.Current, s.Published)
		}
	}
	for s, n := range want {
		if got[s] != n {
			t.Errorf("%s: %d entities, want %d", s, got[s], n)
		}
	}
	// Human output says how old each list is.
	out, _, code := lex(t, dir, "lists")
	if code != 0 || !strings.Contains(out, "AGE") || !strings.Contains(out, " days") {
		t.Errorf("lists output lacks ages:\n%s", out)
	}
	// A second run does not import again.
	if l2 := lists(t, dir); len(l2.Lists) != len(l.Lists) {
		t.Errorf("second run: %d snapshots, want %d", len(l2.Lists), len(l.Lists))
	}
}

func TestImportDiffHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, errOut, code := lex(t, dir, "import", "testdata/ofac")
	if code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	l := lists(t, dir, "us-ofac-sdn") // the other bundled lists are loaded too
	if len(l.Lists) != 2 || l.Lists[0].Version != "2025-02-27" || l.Lists[0].Entities != 45 || l.Lists[1].Entities != 58 || !l.Lists[1].Current {
		t.Fatalf("after import: %+v", l.Lists)
	}
	// Same content again: nothing new.
	out, _, code = lex(t, dir, "import", "testdata/ofac/2025-12-24")
	if code != 0 || !strings.Contains(out, "already imported") {
		t.Errorf("re-import: exit %d: %s", code, out)
	}

	out, errOut, code = lex(t, dir, "diff", "us-ofac-sdn", "2025-02-27", "2025-12-24", "--program", "ICC-EO14203", "--json")
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, errOut)
	}
	var d struct {
		Added []struct {
			ID       string   `json:"id"`
			Programs []string `json:"programs"`
		} `json:"added"`
		Removed []any `json:"removed"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Added) != 15 || len(d.Removed) != 0 {
		t.Errorf("ICC diff: %d added, %d removed; want 15, 0", len(d.Added), len(d.Removed))
	}
	ids := map[string]bool{}
	for _, a := range d.Added {
		ids[a.ID] = true
	}
	for _, id := range []string{"us-ofac-sdn:52965", "us-ofac-sdn:55413", "us-ofac-sdn:56682"} {
		if !ids[id] {
			t.Errorf("ICC diff lacks %s", id)
		}
	}
	// The whole diff: removals and field changes too.
	out, _, code = lex(t, dir, "diff", "us-ofac-sdn")
	if code != 0 || !strings.Contains(out, "2 removed") || !strings.Contains(out, "Changed:") || !strings.Contains(out, "us-ofac-sdn:2674") {
		t.Errorf("diff:\n%s", out)
	}

	out, _, code = lex(t, dir, "history", "us-ofac-sdn:52965")
	if code != 0 || !strings.Contains(out, "appeared") || !strings.Contains(out, "2025-12-24") {
		t.Errorf("history 52965:\n%s", out)
	}
	out, _, code = lex(t, dir, "history", "us-ofac-sdn:7743")
	if code != 0 || !strings.Contains(out, "appeared") || !strings.Contains(out, "removed") {
		t.Errorf("history 7743:\n%s", out)
	}
	if _, _, code = lex(t, dir, "history", "us-ofac-sdn:999999999"); code != exitNotFound {
		t.Errorf("history of unknown id: exit %d, want %d", code, exitNotFound)
	}

	// A snapshot that loses most entities is refused, then accepted with --force.
	out, errOut, code = lex(t, dir, "import", "testdata/shrunk/2026-01-15")
	if code != exitConflict || !strings.Contains(errOut, "--force") {
		t.Errorf("shrunk import: exit %d, want %d: %s %s", code, exitConflict, out, errOut)
	}
	if l := lists(t, dir, "us-ofac-sdn"); len(l.Lists) != 2 {
		t.Errorf("refused import left %d snapshots", len(l.Lists))
	}
	if _, errOut, code = lex(t, dir, "import", "--force", "testdata/shrunk/2026-01-15"); code != 0 {
		t.Errorf("forced import: exit %d: %s", code, errOut)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	dir := bundledDir(t)
	out, _, code := lex(t, dir, "import", "--json", "testdata/broken/consolidated.xml")
	if code != exitInvalid {
		t.Fatalf("truncated XML: exit %d, want %d\n%s", code, exitInvalid, out)
	}
	var r struct {
		Imports []struct {
			Status string `json:"status"`
			Error  struct {
				Code, Message, File string
			} `json:"error"`
		} `json:"imports"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Imports) != 1 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if e := r.Imports[0].Error; r.Imports[0].Status != "failed" || e.Code != "invalid" || !strings.Contains(e.File, "consolidated.xml") {
		t.Errorf("error = %+v", r.Imports[0])
	}
	if l := lists(t, dir); len(l.Lists) != 7 { // only the bundled lists
		t.Errorf("after a failed import: %d snapshots", len(l.Lists))
	}
	// Unknown file, unknown flag, unknown list.
	if _, errOut, code := lex(t, dir, "import", "main.go"); code != exitInvalid || !strings.Contains(errOut, "main.go") {
		t.Errorf("import main.go: exit %d: %s", code, errOut)
	}
	if _, _, code := lex(t, dir, "lists", "--nope"); code != exitInvalid {
		t.Errorf("unknown flag: exit %d", code)
	}
	out, _, code = lex(t, dir, "diff", "no-such-list", "--json")
	if code != exitNotFound || !strings.Contains(out, `"not_found"`) {
		t.Errorf("diff unknown list: exit %d: %s", code, out)
	}
}

// Killing an import midway leaves the store as it was.
func TestKilledImport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, errOut, code := lex(t, dir, "import", "testdata/ofac/2025-02-27"); code != 0 {
		t.Fatal(errOut)
	}
	for _, delay := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond} {
		cmd := lexCommand(dir, "import", "--bundled")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	want := map[string]int{"us-ofac-sdn": 18494, "us-ofac-cons": 442, "un-sc": 1003, "eu-fsf": 4589, "gb-ofsi": 4254,
		"icc-warrants": 34, "ru-icc-cases": 9}
	// What the killed imports left, read from the store itself (a command
	// would first load the missing bundled lists; that the next command
	// finishes a load cut by a kill is TestKilledFirstRun's check).
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := db.Snapshots(context.Background(), "")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range snaps {
		if s.Version == "2025-02-27" && s.Entities == 45 {
			found = true
			continue
		}
		if want[s.Source] != s.Entities {
			t.Errorf("after kill: partial snapshot %+v", s)
		}
	}
	if !found {
		t.Errorf("after kill: the earlier snapshot is gone: %+v", snaps)
	}
}

// `update` fetches from the publishers (here a local mirror), imports what
// parses and keeps the last good snapshot of a publisher that refuses.
func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := lex(t, dir, "import", "testdata/ofac/2025-02-27"); code != 0 {
		t.Fatal(errOut)
	}
	files := map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/PublicationPreview/exports/", func(w http.ResponseWriter, r *http.Request) {
		name := files[path.Base(r.URL.Path)]
		if name == "" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, "/s3/"+name+"?X-Amz-Signature=1", http.StatusFound)
	})
	mux.HandleFunc("/s3/", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata/ofac/2025-12-24", path.Base(r.URL.Path)))
	})
	mux.HandleFunc("/resources/xml/en/consolidated.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Access denied", http.StatusForbidden)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	out, _, code := lex(t, dir, "update", "us-ofac-sdn", "un-sc", "--mirror", srv.URL, "--retries", "0", "--json")
	if code != exitUnavailable {
		t.Errorf("update: exit %d, want %d (one publisher failed)\n%s", code, exitUnavailable, out)
	}
	var r struct {
		Updates []struct {
			Source, Status string
			Snapshot       *struct{ Entities int }
			Error          *struct{ Message string }
		} `json:"updates"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Updates) != 2 {
		t.Fatalf("update --json: %v\n%s", err, out)
	}
	if u := r.Updates[0]; u.Status != "updated" || u.Snapshot == nil || u.Snapshot.Entities != 58 {
		t.Errorf("us-ofac-sdn: %+v", u)
	}
	if u := r.Updates[1]; u.Status != "failed" || u.Error == nil || !strings.Contains(u.Error.Message, "403") {
		t.Errorf("un-sc: %+v", u)
	}
	// Again: nothing new.
	out, _, _ = lex(t, dir, "update", "us-ofac-sdn", "--mirror", srv.URL, "--retries", "0")
	if !strings.Contains(out, "unchanged") {
		t.Errorf("second update: %s", out)
	}
}

// A past --date screens against the snapshots in force on that day: a name
// delisted since is found, each list names its snapshot, and a list with
// no snapshot that old is left out with a warning.
func TestScreenAsOf(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, d := range []string{"testdata/ofac/2025-02-27", "testdata/ofac/2025-12-24"} {
		if _, errOut, code := lex(t, dir, "import", d); code != 0 {
			t.Fatalf("import %s: exit %d: %s", d, code, errOut)
		}
	}
	l := lists(t, dir, "us-ofac-sdn")
	snapOf := map[string]int64{}
	for _, v := range l.Lists {
		snapOf[v.Version] = v.Snapshot
	}
	if snapOf["2025-02-27"] == 0 || snapOf["2025-12-24"] == 0 {
		t.Fatalf("snapshots: %+v", l.Lists)
	}
	type result struct {
		Lists    []lexscreen.ListVersion `json:"lists"`
		Warnings []lexscreen.Warning     `json:"warnings"`
		Matches  []struct {
			Entity struct {
				ID string `json:"id"`
			} `json:"entity"`
		} `json:"matches"`
	}
	// us-ofac-sdn:7743 (MILUTINOVIC, Milan) is in the February file only.
	for _, tc := range []struct {
		date    string
		found   bool
		version string // of us-ofac-sdn; "" when left out
	}{
		{"2025-06-30", true, "2025-02-27"},
		{"2025-02-27", true, "2025-02-27"}, // published that day: in force
		{"2026-01-15", false, "2025-12-24"},
		{"", false, "2025-12-24"}, // today: the current snapshots
		{"2024-06-01", false, ""},
	} {
		args := []string{"screen", "--json", "Milan Milutinovic"}
		if tc.date != "" {
			args = append(args, "--date", tc.date)
		}
		out, errOut, code := lex(t, dir, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.date, code, errOut)
		}
		var r result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v\n%s", tc.date, err, out)
		}
		found := false
		for _, m := range r.Matches {
			found = found || m.Entity.ID == "us-ofac-sdn:7743"
		}
		if found != tc.found {
			t.Errorf("%s: us-ofac-sdn:7743 found %v, want %v", tc.date, found, tc.found)
		}
		var sdn *lexscreen.ListVersion
		for i := range r.Lists {
			if r.Lists[i].Snapshot == 0 {
				t.Errorf("%s: list %s names no snapshot", tc.date, r.Lists[i].Source)
			}
			if r.Lists[i].Source == "us-ofac-sdn" {
				sdn = &r.Lists[i]
			}
		}
		warned := false
		for _, w := range r.Warnings {
			warned = warned || (w.Field == "lists" && w.Value == "us-ofac-sdn" && strings.Contains(w.Message, "left out"))
		}
		switch {
		case tc.version == "":
			if sdn != nil || !warned {
				t.Errorf("%s: us-ofac-sdn %+v, warned %v: want left out with a warning", tc.date, sdn, warned)
			}
		case sdn == nil || sdn.Version != tc.version || sdn.Snapshot != snapOf[tc.version] || warned:
			t.Errorf("%s: us-ofac-sdn %+v (warned %v), want %s snapshot %d", tc.date, sdn, warned, tc.version, snapOf[tc.version])
		}
	}
	// A list left out is said even when the age check is off: turning off
	// one warning must not turn off another.
	if out, errOut, _ := lex(t, dir, "screen", "--json", "--max-list-age", "0", "--date", "2024-06-01", "Milan Milutinovic"); !strings.Contains(out, "us-ofac-sdn is left out") {
		t.Errorf("--max-list-age 0 --date 2024-06-01: no warning of the list left out: %s %s", out, errOut)
	}
	// --current-lists keeps today's lists for a past date.
	if out, _, _ := lex(t, dir, "screen", "--json", "--date", "2025-06-30", "--current-lists", "Milan Milutinovic"); strings.Contains(out, "us-ofac-sdn:7743") || strings.Contains(out, "left out") {
		t.Errorf("--current-lists: %s", out)
	}
	// The text output names the snapshot too.
	out, _, _ := lex(t, dir, "screen", "--date", "2025-06-30", "Milan Milutinovic")
	if want := fmt.Sprintf("us-ofac-sdn 2025-02-27 (123 days old, snapshot %d)", snapOf["2025-02-27"]); !strings.Contains(out, want) {
		t.Errorf("text output lacks %q:\n%s", want, out)
	}
}
