package audit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// signedLog fills l with n records, signing a checkpoint every 10 records
// (and one at Close), and returns its checkpoints file and key.
func signedLog(t *testing.T, l *testLog, n int) (cpPath string, v *Verifier) {
	t.Helper()
	dir := t.TempDir()
	cpPath = filepath.Join(dir, "audit.checkpoints")
	signer, created, err := LoadOrCreateSigner(filepath.Join(dir, "keys", "audit.key"), "")
	if err != nil || !created {
		t.Fatal(created, err)
	}
	db := l.open(t, Options{Checkpoint: CheckpointOptions{Signer: signer, File: cpPath, Every: 10, Interval: time.Hour}})
	rec := matchRecord(t)
	for i := 0; i < n; i++ {
		r := rec
		if err := db.Append(context.Background(), &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return cpPath, signer.Verifier()
}

// recomputeChain rewrites every hash from record from on, and the chain
// head, as someone with write access to the database (but not the key) can.
func recomputeChain(t *testing.T, l *testLog, from int64) {
	t.Helper()
	raw := l.raw(t)
	var prev string
	raw.QueryRow(l.q(`SELECT hash FROM records WHERE id = ?`), from-1).Scan(&prev)
	rows, err := raw.Query(l.q(`SELECT id, time, kind, key_id, list_set, content FROM records WHERE id >= ? ORDER BY id`), from)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id                 int64
		tm, kind, key, set string
		content            []byte
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.tm, &r.kind, &r.key, &r.set, &r.content); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	for _, r := range all {
		h := chainHash2(prev, r.id, r.tm, r.kind, r.key, r.set, r.content)
		l.exec(t, `UPDATE records SET prev_hash = ?, hash = ? WHERE id = ?`, prev, h, r.id)
		prev = h
	}
	l.exec(t, `UPDATE chain_head SET last_id = (SELECT max(id) FROM records), hash = ?`, prev)
}

// TestCheckpointsDetectRewrites: cutting the tail and fixing the chain
// head, or altering a record and recomputing the (unkeyed) chain, goes
// unnoticed by the chain alone, and is caught by the signed checkpoints.
func TestCheckpointsDetectRewrites(t *testing.T) {
	cases := []struct {
		name, want string
		tamper     func(t *testing.T, l *testLog)
	}{
		{"tail cut, chain head fixed", "tail was cut", func(t *testing.T, l *testLog) {
			l.exec(t, `DELETE FROM records WHERE id > 33`)
			l.exec(t, `UPDATE chain_head SET last_id = 33, hash = (SELECT hash FROM records WHERE id = 33)`)
		}},
		{"record altered, chain recomputed", "chain was recomputed", func(t *testing.T, l *testLog) {
			l.exec(t, `UPDATE records SET key_id = 'someone-else' WHERE id = 17`)
			recomputeChain(t, l, 17)
		}},
		{"record deleted, renumbered, chain recomputed", "chain was recomputed", func(t *testing.T, l *testLog) {
			l.exec(t, `DELETE FROM records WHERE id = 5`)
			l.exec(t, `UPDATE records SET id = id - 1 WHERE id > 5`)
			recomputeChain(t, l, 5)
		}},
		{"record altered", "altered", func(t *testing.T, l *testLog) {
			l.exec(t, `UPDATE records SET content = substr(content, 2) WHERE id = 21`)
		}},
	}
	eachBackend(t, func(t *testing.T, backend *testLog) {
		testCheckpointsDetectRewrites(t, backend, cases)
	})
}

func testCheckpointsDetectRewrites(t *testing.T, backend *testLog, cases []struct {
	name, want string
	tamper     func(t *testing.T, l *testLog)
}) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := backend.fresh(t)
			cpPath, v := signedLog(t, l, 45)
			c.tamper(t, l)
			db := l.open(t, Options{})
			rep, err := db.VerifyWith(context.Background(), VerifyOptions{CheckpointFile: cpPath, Verifier: v})
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, p := range rep.Problems {
				all = append(all, p.String())
			}
			if rep.OK || !strings.Contains(strings.Join(all, "\n"), c.want) || rep.Checkpoints < 3 {
				t.Errorf("with checkpoints: %+v, want a problem saying %q", rep, c.want)
			}
			t.Logf("%s: %s", c.name, strings.Join(all, "; "))
		})
	}
	// Untouched, it verifies, with every record covered.
	l := backend.fresh(t)
	cpPath, v := signedLog(t, l, 45)
	db := l.open(t, Options{})
	rep, err := db.VerifyWith(context.Background(), VerifyOptions{CheckpointFile: cpPath, Verifier: v})
	if err != nil || !rep.OK || rep.CheckpointSize != 45 || rep.Unprotected != 0 {
		t.Fatalf("untouched log: %+v %v", rep, err)
	}
	// A checkpoint forged with another key, or altered, is a problem.
	other, _ := NewSigner(v.Origin())
	forged, _ := other.Sign(45, strings.Repeat("ab", 32))
	cps, _ := os.ReadFile(cpPath)
	lines := bytes.Split(cps, []byte("\n"))
	lines[1] = []byte("9") // the size of the first checkpoint
	altered := bytes.Join(lines, []byte("\n"))
	for name, content := range map[string][]byte{"forged": append(cps, append(forged, '\n')...), "altered": altered} {
		os.WriteFile(cpPath, content, 0o600)
		rep, err = db.VerifyWith(context.Background(), VerifyOptions{CheckpointFile: cpPath, Verifier: v})
		if err != nil || rep.OK {
			t.Errorf("%s checkpoint: %+v %v", name, rep, err)
		}
	}
}

