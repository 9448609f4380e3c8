package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/workspace"
)

// wsMonitorReport is the part of `monitor --json` the tests read.
type wsMonitorReport struct {
	Book    string                 `json:"book"`
	Stats   *monitor.Stats         `json:"stats"`
	Skipped string                 `json:"skipped"`
	Alerts  *workspace.FoundReport `json:"alerts"`
	Facts   *factsReport           `json:"legal_facts"`
	// Unscreened: the subjects not screened since their last change.
	Unscreened *pendingReport `json:"unscreened_subjects"`
}

func monitorWS(t *testing.T, dir string, args ...string) wsMonitorReport {
	t.Helper()
	out, errOut, code := lex(t, dir, append([]string{"monitor", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("monitor %v: exit %d\n%s\n%s", args, code, out, errOut)
	}
	var rep wsMonitorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

// newerSDN writes a later publication of the bundled OFAC SDN list (the
// files as OFAC publishes them, in a folder named by its date): the
// bundled one plus the designations given (SDN name "LAST, First" by
// entity number) and the aliases given (alias by entity number).
func newerSDN(t *testing.T, date string, designate map[int]string, aliases map[int]string) string {
	t.Helper()
	src := filepath.Join("..", "..", "bundled", "data", "us_ofac", "sdn", "2025-12-24")
	dst := filepath.Join(t.TempDir(), date)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
		f, err := os.Open(filepath.Join(src, name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.TrimRight(data, "\x1a")
		var extra strings.Builder
		switch name {
		case "sdn.csv":
			for num, n := range designate {
				fmt.Fprintf(&extra, "%d,%q,\"individual\",\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", num, n)
			}
		case "alt.csv":
			alt := 990001
			for num, n := range aliases {
				fmt.Fprintf(&extra, "%d,%d,\"aka\",%q,-0- \r\n", num, alt, n)
				alt++
			}
		}
		data = append(data, extra.String()...)
		if err := os.WriteFile(filepath.Join(dst, name), append(data, 0x1a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// bookNames reads the customer file: name by id.
func bookNames(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[1]
	}
	return out
}

// monitorEndToEnd is the monitoring part of the "Done when", on
// the workspace TestWorkspaceEndToEnd filled: suppressed is the alert
// approved as a false positive. Re-importing the same lists opens
// nothing; a newer SDN publication alerts only the subjects its new and
// changed listings match, and its changed listing alerts the suppressed
// pair again; a monitoring run killed with SIGKILL half-way resumes with
// neither loss nor duplicates; a change of the legal facts re-evaluates
// the open alerts' obligations.
func monitorEndToEnd(t *testing.T, dir, book string, suppressed int64) {
	var sup struct {
		SubjectID string `json:"subject_id"`
		EntityID  string `json:"entity_id"`
		Status    string `json:"status"`
	}
	out, _, _ := lex(t, dir, "alerts", "show", fmt.Sprint(suppressed), "--json")
	if err := json.Unmarshal([]byte(out), &sup); err != nil || sup.Status != "false_positive" {
		t.Fatalf("the suppressed alert: %v %s", err, out)
	}
	num := 0
	if _, err := fmt.Sscanf(sup.EntityID, "us-ofac-sdn:%d", &num); err != nil {
		t.Fatalf("the suppressed pair's listing %s is not on the SDN list: this test changes an SDN listing", sup.EntityID)
	}

	// The first run screens the whole book: nothing new for the pairs
	// already alerted, the false positive stays suppressed.
	first := monitorWS(t, dir)
	if first.Book != "workspace" || first.Stats == nil || first.Stats.Kind != monitor.KindFull || first.Stats.Subjects != 1000 {
		t.Fatalf("first run: %+v", first)
	}
	if len(first.Alerts.Realerted) != 0 || first.Alerts.Suppressed == 0 || first.Alerts.Unchanged == 0 {
		t.Fatalf("first run on the lists the book was screened with: %+v", first.Alerts)
	}
	// The same lists imported again: nothing to do, no alert.
	if _, errOut, code := lex(t, dir, "import", "--bundled"); code != 0 {
		t.Fatalf("re-import: %d %s", code, errOut)
	}
	if again := monitorWS(t, dir); again.Stats != nil || again.Skipped == "" || len(again.Alerts.Opened) != 0 {
		t.Fatalf("same lists again: %+v", again)
	}

	// A newer SDN: eight customers' names designated (as OFAC writes
	// them, LAST, First), spread over the book, and an alias added to the
	// suppressed pair's listing.
	names := bookNames(t, book)
	designate := map[int]string{}
	want := map[string]bool{} // subject id -> must alert
	newIDs := map[string]bool{}
	for i := 0; i < 8; i++ {
		id := fmt.Sprintf("C-%05d", 60+i*117)
		first, last, _ := strings.Cut(names[id], " ")
		designate[990100+i] = strings.ToUpper(last) + ", " + first
		newIDs[fmt.Sprintf("us-ofac-sdn:%d", 990100+i)] = true
		for sid, n := range names {
			if n == names[id] {
				want[sid] = true
			}
		}
	}
	dst := newerSDN(t, "2026-01-15", designate, map[int]string{num: "BNC HAVANA REPRESENTATIVE OFFICE"})
	if _, errOut, code := lex(t, dir, "import", dst); code != 0 {
		t.Fatalf("import the newer SDN: %d %s", code, errOut)
	}

	// Monitoring the new publication in another process, killed with
	// SIGKILL after its fourth checkpoint.
	cmd := lexCommand(dir, "monitor", "--chunk", "50", "--chunk-pause", "150ms")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	var seen []string
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.Contains(sc.Text(), "chunk 4 of") {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	go io.Copy(io.Discard, stderr)
	cmd.Wait()
	if !killed {
		t.Fatalf("the monitoring run ended before it could be killed:\n%s", strings.Join(seen, "\n"))
	}

	start := time.Now()
	res := monitorWS(t, dir, "--chunk", "50")
	st := res.Stats
	if st == nil || st.Kind != monitor.KindDelta || !st.Resumed || st.Skipped < 4 || st.Added != 8 || st.Changed != 1 || st.Removed != 0 {
		t.Fatalf("resumed run: %+v", st)
	}
	t.Logf("resumed delta run: %d of %d chunks were done before the kill; %d candidates, %d subjects matched (%.1fs)",
		st.Skipped, st.Chunks, st.Candidates, st.Matched, time.Since(start).Seconds())

	// Every alert of the new publication, before and after the kill: on
	// a new or changed listing only, each (subject, listing) once.
	out, _, _ = lex(t, dir, "alerts", "list", "--status", "open", "--limit", "1000", "--json")
	var open alertsOut
	if err := json.Unmarshal([]byte(out), &open); err != nil {
		t.Fatal(err)
	}
	pairs := map[string]int{}
	alerted := map[string]bool{}
	var realert int64
	for _, a := range open.Alerts {
		if a.EntityID == sup.EntityID && a.SubjectID == sup.SubjectID {
			realert = a.ID
		}
		if !newIDs[a.EntityID] {
			continue
		}
		pairs[a.SubjectID+" "+a.EntityID]++
		alerted[a.SubjectID] = true
	}
	for p, n := range pairs {
		if n != 1 {
			t.Errorf("%s alerted %d times", p, n)
		}
	}
	for sid := range want {
		if !alerted[sid] {
			t.Errorf("%s (%s) not alerted on its new designation: lost", sid, names[sid])
		}
	}
	if len(alerted) > 2*len(want) {
		t.Errorf("%d subjects alerted on the new designations, expected about %d", len(alerted), len(want))
	}
	if realert == 0 {
		t.Fatalf("the suppressed pair %s ~ %s did not alert again when its listing changed", sup.SubjectID, sup.EntityID)
	}
	out, _, _ = lex(t, dir, "alerts", "show", fmt.Sprint(realert), "--json")
	var re struct {
		Previous int64              `json:"previous"`
		Changes  *workspace.Changes `json:"changes"`
	}
	json.Unmarshal([]byte(out), &re)
	if re.Previous != suppressed || re.Changes == nil || re.Changes.Listing == nil || !strings.Contains(out, "BNC HAVANA REPRESENTATIVE OFFICE") {
		t.Errorf("re-alert of the suppressed pair: %s", out)
	}
	// Nothing else opened since the first run: every open alert opened
	// after it is on a new or changed listing.
	if n := len(pairs) + 1; n > len(open.Alerts) {
		t.Errorf("%d alerts of the new publication, %d open in all", n, len(open.Alerts))
	}
	t.Logf("newer SDN: %d subjects alerted on 8 new designations (%d expected by name), the suppressed pair re-alerted (alert %d)",
		len(alerted), len(want), realert)

	// A changed legal fact (an overlay) re-evaluates the open alerts.
	overlay := filepath.Join(t.TempDir(), "what-if.yaml")
	os.WriteFile(overlay, []byte("blocking_statutes: []\n"), 0o644)
	facts := monitorWS(t, dir, "--regimes", overlay)
	if facts.Facts == nil || facts.Facts.Reevaluated == nil || facts.Facts.Reevaluated.Checked < open.Total || len(facts.Facts.Failed) != 0 {
		t.Fatalf("after a change of the legal facts: %+v", facts.Facts)
	}
	if f := monitorWS(t, dir, "--regimes", overlay).Facts; f.Reevaluated != nil || f.Hash != facts.Facts.Hash {
		t.Errorf("the same facts again re-evaluated: %+v", f)
	}
	if out, _, _ := lex(t, dir, "audit", "verify", "--json"); !strings.Contains(out, `"ok": true`) {
		t.Fatalf("audit chain after monitoring: %s", out)
	}
}
