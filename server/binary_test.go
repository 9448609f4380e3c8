package server

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// lexscreenBinary builds cmd/lexscreen once per test run.
func lexscreenBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lexscreen-server-e2e-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "lexscreen")
		if out, err := exec.Command("go", "build", "-o", binPath, "../cmd/lexscreen").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	if out, err := exec.Command(binPath, "serve", "--help").CombinedOutput(); err != nil || !strings.Contains(string(out), "--addr") {
		t.Skip("lexscreen serve is not registered in cmd/lexscreen/root.go yet")
	}
	return binPath
}

func lexRun(t *testing.T, dataDir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(lexscreenBinary(t), append([]string{"--data-dir", dataDir}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

// The real binary: keys, serve on a loopback port, screen, a list update
// picked up while serving, graceful shutdown, audit verify and replay, and
// tampering found by audit verify.
func TestBinaryServe(t *testing.T) {
	bin := lexscreenBinary(t)
	dir := t.TempDir()
	// Dated after the bundled SDN list, so that it stays the SDN in use
	// (serve loads the other bundled lists: snapshots 2 to 7).
	if out, code := lexRun(t, dir, "import", "--published", "2026-06-01", testdata+"2025-02-27"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	key, code := lexRun(t, dir, "keys", "create", "--role", "screener", "-q")
	key = strings.TrimSpace(key)
	if code != 0 || !strings.HasPrefix(key, "lxs_") {
		t.Fatalf("keys create: %d %s", code, key)
	}
	if out, code := lexRun(t, dir, "keys", "create", "--role", "superuser"); code != 2 {
		t.Errorf("keys create with a bad role: exit %d %s", code, out)
	}
	if out, _ := lexRun(t, dir, "keys", "list"); !strings.Contains(out, "screener") || strings.Contains(out, key[len(key)-10:]) {
		t.Errorf("keys list:\n%s", out)
	}

	// A witness on another "machine" receives every signed checkpoint.
	var witnessed []string
	var witnessMu sync.Mutex
	witness := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		witnessMu.Lock()
		witnessed = append(witnessed, string(b))
		witnessMu.Unlock()
	}))
	defer witness.Close()
	cmd := exec.Command(bin, "--data-dir", dir, "serve", "--addr", "127.0.0.1:0", "--poll", "200ms", "--audit-witness", witness.URL)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stderr)
	var base string
	var logs bytes.Buffer
	for sc.Scan() {
		logs.WriteString(sc.Text() + "\n")
		var l struct{ Msg, URL string }
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "listening" {
			base = l.URL
			break
		}
	}
	if base == "" {
		t.Fatalf("no listening line:\n%s", logs.String())
	}
	var logMu sync.Mutex
	go func() {
		for sc.Scan() {
			logMu.Lock()
			logs.WriteString(sc.Text() + "\n")
			logMu.Unlock()
		}
	}()
	// waitReady waits for an index with snapshot want and without gone
	// (it returns as soon as it is there: the deadline is for a machine
	// whose load is many times its cores, where a reload of the bundled
	// lists took more than 30 s).
	waitReady := func(want, gone int64) {
		deadline := time.Now().Add(2 * time.Minute)
		var last string
		for time.Now().Before(deadline) {
			if res, err := http.Get(base + "/readyz"); err == nil {
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				var r struct{ Snapshots []int64 }
				last = string(b)
				if res.StatusCode == 200 && json.Unmarshal(b, &r) == nil && slices.Contains(r.Snapshots, want) && !slices.Contains(r.Snapshots, gone) {
					return
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("server not ready with snapshot %d and without %d: %s", want, gone, last)
	}
	waitReady(1, 0)
	screen := func() string {
		req, _ := http.NewRequest("POST", base+"/v1/screen", strings.NewReader(`{"name": "Karim Asad Ahmad Khan"}`))
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("screen: %d %s", res.StatusCode, b)
		}
		return string(b)
	}
	before := screen()
	// A list update by another process is picked up while serving.
	if out, code := lexRun(t, dir, "import", "--published", "2026-07-01", testdata+"2025-12-24"); code != 0 {
		t.Fatalf("import: %s", out)
	}
	waitReady(8, 1)
	after := screen()
	if before == after || !strings.Contains(after, "us-ofac-sdn:52965") {
		t.Errorf("the update changed nothing:\n%s\n%s", before, after)
	}
	// Role refusal through the real binary.
	req, _ := http.NewRequest("GET", base+"/v1/lists", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 403 {
		t.Errorf("screener on /v1/lists: %v %v", res.StatusCode, err)
	}
	// Graceful shutdown.
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	logMu.Lock()
	if strings.Contains(logs.String(), "Karim") {
		t.Errorf("a screened name was logged without --log-names")
	}
	logMu.Unlock()

	witnessMu.Lock()
	if len(witnessed) == 0 || !strings.Contains(witnessed[len(witnessed)-1], "\n2\n") {
		t.Errorf("the witness did not receive the checkpoint of the 2 records: %q", witnessed)
	}
	witnessMu.Unlock()

	// The audit trail: intact, replayable, tamper-evident.
	if out, code := lexRun(t, dir, "audit", "verify"); code != 0 || !strings.Contains(out, "OK: 2 records") {
		t.Errorf("audit verify: %d %s", code, out)
	}
	out, code := lexRun(t, dir, "audit", "replay", "1")
	if code != 0 || !strings.Contains(out, "IDENTICAL") {
		t.Errorf("audit replay 1 (before the update): %d %s", code, out)
	}
	if out, code := lexRun(t, dir, "--json", "audit", "replay", "2"); code != 0 || !strings.Contains(out, `"identical": true`) {
		t.Errorf("audit replay 2: %d %s", code, out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE records SET content = content || x'00' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, code = lexRun(t, dir, "audit", "verify")
	if code == 0 || !strings.Contains(out, "record 1: altered") {
		t.Errorf("audit verify after tampering: %d %s", code, out)
	}
	// A tail cut while no server ran: serve refuses to add to that log.
	raw, _ = sql.Open("sqlite", filepath.Join(dir, "audit.db"))
	for _, q := range []string{`DELETE FROM records WHERE id = 2`, `UPDATE chain_head SET last_id = 1, hash = (SELECT hash FROM records WHERE id = 1)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	out, code = lexRun(t, dir, "serve", "--addr", "127.0.0.1:0")
	if code != 4 || !strings.Contains(out, "does not extend its last signed checkpoint") {
		t.Errorf("serve on a cut audit log: exit %d %s", code, out)
	}
}
