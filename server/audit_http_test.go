package server

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// verifyJob starts a verify job over HTTP and follows it to its end.
func (e *env) verifyJob(role string) VerifyJob {
	e.t.Helper()
	var job VerifyJob
	r := e.post("/v1/audit/verify", role, "")
	if r.status != 202 && r.status != 200 {
		e.t.Fatalf("POST /v1/audit/verify: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &job); err != nil || r.header.Get("Location") != "/v1/audit/verify/"+job.ID {
		e.t.Fatalf("POST /v1/audit/verify: %v %s %q", err, r.body, r.header.Get("Location"))
	}
	deadline := time.Now().Add(10 * time.Second)
	for job.State == "running" {
		if time.Now().After(deadline) {
			e.t.Fatalf("verify job still running: %+v", job)
		}
		time.Sleep(10 * time.Millisecond)
		r = e.get("/v1/audit/verify/"+job.ID, role)
		if r.status != 200 {
			e.t.Fatalf("GET verify job: %d %s", r.status, r.body)
		}
		job = VerifyJob{}
		if err := json.Unmarshal(r.body, &job); err != nil {
			e.t.Fatal(err)
		}
	}
	return job
}

// TestAuditVerifyJob: /v1/audit/verify runs in the background and answers
// at once, even for a chain head claiming 20 million records (which made the
// synchronous verify of before list 20 million problems); the report lists
// the first problems and counts them all.
func TestAuditVerifyJob(t *testing.T) {
	e := newEnv(t, Config{})
	for i := 0; i < 5; i++ {
		if r := e.post("/v1/screen", "screener", fmt.Sprintf(`{"name":"Banco Nacional de Cuba %d"}`, i)); r.status != 200 {
			t.Fatal(r.status, string(r.body))
		}
	}
	if job := e.verifyJob("auditor"); job.State != "done" || !job.Report.OK || job.Checked != 5 {
		t.Fatalf("intact chain: %+v", job)
	}
	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.Exec(`UPDATE chain_head SET last_id = 20000000`)
	raw.Exec(`DELETE FROM records WHERE id IN (2, 4)`)
	start := time.Now()
	job := e.verifyJob("auditor")
	if took := time.Since(start); took > 5*time.Second || job.State != "done" || job.Report.OK || job.Report.ProblemCount > 10 || len(job.Report.Problems) == 0 {
		t.Fatalf("tampered head: %s: %+v", took, job)
	}
	if !strings.Contains(fmt.Sprint(job.Report.Problems), "20000000") {
		t.Errorf("the cut tail is not reported: %+v", job.Report.Problems)
	}
	if r := e.get("/v1/audit/verify/999", "auditor"); r.status != 404 {
		t.Errorf("unknown job: %d", r.status)
	}
}
