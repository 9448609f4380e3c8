package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// batch screens every row in order, one output line per row, reports bad
// rows without stopping (exit code 7), and resumes an interrupted run.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	lists(t, dir) // load the bundled lists once
	in := filepath.Join(t.TempDir(), "customers.csv")
	os.WriteFile(in, []byte("ID,Full_Name,Date_of_Birth,Nationality,Type\n"+
		"c1,Karim Asad Ahmad Khan,1970-03-30,United Kingdom,person\n"+
		"c2,Ingeborg Abrahamsen,1972-11-21,France,person\n"+
		"c3,Francesca Albanese,1977-31-31,Italy,person\n"+ // impossible date: screened without it, with a warning
		"c4,,,,\n"+ // no name
		",Al Haq,,,organization\n"), 0o644) // no id: row-5
	out := filepath.Join(t.TempDir(), "results.jsonl")
	if _, errOut, code := lex(t, dir, "batch", "--input", in, "--output", out); code != exitPartial {
		t.Fatalf("batch: exit %d, want %d (a row not screened): %s", code, exitPartial, errOut)
	}
	lines := readLines(t, out)
	if len(lines) != 5 {
		t.Fatalf("%d output lines, want 5", len(lines))
	}
	for i, want := range []string{"c1", "c2", "c3", "c4", "row-5"} {
		if got := batchID(lines[i]); got != want || int(lines[i]["row"].(float64)) != i+1 {
			t.Errorf("line %d: id %q row %v, want %q row %d (input order)", i+1, got, lines[i]["row"], want, i+1)
		}
	}
	if ms := lines[0]["matches"].([]any); len(ms) == 0 {
		t.Error("c1 (the ICC prosecutor) did not match")
	}
	if ms := lines[1]["matches"].([]any); len(ms) != 0 {
		t.Errorf("c2 matched: %v", ms)
	}
	if w, _ := lines[2]["warnings"].([]any); len(w) == 0 || lines[2]["error"] != nil {
		t.Errorf("c3: want a result with a dob warning, got %v", lines[2])
	}
	if e, ok := lines[3]["error"].(map[string]any); !ok || e["code"] != "invalid" || e["line"] == nil {
		t.Errorf("line 4: want a located error, got %v", lines[3])
	}

	// An interrupted run: keep two whole lines and half of the third.
	full, _ := os.ReadFile(out)
	cut := strings.Index(string(full), "\n") + 1
	cut += strings.Index(string(full[cut:]), "\n") + 1
	os.WriteFile(out, full[:cut+10], 0o644)
	_, errOut, code := lex(t, dir, "batch", "--input", in, "--output", out)
	if code != exitPartial || !strings.Contains(errOut, "2 already done") {
		t.Fatalf("resume: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(out); string(b) != string(full) {
		t.Errorf("the resumed output differs from an uninterrupted run:\n%s\nwant\n%s", b, full)
	}

	// JSON lines in, with the same keys and their synonyms.
	jin := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(jin, []byte(`{"id":"j1","name":"Kareem Khan","type":"person","dob":"1970"}`+"\n"+`not json`+"\n"+
		`{"Customer ID":7,"Full Name":"Karim Khan","Date of Birth":1970,"citizenship":["GB"],"extra":1}`+"\n"), 0o644)
	jout := filepath.Join(t.TempDir(), "j.jsonl")
	if _, errOut, code := lex(t, dir, "batch", "--input", jin, "--output", jout); code != exitPartial {
		t.Fatalf("jsonl batch: exit %d: %s", code, errOut)
	}
	jl := readLines(t, jout)
	if len(jl) != 3 || jl[1]["error"] == nil || batchID(jl[2]) != "7" || len(jl[2]["matches"].([]any)) == 0 {
		t.Errorf("jsonl batch: %v", jl)
	}
}

// batchID is the id of an output line of batch (a result or an error).
func batchID(m map[string]any) string {
	if q, ok := m["query"].(map[string]any); ok {
		return q["id"].(string)
	}
	return m["id"].(string)
}

