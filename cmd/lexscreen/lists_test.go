package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// listsReportOut is `lists --json` with what is missing or stale.
type listsReportOut struct {
	Lists []struct {
		Source  string `json:"source"`
		Current bool   `json:"current"`
		Stale   bool   `json:"stale"`
	} `json:"lists"`
	Bundled []struct {
		Source, Version, Status string
		Snapshot                int64
	} `json:"bundled"`
	Warnings []struct {
		Field, Value, Message string
	} `json:"warnings"`
	MaxListAgeDays int `json:"max_list_age_days"`
}

func listsJSON(t *testing.T, dir string, args ...string) (listsReportOut, int) {
	t.Helper()
	out, errOut, code := lex(t, dir, append([]string{"lists", "--json"}, args...)...)
	var r listsReportOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("lists --json %v: exit %d: %v\n%s\n%s", args, code, err, out, errOut)
	}
	return r, code
}

// putinAtTheBorder screens Putin for Mongolia's border authority and
// returns the obligations of the ICC warrant's match.
func putinAtTheBorder(t *testing.T, dir string, args ...string) (kinds []string, warnings []string, code int) {
	t.Helper()
	out, errOut, code := lex(t, dir, append([]string{"screen", "--json", "--operator", "border:MN", "--date", "2025-06-01", "--current-lists"}, append(args, "Vladimir Putin")...)...)
	var res struct {
		Matches []struct {
			Entity      struct{ ID string }
			Obligations []struct{ Kind string }
		}
		Warnings []struct{ Field, Value, Message string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("screen: exit %d: %v\n%s\n%s", code, err, out, errOut)
	}
	for _, m := range res.Matches {
		if strings.HasPrefix(m.Entity.ID, "icc-warrants:") {
			for _, o := range m.Obligations {
				kinds = append(kinds, o.Kind)
			}
		}
	}
	for _, w := range res.Warnings {
		warnings = append(warnings, w.Field+":"+w.Value)
	}
	return kinds, warnings, code
}

// bundledLoaded checks that every bundled list is loaded, once.
func bundledLoaded(t *testing.T, dir string) {
	t.Helper()
	r, _ := listsJSON(t, dir)
	if len(r.Bundled) != len(bundled.Lists()) {
		t.Errorf("lists --json: %d bundled lists, want %d", len(r.Bundled), len(bundled.Lists()))
	}
	for _, b := range r.Bundled {
		if b.Status != ingest.BundledLoaded || b.Snapshot == 0 {
			t.Errorf("bundled %s: %+v", b.Source, b)
		}
	}
	perSource := map[string]int{}
	for _, l := range r.Lists {
		perSource[l.Source]++
	}
	for s, n := range perSource {
		if n != 1 {
			t.Errorf("%s: %d snapshots, want 1 (loaded twice?)", s, n)
		}
	}
}

// Importing only a custom list into a fresh data directory still loads
// the bundled lists and lexscreen's legal datasets: Putin at Mongolia's
// border is ARREST_AND_SURRENDER. The old lists warn, --strict exits 8,
// --max-list-age tunes it.
func TestCustomListOnly(t *testing.T) {
	dir := t.TempDir()
	if out, errOut, code := lex(t, dir, "import", "testdata/custom/bank-internal.csv"); code != 0 || !strings.Contains(out, "bank-internal") {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	kinds, warnings, code := putinAtTheBorder(t, dir)
	if code != 0 || !slices.Contains(kinds, "ARREST_AND_SURRENDER") {
		t.Fatalf("Putin at border:MN after a custom import: exit %d, obligations %v", code, kinds)
	}
	// The bundled EU and UK files are from January 2024: older than 180 days.
	if !slices.Contains(warnings, "lists:eu-fsf") || !slices.Contains(warnings, "lists:gb-ofsi") || slices.Contains(warnings, "lists:icc-warrants") || slices.Contains(warnings, "lists:bank-internal") {
		t.Errorf("warnings %v: want eu-fsf and gb-ofsi, not the own or custom lists", warnings)
	}
	bundledLoaded(t, dir)

	// --strict: the same result, exit 8.
	if _, w, code := putinAtTheBorder(t, dir, "--strict"); code != exitWarnings || len(w) == 0 {
		t.Errorf("--strict with stale lists: exit %d (%v), want %d", code, w, exitWarnings)
	}
	// No age check: no warning, exit 0 even with --strict.
	if _, w, code := putinAtTheBorder(t, dir, "--strict", "--max-list-age", "0"); code != 0 || len(w) != 0 {
		t.Errorf("--strict --max-list-age 0: exit %d, warnings %v", code, w)
	}
	if _, w, code := putinAtTheBorder(t, dir, "--strict", "--max-list-age", "100000d"); code != 0 || len(w) != 0 {
		t.Errorf("--max-list-age 100000d: exit %d, warnings %v", code, w)
	}
	t.Setenv("LEXSCREEN_MAX_LIST_AGE", "0")
	if _, w, code := putinAtTheBorder(t, dir, "--strict"); code != 0 || len(w) != 0 {
		t.Errorf("LEXSCREEN_MAX_LIST_AGE=0: exit %d, warnings %v", code, w)
	}
	if _, w, _ := putinAtTheBorder(t, dir, "--max-list-age", "180"); !slices.Contains(w, "lists:eu-fsf") {
		t.Errorf("the flag wins over the environment: warnings %v", w)
	}
	t.Setenv("LEXSCREEN_MAX_LIST_AGE", "soon")
	if _, errOut, code := lex(t, dir, "lists"); code != exitInvalid || !strings.Contains(errOut, "LEXSCREEN_MAX_LIST_AGE") {
		t.Errorf("a bad LEXSCREEN_MAX_LIST_AGE: exit %d: %s", code, errOut)
	}
	t.Setenv("LEXSCREEN_MAX_LIST_AGE", "")
	if _, errOut, code := lex(t, dir, "screen", "--max-list-age", "a year", "x"); code != exitInvalid || !strings.Contains(errOut, "max-list-age") {
		t.Errorf("--max-list-age 'a year': exit %d: %s", code, errOut)
	}

	// Text: the warnings are on stderr, even with --quiet.
	_, errOut, code := lex(t, dir, "screen", "--quiet", "--strict", "Ingeborg Abrahamsen")
	if code != exitWarnings || !strings.Contains(errOut, "warning: lists: eu-fsf 2024-01-24 was published") {
		t.Errorf("screen --strict (text): exit %d, stderr %q", code, errOut)
	}

	// lists: what is stale, in text and JSON; --strict exits 8.
	r, code := listsJSON(t, dir)
	if code != 0 || r.MaxListAgeDays != 180 {
		t.Errorf("lists --json: exit %d, max_list_age_days %d", code, r.MaxListAgeDays)
	}
	stale := map[string]bool{}
	for _, l := range r.Lists {
		stale[l.Source] = l.Stale
	}
	if !stale["eu-fsf"] || !stale["gb-ofsi"] || stale["icc-warrants"] || stale["bank-internal"] {
		t.Errorf("lists --json stale: %v", stale)
	}
	if len(r.Warnings) < 2 || r.Warnings[0].Value != "eu-fsf" {
		t.Errorf("lists --json warnings: %+v", r.Warnings)
	}
	if _, code := listsJSON(t, dir, "--strict"); code != exitWarnings {
		t.Errorf("lists --strict: exit %d, want %d", code, exitWarnings)
	}
	if r, code := listsJSON(t, dir, "--strict", "--max-list-age", "0"); code != 0 || len(r.Warnings) != 0 || r.MaxListAgeDays != 0 {
		t.Errorf("lists --strict --max-list-age 0: exit %d, %+v", code, r.Warnings)
	}
	out, _, code := lex(t, dir, "lists")
	if code != 0 || !strings.Contains(out, "(stale)") || !strings.Contains(out, "Missing or stale (--max-list-age 180d)") {
		t.Errorf("lists (text): exit %d\n%s", code, out)
	}
}

// A first load interrupted after some lists (each list loads atomically)
// is finished by the next command, which loads nothing twice.
func TestInterruptedFirstLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range bundled.Lists()[:3] { // OFAC SDN, OFAC Consolidated, UN
		if _, err := ingest.Bundled(context.Background(), db, l, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r, _ := listsJSON(t, dir, "--max-list-age", "0")
	if len(r.Lists) != len(bundled.Lists()) {
		t.Errorf("lists after an interrupted load: %d lists, want %d", len(r.Lists), len(bundled.Lists()))
	}
	// That screening works after such a load (Putin at Mongolia's
	// border) is TestKilledFirstRun's check, on a load cut by a real kill:
	// one index build of the bundled lists fewer.
	bundledLoaded(t, dir)
}

// Smoke test of the real process: a first run killed while it loads the
// bundled lists, then a normal run, screens Putin at the border as it
// should (whenever the kill landed).
func TestKilledFirstRun(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs lexscreen as a process")
	}
	dir := t.TempDir()
	cmd := lexCommand(dir, "lists")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once the load has begun (the store exists), kill the process as
	// soon as the first list is in.
	note, _ := bufio.NewReader(stderr).ReadString('\n')
	if !strings.Contains(note, "Loading 7 bundled list(s)") {
		t.Fatalf("first run said %q", note)
	}
	go io.Copy(io.Discard, stderr)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	loaded := 0
	for deadline := time.Now().Add(2 * time.Minute); loaded == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		snaps, err := db.Snapshots(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		loaded = len(snaps)
	}
	cmd.Process.Kill()
	cmd.Wait()
	snaps, _ := db.Snapshots(context.Background(), "")
	db.Close()
	t.Logf("killed after %d of %d bundled lists", len(snaps), len(bundled.Lists()))
	if len(snaps) == 0 || len(snaps) == len(bundled.Lists()) {
		t.Fatalf("the kill did not land mid-load: %d lists loaded", len(snaps))
	}
	kinds, _, code := putinAtTheBorder(t, dir)
	if code != 0 || !slices.Contains(kinds, "ARREST_AND_SURRENDER") {
		t.Errorf("Putin at border:MN after a killed first run: exit %d, obligations %v", code, kinds)
	}
	bundledLoaded(t, dir)
	// The process itself: exit codes as documented.
	if _, errOut, code := lexBinary(t, dir, "screen", "--strict", "--fail-on-match", "Vladimir Putin"); code != exitMatch {
		t.Errorf("process: screen --fail-on-match: exit %d, want %d: %s", code, exitMatch, errOut)
	}
	if _, errOut, code := lexBinary(t, dir, "lists", "--strict"); code != exitWarnings {
		t.Errorf("process: lists --strict: exit %d, want %d: %s", code, exitWarnings, errOut)
	}
}