// TestVerifyBounded: a chain head claiming 20 million records (a tail cut
// of 20 million) is one problem, found at once, not 20 million lines.
func TestVerifyBounded(t *testing.T) { eachBackend(t, testVerifyBounded) }

func testVerifyBounded(t *testing.T, l *testLog) {
	db := l.open(t, Options{})
	fill(t, db, matchRecord(t), 30)
	l.exec(t, `UPDATE chain_head SET last_id = 20000000`)
	l.exec(t, `DELETE FROM records WHERE id IN (3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27)`)
	start := time.Now()
	var progress int
	rep, err := db.VerifyWith(context.Background(), VerifyOptions{MaxProblems: 5, Progress: func(done, total int64) { progress++ }})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second || rep.OK || len(rep.Problems) != 5 || rep.ProblemCount < 14 || progress == 0 {
		t.Fatalf("took %s: %d problems listed, %d counted, progress %d: %+v", took, len(rep.Problems), rep.ProblemCount, progress, rep)
	}
}

// TestKeyEncodings: keys read back from their encodings, whatever their
// base64 holds (+ and / included), and a wrong key id is refused.
func TestKeyEncodings(t *testing.T) {
	for i := 0; i < 200; i++ {
		s, err := NewSigner("lexscreen.local/audit/test")
		if err != nil {
			t.Fatal(err)
		}
		s2, err := ParseSigner(s.String())
		if err != nil || s2.String() != s.String() {
			t.Fatalf("private key %s: %v", s, err)
		}
		v, err := ParseVerifier(s.Verifier().String())
		if err != nil || v.String() != s.Verifier().String() {
			t.Fatalf("public key %s: %v", s.Verifier(), err)
		}
		note, _ := s.Sign(7, strings.Repeat("0f", 32))
		if cp, err := v.Open(note); err != nil || cp.Size != 7 {
			t.Fatalf("open: %+v %v", cp, err)
		}
	}
	if _, err := ParseVerifier("lexscreen.local/audit/test+00000000+AQ" + strings.Repeat("A", 42) + "="); err == nil {
		t.Error("a wrong key id is accepted")
	}
}

// FuzzReadCheckpoints: any checkpoints file is read without a panic, and
// only notes signed by the key give checkpoints.
func FuzzReadCheckpoints(f *testing.F) {
	s, _ := NewSigner("lexscreen.local/audit/fuzz")
	note, _ := s.Sign(3, strings.Repeat("ab", 32))
	f.Add(append(note, '\n'))
	f.Add([]byte("x\n1\nAAAA\n\n— x AAAA\n\n\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cps, _, _ := ReadCheckpoints(bytes.NewReader(b), s.Verifier())
		for _, cp := range cps {
			if cp.Origin != s.Origin() || (cp.Size != 3 && !bytes.Contains(b, note)) {
				t.Fatalf("unsigned checkpoint accepted: %+v", cp)
			}
		}
	})
}

// TestStartRefusesARewrittenLog: a log cut or recomputed while no
// lexscreen ran is refused when it is opened for writing with its
// checkpoints, before any record is added; an untouched one opens.
func TestStartRefusesARewrittenLog(t *testing.T) {
	tampers := map[string]func(t *testing.T, l *testLog){
		"tail cut, chain head fixed": func(t *testing.T, l *testLog) {
			l.exec(t, `DELETE FROM records WHERE id > 33`)
			l.exec(t, `UPDATE chain_head SET last_id = 33, hash = (SELECT hash FROM records WHERE id = 33)`)
		},
		"record altered, chain recomputed": func(t *testing.T, l *testLog) {
			l.exec(t, `UPDATE records SET key_id = 'someone-else' WHERE id = 17`)
			recomputeChain(t, l, 17)
		},
		"everything deleted": func(t *testing.T, l *testLog) {
			l.exec(t, `DELETE FROM records`)
			l.exec(t, `DELETE FROM chain_head`)
		},
		"untouched": nil,
	}
	eachBackend(t, func(t *testing.T, l *testLog) {
		for name, tamper := range tampers {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				testStartRefuses(t, l.fresh(t), tamper)
			})
		}
	})
}

func testStartRefuses(t *testing.T, l *testLog, tamper func(t *testing.T, l *testLog)) {
	cpPath, _ := signedLog(t, l, 45)
	if tamper != nil {
		tamper(t, l)
	}
	signer, created, err := LoadOrCreateSigner(filepath.Join(filepath.Dir(cpPath), "keys", "audit.key"), "")
	if err != nil || created {
		t.Fatal(created, err)
	}
	db, err := l.tryOpen(Options{Checkpoint: CheckpointOptions{Signer: signer, File: cpPath, Every: 10, Interval: time.Hour}})
	if tamper == nil {
		if err != nil {
			t.Fatalf("untouched log refused: %v", err)
		}
		db.Close()
		return
	}
	if err == nil {
		db.Close()
		t.Fatal("a rewritten log was opened for writing")
	}
	if !strings.Contains(err.Error(), "does not extend its last signed checkpoint") {
		t.Errorf("error does not say what is wrong: %v", err)
	}
	t.Log(err)
}