// A customer file as banks send them: a BOM, semicolons, Windows-1252
// accents, headers with spaces and synonyms, dates of birth in every form,
// a duplicate id, an empty name, listed persons among the rows. Every row
// gets one line, every listed person is matched, the run exits 7 (one row
// not screened), and an interrupted run resumes to the same output.
func TestBatchMessyFile(t *testing.T) {
	dir := t.TempDir()
	lists(t, dir)
	in := filepath.Join("testdata", "messy_customers.csv")
	out := filepath.Join(t.TempDir(), "results.jsonl")
	stdout, errOut, code := lex(t, dir, "--json", "batch", "--input", in, "--output", out)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d: %s", code, exitPartial, errOut)
	}
	var sum batchSummary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("--json summary: %v: %s", err, stdout)
	}
	if sum.Rows != 20 || sum.NotScreened != 1 || sum.Screened != 19 || sum.Encoding != "windows-1252" || sum.Delimiter != ";" ||
		len(sum.DupIDs) != 1 || len(sum.Ignored) != 1 || sum.Ignored[0] != "Notes" || sum.ExitCode != exitPartial {
		t.Errorf("summary: %+v", sum)
	}
	for _, w := range []string{"not valid UTF-8", "Windows-1252", "appear more than once"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr does not say %q: %s", w, errOut)
		}
	}
	lines := readLines(t, out)
	if len(lines) != 20 {
		t.Fatalf("%d output lines, want 20", len(lines))
	}
	listed := map[string]bool{}
	for i := 1; i <= 16; i++ {
		listed[fmt.Sprintf("c%d", i)] = true
	}
	listed["c20"] = true
	for i, l := range lines {
		id := batchID(l)
		if int(l["row"].(float64)) != i+1 {
			t.Errorf("line %d has row %v", i+1, l["row"])
		}
		if i == 11 { // c12: no name
			if l["error"] == nil {
				t.Errorf("c12 (no name): want an error line, got %v", l)
			}
			continue
		}
		if l["error"] != nil {
			t.Errorf("row %d (%s) not screened: %v", i+1, id, l["error"])
			continue
		}
		ms := l["matches"].([]any)
		if listed[id] && len(ms) == 0 {
			t.Errorf("row %d (%s, %v, dob %v) is listed but did not match", i+1, id, l["query"].(map[string]any)["name"], l["query"].(map[string]any)["dob"])
		}
		if !listed[id] && len(ms) > 0 {
			t.Errorf("row %d (%s) is not listed but matched %v", i+1, id, ms[0].(map[string]any)["entity"])
		}
	}
	if q, _ := lines[4]["query"].(map[string]any); q == nil || q["name"] != "Héctor Manuel Avendaño Ojeda" {
		t.Errorf("Windows-1252 name read as %v", q)
	}
	if w, _ := lines[19]["warnings"].([]any); len(w) == 0 {
		t.Errorf("c20 (31/31/1970): want a dob warning, got %v", lines[19])
	}

	// Interrupted after 7 lines and a half, and one row that errored
	// (say the store was briefly unavailable): the resumed run screens
	// the missing rows again and writes the same file.
	full, _ := os.ReadFile(out)
	ls := strings.SplitAfter(string(full), "\n")
	broken := strings.Join(ls[:2], "") + `{"row":3,"id":"c3","line":4,"error":{"code":"unavailable","message":"store unavailable"}}` + "\n" +
		strings.Join(ls[3:7], "") + ls[7][:20]
	os.WriteFile(out, []byte(broken), 0o644)
	if _, errOut, code := lex(t, dir, "batch", "--input", in, "--output", out); code != exitPartial {
		t.Fatalf("resume: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(out); string(b) != string(full) {
		t.Errorf("the resumed output differs from an uninterrupted run")
	}
}

// A resumed run refuses an output made from another input.
func TestBatchResumeOtherInput(t *testing.T) {
	dir := t.TempDir()
	lists(t, dir)
	a := filepath.Join(t.TempDir(), "a.csv")
	b := filepath.Join(t.TempDir(), "b.csv")
	os.WriteFile(a, []byte("id,name\nx1,Ingeborg Abrahamsen\nx2,Merel West\n"), 0o644)
	os.WriteFile(b, []byte("id,name\ny1,Ingeborg Abrahamsen\ny2,Merel West\n"), 0o644)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if _, errOut, code := lex(t, dir, "batch", "--input", a, "--output", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, errOut, code := lex(t, dir, "batch", "--input", b, "--output", out); code != exitInvalid || !strings.Contains(errOut, "not made from this input") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// fileCommand runs a command that reads --input and writes JSON lines to
// --output (batch, score-pairs) on the bundled lists, with an input file
// of the given name and content, and returns the output lines.
func fileCommand(t *testing.T, cmd, name, content string) []map[string]any {
	t.Helper()
	dir := t.TempDir()
	lists(t, dir)
	in := filepath.Join(t.TempDir(), name)
	os.WriteFile(in, []byte(content), 0o644)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if _, errOut, code := lex(t, dir, cmd, "--input", in, "--output", out); code != 0 && !(cmd == "batch" && code == exitPartial) {
		t.Fatalf("%s: exit %d: %s", cmd, code, errOut)
	}
	return readLines(t, out)
}

// score-pairs scores labelled pairs at the default threshold.
func TestScorePairs(t *testing.T) {
	lines := fileCommand(t, "score-pairs", "pairs.csv",
		"id,name1,name2,schema\np1,Olaf Scholz,Olaf Scholz,Person\np2,Siemens AG,Siemens Aktiengesellschaft,Company\np3,John Smith,Jane Doe,Person\n")
	got := map[string]bool{}
	for _, l := range lines {
		got[l["id"].(string)] = l["match"].(bool)
	}
	if !got["p1"] || !got["p2"] || got["p3"] {
		t.Errorf("score-pairs: %v", got)
	}
}

// A row with a quote that never closes is reported as a bad row with its
// line; it used to crash batch.
func TestBatchUnclosedQuote(t *testing.T) {
	lines := fileCommand(t, "batch", "names.csv", "full_name\nIngeborg Abrahamsen\n\"Merel West\nFrancesca Albanese\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines, want 2 (a good row, then the bad one)", len(lines))
	}
	if e, ok := lines[1]["error"].(map[string]any); !ok || e["line"] == nil || !strings.Contains(e["message"].(string), "quote") {
		t.Errorf("want a located error about the quote, got %v", lines[1])
	}
}
