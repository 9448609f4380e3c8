package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// VerifyJob is a check of the audit chain (and its signed checkpoints)
// running in the background: POST /v1/audit/verify starts one, or answers
// the one running; GET /v1/audit/verify/{id} follows it.
type VerifyJob struct {
	ID       string        `json:"id"`
	State    string        `json:"state"` // running, done, failed
	Started  time.Time     `json:"started"`
	Finished *time.Time    `json:"finished,omitempty"`
	Checked  int64         `json:"checked"` // records checked so far
	Total    int64         `json:"total"`   // records to check (the chain head's)
	Report   *audit.Report `json:"report,omitempty"`
	Error    string        `json:"error,omitempty"`
}

// verifyJobs are the server's verify jobs: at most one running, the last
// keptVerifyJobs kept for GET.
type verifyJobs struct {
	mu      sync.Mutex
	seq     int
	jobs    []*verifyJob
	running *verifyJob
}

const keptVerifyJobs = 16

// verifyJobTimeout bounds one verify (about 10 s per 100,000 records).
const verifyJobTimeout = 2 * time.Hour

type verifyJob struct {
	checked, total atomic.Int64
	mu             sync.Mutex
	v              VerifyJob
}

func (j *verifyJob) snapshot() VerifyJob {
	j.mu.Lock()
	v := j.v
	j.mu.Unlock()
	v.Checked, v.Total = j.checked.Load(), j.total.Load()
	return v
}

// handleAuditVerify starts a verify job, or answers the one running.
func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) {
	jobs := &s.auditJobs
	jobs.mu.Lock()
	if j := jobs.running; j != nil {
		jobs.mu.Unlock()
		w.Header().Set("Location", "/v1/audit/verify/"+j.v.ID)
		writeJSON(w, http.StatusOK, j.snapshot())
		return
	}
	jobs.seq++
	j := &verifyJob{v: VerifyJob{ID: strconv.Itoa(jobs.seq), State: "running", Started: time.Now().UTC()}}
	jobs.running = j
	jobs.jobs = append(jobs.jobs, j)
	if len(jobs.jobs) > keptVerifyJobs {
		jobs.jobs = jobs.jobs[len(jobs.jobs)-keptVerifyJobs:]
	}
	jobs.mu.Unlock()
	// The job outlives the request; it ends with its time limit.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), verifyJobTimeout)
	go func() {
		defer cancel()
		rep, err := s.cfg.Audit.VerifyWith(ctx, audit.VerifyOptions{Progress: func(checked, total int64) {
			j.checked.Store(checked)
			j.total.Store(total)
		}})
		now := time.Now().UTC()
		j.mu.Lock()
		j.v.Finished = &now
		if err != nil {
			j.v.State, j.v.Error = "failed", err.Error()
		} else {
			j.v.State, j.v.Report = "done", &rep
			j.checked.Store(rep.Records)
		}
		j.mu.Unlock()
		jobs.mu.Lock()
		jobs.running = nil
		jobs.mu.Unlock()
		if err != nil || !rep.OK {
			s.log.Error("audit verify", "job", j.v.ID, "ok", false, "problems", rep.ProblemCount, "err", err)
		}
	}()
	w.Header().Set("Location", "/v1/audit/verify/"+j.v.ID)
	writeJSON(w, http.StatusAccepted, j.snapshot())
}

// handleAuditVerifyJob answers a verify job's progress and result.
func (s *Server) handleAuditVerifyJob(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	jobs := &s.auditJobs
	jobs.mu.Lock()
	var found *verifyJob
	for _, j := range jobs.jobs {
		if j.v.ID == id {
			found = j
		}
	}
	jobs.mu.Unlock()
	if found == nil {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no verify job %q (the last %d are kept)", id, keptVerifyJobs))
		return
	}
	writeJSON(w, http.StatusOK, found.snapshot())
}
