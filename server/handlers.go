package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/store"
)

// Response bodies (named so that the OpenAPI document can describe them).

// ListRow is one snapshot in GET /v1/lists, as `lexscreen lists --json` prints it.
type ListRow = lexscreen.ListRow

// ListsResponse is the answer of GET /v1/lists.
type ListsResponse struct {
	Lists []ListRow `json:"lists"`
}

// HistoryResponse is the answer of GET /v1/entities/{id}/history.
type HistoryResponse struct {
	Entity string               `json:"entity"`
	Events []store.HistoryEvent `json:"events"`
}

// DiffResponse is the answer of GET /v1/lists/{source}/diff, as `lexscreen diff --json` prints it.
type DiffResponse struct {
	Source  string                `json:"source"`
	From    ListRow               `json:"from"`
	To      ListRow               `json:"to"`
	Program string                `json:"program"`
	Added   []store.EntitySummary `json:"added"`
	Removed []store.EntitySummary `json:"removed"`
	Changed []store.EntityChange  `json:"changed"`
}

// ObligationsResponse is the answer of GET /v1/obligations.
type ObligationsResponse struct {
	Report regime.Report `json:"report"`
	// Lists are the list versions the report evaluated: on a past date, the
	// snapshots in force that day (unless current_lists).
	Lists []lexscreen.ListVersion `json:"lists" doc:"the list versions evaluated, each with its store snapshot"`
	// Warnings name the lists left out (no snapshot that old) and stale lists.
	Warnings []lexscreen.Warning `json:"warnings,omitempty" doc:"lists left out on a past date (no snapshot published by then), stale lists"`
}

// RulesResponse is the answer of GET /v1/regimes.
type RulesResponse struct {
	Rules []regime.Rule `json:"rules"`
}

// RecordsResponse is the answer of GET /v1/audit/records.
type RecordsResponse struct {
	Records []*audit.Record `json:"records"`
}

// ReloadResponse is the answer of POST /v1/admin/reload.
type ReloadResponse struct {
	Reloaded  bool    `json:"reloaded"`
	Snapshots []int64 `json:"snapshots"`
	Entities  int     `json:"entities"`
}

// HealthResponse is the answer of /healthz and /readyz.
type HealthResponse struct {
	Status    string  `json:"status"` // ok, ready, loading, store_unavailable
	Entities  int     `json:"entities,omitempty"`
	Snapshots []int64 `json:"snapshots,omitempty"`
	Error     string  `json:"error,omitempty"` // why the list store cannot be reached
}

// BatchError is an output line of POST /v1/screen/batch for an input line
// that could not be screened.
type BatchError struct {
	ID    string      `json:"id"`
	Line  int         `json:"line"`
	Error errorDetail `json:"error"`
}

// yenteFilterParams are yente's result filters, as /match and /search take them.
var yenteFilterParams = []param{
	{Name: "include_dataset", In: "query", Description: "repeatable; only these lists (source ids, or default)"},
	{Name: "exclude_dataset", In: "query", Description: "repeatable; not these lists"},
	{Name: "exclude_schema", In: "query", Description: "repeatable; Person, Organization, Vessel, Airplane or LegalEntity"},
	{Name: "topics", In: "query", Description: "repeatable; only entities with one of these topics: sanction, sanction.counter, export.control, debarment, wanted, crime"},
	{Name: "changed_since", In: "query", Description: "YYYY-MM-DD[THH[:MM[:SS]]]: only entities whose last change lexscreen saw is on or after that day"},
	{Name: "exclude_entity_ids", In: "query", Description: "repeatable; entity ids left out of the results"},
}

const screenExample = `{"name": "Karim Khan", "type": "person", "dob": "1970", "operator": "eu-subsidiary-of-us-bank", "date": "2025-12-30", "current_lists": true}`

func (s *Server) routeTable() []route {
	sc, an, au, ad := audit.RoleScreener, audit.RoleAnalyst, audit.RoleAuditor, audit.RoleAdmin
	return append([]route{
		{Method: "POST", Path: "/v1/screen", Role: sc, Summary: "Screen one name",
			Description: "Screens a person, organisation, vessel or aircraft against the lists in use and, with an operator, adds what the law requires of it on the date. Answers what `lexscreen screen --json` prints. The screening is recorded in the audit chain before the answer is sent.",
			Request:     ScreenRequest{}, Response: lexscreen.Result{}, Example: screenExample, handler: s.handleScreen},
		{Method: "POST", Path: "/v1/screen/batch", Role: sc, Batch: true, Summary: "Screen many names (streamed NDJSON)",
			Description: "The body is JSON lines, one ScreenRequest a line; the answer streams exactly one line per non-blank input line, in the same order: a Result, or a BatchError for a line that can't be screened (not JSON, no name). A dob that can't be read is no error: the line is screened without it and its Result carries a warning. If the stream breaks (the body breaks off or goes over --max-batch-body, more than --max-batch queries, the time limit), its last line is a BatchStreamError {error, answered}; the trailers X-Batch-Answered and X-Batch-Complete say the same. Each result is recorded in the audit chain before its line is sent.",
			Request:     ScreenRequest{}, RequestType: "application/x-ndjson", Response: lexscreen.Result{}, ResponseType: "application/x-ndjson",
			Alternatives: []any{BatchError{}, BatchStreamError{}},
			Example:      `{"id": "c1", "name": "Karim Khan"}` + "\n" + `{"id": "c2", "name": "ACME Trading LLC", "type": "organization"}`, handler: s.bounded(s.batches, s.handleBatch)},
		s.paymentsRoute(),
		{Method: "GET", Path: "/v1/entities/{id}", Role: an, Summary: "One listed entity as stored",
			Params: []param{{Name: "id", In: "path", Required: true, Description: "entity id, <source>:<publisher key>", Example: "us-ofac-sdn:52965"},
				{Name: "snapshot", In: "query", Description: "snapshot id (default: the one in use)"}},
			Response: lexscreen.Entity{}, handler: s.handleEntity},
		{Method: "GET", Path: "/v1/entities/{id}/history", Role: an, Summary: "When an entity appeared on its list, changed and left",
			Params:   []param{{Name: "id", In: "path", Required: true, Description: "entity id", Example: "us-ofac-sdn:52965"}},
			Response: HistoryResponse{}, handler: s.handleHistory},
		{Method: "GET", Path: "/v1/lists", Role: an, Summary: "Imported lists: versions, publisher dates, counts and age",
			Params:   []param{{Name: "current", In: "query", Description: "true: only the snapshots in use"}, {Name: "source", In: "query", Description: "only this source"}},
			Response: ListsResponse{}, handler: s.handleLists},
		{Method: "GET", Path: "/v1/lists/{source}/diff", Role: an, Summary: "What changed in a list between two snapshots",
			Params: []param{{Name: "source", In: "path", Required: true, Example: "us-ofac-sdn", Description: "list source id"},
				{Name: "from", In: "query", Description: "snapshot id, version or publisher date (default: the one before to)", Example: "2025-02-27"},
				{Name: "to", In: "query", Description: "snapshot id, version or publisher date (default: the latest)", Example: "2025-12-24"},
				{Name: "program", In: "query", Description: "only entities under this program tag", Example: "ICC-EO14203"}},
			Response: DiffResponse{}, handler: s.handleDiff},
		{Method: "GET", Path: "/v1/obligations", Role: an, Summary: "Exposure report of an operator on a date",
			Description: "Every listing of the lists in force on the date, counted once: binding, in_conflict (each item with its conflicts: duties, rules, explanation, ways out), must_not_comply, date_unknown (would bind, but no listing date shows it in force on the date), risk_only, no_legal_effect, not_applicable. NOTIFY (Reg. 2271/96 art. 2) only for an operator whose profile says an annexed law affects its interests (interests_affected).",
			Params: []param{{Name: "operator", In: "query", Required: true, Example: "eu-bank", Description: "us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX"},
				{Name: "date", In: "query", Example: "2026-11-29", Description: "YYYY-MM-DD (default today); a past date evaluates the lists in force that day (per list, the newest snapshot published on or before it; a list with none is left out with a warning)"},
				{Name: "current_lists", In: "query", Description: "true: with a past date, evaluate the current lists anyway (that day's duties on today's designations)"}},
			Response: ObligationsResponse{}, handler: s.handleObligations},
		{Method: "GET", Path: "/v1/regimes", Role: an, Summary: "The legal rules applied, with citations and confidence",
			Response: RulesResponse{}, handler: s.handleRegimes},
		{Method: "POST", Path: "/match/{dataset}", Role: sc, Summary: "yente-compatible query-by-example matching",
			Description: "Drop-in for yente's POST /match/{dataset}: FollowTheMoney-style queries in, yente's response shape out. dataset is default (all lists) or a source id. yente's filters are applied before the limit; a parameter lexscreen does not take, or a value it can't read, is refused (400, with yente's detail). A birthDate lexscreen can't read is dropped as evidence with a warning in the query's response.",
			Params: append([]param{{Name: "dataset", In: "path", Required: true, Example: "default", Description: "default, or a list source id"},
				{Name: "limit", In: "query", Description: "results per query (default 5, at most 500)"}, {Name: "threshold", In: "query", Description: "match threshold (default the engine's)"},
				{Name: "cutoff", In: "query", Description: "lowest score reported (deprecated in yente; at most the threshold)"},
				{Name: "algorithm", In: "query", Description: "accepted; lexscreen always scores with its own engine"},
				{Name: "fuzzy", In: "query", Description: "true or false; accepted, lexscreen always matches names loosely"}}, yenteFilterParams...),
			Request: yenteMatchRequest{}, Response: yenteMatchResponse{},
			Answers: []answer{{Status: http.StatusUnprocessableEntity, Description: "a query without a schema: FastAPI's detail, as yente answers, and lexscreen's error", Body: yenteValidationBody{}}},
			Example: `{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Karim Khan"], "birthDate": ["1970"], "nationality": ["gb"]}}}}`,
			handler: s.handleYenteMatch},
		{Method: "GET", Path: "/search/{dataset}", Role: sc, Summary: "yente-compatible name search",
			Params: append([]param{{Name: "dataset", In: "path", Required: true, Example: "default", Description: "default, or a list source id"},
				{Name: "q", In: "query", Required: true, Example: "Karim Khan", Description: "the name searched"},
				{Name: "schema", In: "query", Description: "Person, Organization, Vessel, Airplane (default any)"},
				{Name: "limit", In: "query", Description: "results (default 10; 0 gives total and facets only; offset+limit at most 500)"},
				{Name: "offset", In: "query", Description: "results skipped (default 0)"},
				{Name: "countries", In: "query", Description: "repeatable ISO codes or names; keeps entities linked to any of them (all with filter_op=AND), and is nationality evidence"},
				{Name: "facets", In: "query", Description: "repeatable: countries, datasets, topics, schema (default countries, datasets, topics)"},
				{Name: "datasets", In: "query", Description: "repeatable; as include_dataset"},
				{Name: "filter_op", In: "query", Description: "OR (default) or AND: how several topics or countries combine"},
				{Name: "fuzzy", In: "query", Description: "true or false; accepted, lexscreen always matches names loosely"},
				{Name: "simple", In: "query", Description: "true or false; accepted, lexscreen reads q as a name, not a query syntax"}}, yenteFilterParams...),
			Response: yenteSearchResponse{}, handler: s.handleYenteSearch},
		{Method: "GET", Path: "/catalog", Role: sc, Summary: "yente-compatible catalog of the datasets (lists) in use",
			Description: "Drop-in for yente's GET /catalog: default (all lists) and one dataset per list source, each usable in /match/{dataset} and /search/{dataset}.",
			Response:    yenteCatalog{}, handler: s.handleYenteCatalog},
		{Method: "GET", Path: "/reconcile", Role: sc, Summary: "OpenRefine reconciliation: service manifest (or queries=)",
			Params:   []param{{Name: "queries", In: "query", Description: "JSON object of reconciliation queries; without it the service manifest is answered"}},
			Response: reconcileManifest{}, Alternatives: []any{map[string]reconcileResults{}, reconcileExtendResponse{}}, handler: s.handleReconcile},
		{Method: "POST", Path: "/reconcile", Role: sc, Summary: "OpenRefine reconciliation queries",
			Description: "Form field queries={...} (application/x-www-form-urlencoded) or a JSON body {\"queries\": {...}}. Scores are 0..100.",
			Request:     reconcileBody{}, AltRequests: map[string]any{"application/x-www-form-urlencoded": reconcileForm{}},
			Response: map[string]reconcileResults{}, Alternatives: []any{reconcileExtendResponse{}},
			Example: `{"queries": {"q0": {"query": "Karim Khan", "type": "person", "limit": 3}}}`, handler: s.handleReconcile},
		{Method: "GET", Path: "/v1/audit/records", Role: au, Summary: "Audit records, oldest first",
			Params:   []param{{Name: "after", In: "query", Description: "only records with a larger id"}, {Name: "limit", In: "query", Description: "at most this many (default 100, at most 1000)"}},
			Response: RecordsResponse{}, handler: s.handleAuditList},
		{Method: "GET", Path: "/v1/audit/records/{id}", Role: au, Summary: "One audit record",
			Params: []param{{Name: "id", In: "path", Required: true, Example: "1"}}, Response: audit.Record{}, handler: s.handleAuditGet},
		{Method: "POST", Path: "/v1/audit/records/{id}/replay", Role: au, Summary: "Re-run an audited screening on the list versions it used and compare",
			Params: []param{{Name: "id", In: "path", Required: true, Example: "1"}}, Response: Replay{}, handler: s.bounded(s.replays, s.handleAuditReplay)},
		{Method: "POST", Path: "/v1/audit/verify", Role: au, Summary: "Check the audit chain and its signed checkpoints, in the background",
			Description: "Starts a verify job (202, Location: /v1/audit/verify/{id}), or answers the one running (200): one at a time.",
			Response:    VerifyJob{}, Answers: []answer{{Status: http.StatusAccepted, Description: "a verify job started; Location: /v1/audit/verify/{id}", Body: VerifyJob{}}},
			handler: s.bounded(s.verifies, s.handleAuditVerify)},
		{Method: "GET", Path: "/v1/audit/verify/{id}", Role: au, Summary: "Progress and result of a verify job",
			Params: []param{{Name: "id", In: "path", Required: true, Example: "1"}}, Response: VerifyJob{}, handler: s.handleAuditVerifyJob},
		{Method: "POST", Path: "/v1/admin/reload", Role: ad, Summary: "Rebuild the index from the store now",
			Response: ReloadResponse{}, handler: s.handleReload},
		{Method: "GET", Path: "/healthz", Public: true, Summary: "Liveness", Response: HealthResponse{}, handler: s.handleHealth},
		{Method: "GET", Path: "/readyz", Public: true, Summary: "Readiness: 200 once the index is loaded and the list store answers, else 503", Response: HealthResponse{}, handler: s.handleReady},
		{Method: "GET", Path: "/metrics", Public: true, Summary: "Prometheus metrics", ResponseType: "text/plain", handler: s.metrics.handler().ServeHTTP},
		{Method: "GET", Path: "/openapi.json", Public: true, Summary: "This API's OpenAPI 3.1 document", Response: map[string]any{}, handler: s.handleOpenAPI},
		{Method: "GET", Path: "/docs", Public: true, Summary: "This API's documentation (HTML)", ResponseType: "text/html", handler: s.handleDocs},
	}, append(append(s.workspaceRoutes(), s.clientRoutes()...), s.reportRoutes()...)...)
}

// current returns the index in use or an error saying it is not ready.
func (s *Server) current() (*Index, error) {
	ix := s.index.Load()
	if ix == nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the lists are still being indexed; retry in a few seconds (see /readyz)")
	}
	return ix, nil
}

// screened is one screening made for a request, ready to be recorded.
type screened struct {
	prep   Prepared
	result lexscreen.Result
	json   []byte
	// err is why this query could not be screened (partial screenings only;
	// nothing is recorded for it).
	err error
}

// screen screens prepared queries on one index and records them all in the
// audit chain; it returns only once they are recorded. If the request's time
// ran out first, nothing is recorded and the error says so. One query that
// can't be screened fails them all, unless partial: then it carries its own
// error and the others are screened and recorded.
func (s *Server) screen(ctx context.Context, r *http.Request, kind string, ix *Index, preps []Prepared, partial bool) ([]screened, error) {
	out, recs, err := s.screenUnrecorded(ctx, r, kind, ix, preps, partial)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Audit.Append(ctx, recs...); err != nil {
		return nil, err
	}
	s.countScreenings(kind, out, len(recs))
	return out, nil
}

// countScreenings counts recorded screenings in the metrics.
func (s *Server) countScreenings(kind string, out []screened, recorded int) {
	s.metrics.screenings.WithLabelValues(kind).Add(float64(recorded))
	for _, o := range out {
		s.metrics.matches.Add(float64(len(o.result.Matches)))
	}
}

// screenUnrecorded is screen without the recording: the caller must
// append the records (all of them) before anything of the screenings is
// answered.
func (s *Server) screenUnrecorded(ctx context.Context, r *http.Request, kind string, ix *Index, preps []Prepared, partial bool) ([]screened, []*audit.Record, error) {
	out := make([]screened, 0, len(preps))
	recs := make([]*audit.Record, 0, len(preps))
	key := keyOf(r)
	now := time.Now().UTC()
	for _, p := range preps {
		// A request out of time stops here: nothing of it is recorded.
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if p.Opts.MaxListAge == 0 {
			p.Opts.MaxListAge = s.cfg.MaxListAge
		}
		began := time.Now()
		res, err := ix.Screen(p.Query, p.Opts)
		s.metrics.screenLatency.WithLabelValues(kind).Observe(time.Since(began).Seconds())
		var b []byte
		if err == nil {
			b, err = json.Marshal(res)
		}
		if err != nil {
			if !partial {
				return nil, nil, err
			}
			out = append(out, screened{prep: p, err: err})
			continue
		}
		req, _ := json.Marshal(p.Req)
		recs = append(recs, &audit.Record{Time: now, Kind: kind, KeyID: key.ID, Request: req, Operator: res.Operator,
			Date: res.Date, Regimes: p.Req.Regimes, Threshold: res.Engine.Threshold, Limit: p.Opts.Limit, Lists: res.Lists,
			Snapshots: ix.SnapshotIDs(), Engine: res.Engine.Version, Result: b})
		out = append(out, screened{prep: p, result: res, json: b})
		if s.cfg.LogNames {
			s.log.Info("screened", "kind", kind, "name", p.Query.Name, "matches", len(res.Matches), "key", key.ID)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return out, recs, nil
}

func (s *Server) handleScreen(w http.ResponseWriter, r *http.Request) {
	switch v := r.URL.Query().Get("alert"); v {
	case "1", "true":
		s.withWorkspace(s.handleScreenAlert)(w, r)
		return
	case "", "0", "false":
	default:
		// An alert asked for in a way not understood must not pass as a
		// screening that opened none.
		writeError(w, r, http.StatusBadRequest, "invalid", "alert="+strconv.Quote(v)+": want 1 or true (open alerts), 0 or false")
		return
	}
	out, ok := s.screenOne(w, r)
	if ok {
		writeRaw(w, http.StatusOK, out.json)
	}
}

// screenOne reads, prepares and screens the ScreenRequest of the body and
// records it; on failure it has written the error and returns false.
func (s *Server) screenOne(w http.ResponseWriter, r *http.Request) (screened, bool) {
	var req ScreenRequest
	if err := decodeJSON(r.Body, &req); err != nil {
		writeErr(w, r, err)
		return screened{}, false
	}
	p, err := s.prepare(req)
	if err != nil {
		writeErr(w, r, err)
		return screened{}, false
	}
	ix, err := s.indexAt(r.Context(), p.AsOf)
	if err != nil {
		writeErr(w, r, err)
		return screened{}, false
	}
	out, err := s.screen(r.Context(), r, "screen", ix, []Prepared{p}, false)
	if err != nil {
		writeErr(w, r, err)
		return screened{}, false
	}
	return out[0], true
}

// BatchStreamError is the last line of a POST /v1/screen/batch answer whose
// stream broke (the body could not be read to its end, a limit was reached,
// the time ran out): why, and how many input lines were answered before it.
type BatchStreamError struct {
	Error    errorDetail `json:"error"`
	Answered int         `json:"answered" doc:"query lines answered (results and BatchError lines) before the stream broke"`
}

// batchLine is one line of a batch body as read.
type batchLine struct {
	n    int // 1-based line number in the body
	text []byte
}

// lineQueue holds the lines of a body read ahead of the screening: a
// reader goroutine fills it while answers go out, so that a client that
// sends its whole body before reading the answer never waits on the server
// (the body limit bounds what it holds).
type lineQueue struct {
	mu    sync.Mutex
	lines []batchLine
	done  bool
	err   error         // why reading stopped before the end (nil: end of body)
	ready chan struct{} // signalled when lines arrive or reading stops
}

func (q *lineQueue) push(l batchLine) {
	q.mu.Lock()
	q.lines = append(q.lines, l)
	q.mu.Unlock()
	q.signal()
}

func (q *lineQueue) finish(err error) {
	q.mu.Lock()
	q.done, q.err = true, err
	q.mu.Unlock()
	q.signal()
}

func (q *lineQueue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take waits for lines and returns up to max of them, lingering up to
// linger for more once one is there (so that a slowly sent body is still
// screened and recorded in chunks); done reports that reading stopped and
// nothing is left, with err saying why when it was not the end of the body.
func (q *lineQueue) take(ctx context.Context, max int, linger time.Duration) (lines []batchLine, done bool, err error) {
	var deadline <-chan time.Time
	for {
		q.mu.Lock()
		n := min(len(q.lines), max)
		if n > 0 && (n == max || q.done) {
			lines = append(lines, q.lines[:n]...)
			q.lines = q.lines[n:]
			q.mu.Unlock()
			return lines, false, nil
		}
		if n == 0 && q.done {
			q.mu.Unlock()
			return nil, true, q.err
		}
		q.mu.Unlock()
		if n > 0 && deadline == nil {
			deadline = time.After(linger)
		}
		select {
		case <-q.ready:
		case <-deadline:
			q.mu.Lock()
			n := min(len(q.lines), max)
			lines = append(lines, q.lines[:n]...)
			q.lines = q.lines[n:]
			q.mu.Unlock()
			return lines, false, nil
		case <-ctx.Done():
			return nil, true, ctx.Err()
		}
	}
}

// readLines reads body line by line into q until its end or an error. A
// line cut short by an error is not passed on: it was never sent whole.
func readLines(body io.Reader, maxLine int, q *lineQueue) {
	br := bufio.NewReaderSize(body, 64<<10)
	n := 0
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			q.finish(lexscreen.Errorf(lexscreen.EINVALID, "line %d: longer than %d bytes; it and the lines after it were not read", n+1, maxLine))
			return
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == nil || err == io.EOF && len(line) > 0 {
			n++
			q.push(batchLine{n: n, text: bytes.Clone(bytes.TrimSpace(line))})
			line = line[:0]
		}
		if err == io.EOF {
			q.finish(nil)
			return
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if !errors.As(err, &mbe) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) && !errors.Is(err, os.ErrDeadlineExceeded) {
				err = lexscreen.Errorf(lexscreen.EINVALID, "request body: reading stopped after line %d: %v; the lines after it were not read", n, err)
			}
			q.finish(err)
			return
		}
	}
}

// handleBatch answers every query line of a JSON-lines body exactly once,
// in order: a Result, or a BatchError for a line that can't be screened.
// A goroutine reads the body ahead while the answers stream out (HTTP/1
// full duplex), so the answer neither waits for the whole body nor makes
// the server stop reading it. If the stream breaks, its last line is a
// BatchStreamError; the trailers X-Batch-Answered and X-Batch-Complete
// say the same.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	// The request's context ends when the connection's read side fails, as
	// it does when a client stops sending mid-body: the lines read by then
	// are still answered (a client that is gone shows as a failed write),
	// within the request's time limit.
	ctx := context.WithoutCancel(r.Context())
	if dl, ok := r.Context().Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl)
		defer cancel()
	}
	rc := http.NewResponseController(w)
	// Without full duplex, an HTTP/1 server stops reading the body once the
	// answer has begun (HTTP/2 is full duplex already).
	if err := rc.EnableFullDuplex(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.log.Warn("batch: full duplex unavailable", "err", err)
	}
	q := &lineQueue{ready: make(chan struct{}, 1)}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readLines(r.Body, int(s.cfg.MaxBody), q)
	}()
	defer func() {
		select {
		case <-readerDone:
			return
		default:
		}
		// Unblock a read still waiting for the client, let the reader end,
		// and leave the connection's deadline as it was.
		if rc.SetReadDeadline(time.Now()) == nil {
			<-readerDone
			rc.SetReadDeadline(time.Time{})
		}
	}()

	started := false
	answered, queries := 0, 0
	start := func() {
		if !started {
			h := w.Header()
			h.Set("Content-Type", "application/x-ndjson")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Trailer", "X-Batch-Answered, X-Batch-Complete")
			w.WriteHeader(http.StatusOK)
			started = true
		}
	}
	trailers := func(complete bool) {
		w.Header().Set("X-Batch-Answered", strconv.Itoa(answered))
		w.Header().Set("X-Batch-Complete", strconv.FormatBool(complete))
	}
	// fail ends the answer: an error status if nothing went out yet, else a
	// last line saying why the stream stops and how far it got.
	fail := func(err error) {
		if !started {
			writeErr(w, r, err)
			return
		}
		_, d := errorOf(err)
		d.Message = fmt.Sprintf("%s; the stream stops here, after %d answered lines", d.Message, answered)
		b, _ := json.Marshal(BatchStreamError{Error: d, Answered: answered})
		w.Write(append(b, '\n'))
		trailers(false)
		rc.Flush()
	}
	dates := map[string]bool{} // the past dates screened against so far
	for {
		lines, done, rerr := q.take(ctx, 256, 5*time.Millisecond)
		if done {
			if rerr != nil {
				fail(rerr)
				return
			}
			break
		}
		var chunk []batchItem
		refused := false
		for _, l := range lines {
			if len(l.text) == 0 {
				continue
			}
			queries++
			if queries > s.cfg.MaxBatch {
				refused = true
				break
			}
			it := batchItem{line: l.n}
			var req ScreenRequest
			if err := decodeJSON(bytes.NewReader(l.text), &req); err != nil {
				it.err = err
			} else {
				it.id = req.ID
				it.prep, it.err = s.prepare(req)
			}
			chunk = append(chunk, it)
		}
		if err := s.screenBatchChunk(ctx, r, ix, chunk, dates); err != nil {
			fail(err)
			return
		}
		var buf bytes.Buffer
		for _, it := range chunk {
			buf.Write(it.answer())
			buf.WriteByte('\n')
		}
		if buf.Len() > 0 {
			start()
			if _, err := w.Write(buf.Bytes()); err != nil {
				return // the client is gone: nobody to tell
			}
			answered += len(chunk)
			rc.Flush()
		}
		if refused {
			fail(lexscreen.Errorf(lexscreen.EINVALID, "batch of more than %d queries: the first %d were answered, the rest refused", s.cfg.MaxBatch, s.cfg.MaxBatch))
			return
		}
	}
	if queries == 0 {
		writeError(w, r, http.StatusBadRequest, lexscreen.EINVALID, "empty batch: want JSON lines, one query a line")
		return
	}
	trailers(true)
}

func sourceOf(id string) string { s, _, _ := strings.Cut(id, ":"); return s }
func nonNil[T any](s []T) []T   { return append([]T{}, s...) }

// queryInt reads a query parameter that is a whole number, 0 or more
// (def when absent).
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "%s=%q: want a whole number, 0 or more", name, truncate(v, 40))
	}
	return n, nil
}

// queryScore reads a query parameter that is a score: a finite number above
// 0 and at most 1 (def when absent). NaN, infinities and hexadecimal
// floats are refused.
func queryScore(r *http.Request, name string, def float64) (float64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !(x > 0 && x <= 1) || strings.ContainsAny(v, "xXpP") {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "%s=%q: want a number above 0 and at most 1", name, truncate(v, 40))
	}
	return x, nil
}

// truncate cuts s to at most n bytes for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func (s *Server) handleEntity(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	snap, err := queryInt(r, "snapshot", 0)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	snapshot := int64(snap)
	if snapshot == 0 {
		cur, err := s.cfg.Store.Current(r.Context())
		if err != nil {
			writeErr(w, r, err)
			return
		}
		for _, c := range cur {
			if c.Source == sourceOf(id) {
				snapshot = c.ID
			}
		}
		if snapshot == 0 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store for %s", sourceOf(id), id))
			return
		}
	}
	e, err := s.cfg.Store.Entity(r.Context(), id, snapshot)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	events, err := s.cfg.Store.History(r.Context(), id)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if len(events) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no entity %q in any snapshot", id))
		return
	}
	writeJSON(w, http.StatusOK, HistoryResponse{Entity: id, Events: nonNil(events)})
}

func (s *Server) handleLists(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := s.cfg.Store.Current(ctx)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	inUse := map[int64]bool{}
	for _, c := range cur {
		inUse[c.ID] = true
	}
	currentOnly := r.URL.Query().Get("current") == "true"
	all, err := s.cfg.Store.Snapshots(ctx, r.URL.Query().Get("source"))
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if src := r.URL.Query().Get("source"); src != "" && len(all) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store", src))
		return
	}
	rows := []ListRow{}
	now := time.Now()
	for _, sn := range all {
		if !currentOnly || inUse[sn.ID] {
			rows = append(rows, source.ListRow(sn, inUse[sn.ID], now))
		}
	}
	writeJSON(w, http.StatusOK, ListsResponse{Lists: rows})
}

func pickSnapshot(snaps []lexscreen.Snapshot, ref string) (lexscreen.Snapshot, error) {
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		for _, s := range snaps {
			if s.ID == n {
				return s, nil
			}
		}
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		s := snaps[i]
		if s.Version == ref || (!s.Published.IsZero() && s.Published.Format("2006-01-02") == ref) {
			return s, nil
		}
	}
	return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.ENOTFOUND, "no snapshot %q of %s", ref, snaps[0].Source)
}

func hasProgram(programs []string, p string) bool {
	for _, x := range programs {
		if strings.EqualFold(x, p) {
			return true
		}
	}
	return false
}

func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	src := r.PathValue("source")
	q := r.URL.Query()
	snaps, err := s.cfg.Store.Snapshots(ctx, src)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if len(snaps) == 0 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store", src))
		return
	}
	to := snaps[len(snaps)-1]
	if v := q.Get("to"); v != "" {
		if to, err = pickSnapshot(snaps, v); err != nil {
			writeErr(w, r, err)
			return
		}
	}
	var from lexscreen.Snapshot
	if v := q.Get("from"); v != "" {
		if from, err = pickSnapshot(snaps, v); err != nil {
			writeErr(w, r, err)
			return
		}
	} else {
		i := -1
		for j, sn := range snaps {
			if sn.ID == to.ID {
				i = j
			}
		}
		if i <= 0 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "%s has no snapshot before %s: nothing to compare", src, to.Version))
			return
		}
		from = snaps[i-1]
	}
	d, err := s.cfg.Store.Diff(ctx, from.ID, to.ID)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	out := DiffResponse{Source: src, From: source.ListRow(from, false, from.Imported), To: source.ListRow(to, false, to.Imported),
		Program: q.Get("program"), Added: []store.EntitySummary{}, Removed: []store.EntitySummary{}, Changed: []store.EntityChange{}}
	p := q.Get("program")
	for _, e := range d.Added {
		if p == "" || hasProgram(e.Programs, p) {
			out.Added = append(out.Added, e)
		}
	}
	for _, e := range d.Removed {
		if p == "" || hasProgram(e.Programs, p) {
			out.Removed = append(out.Removed, e)
		}
	}
	for _, c := range d.Changed {
		if p == "" || hasProgram(c.Programs, p) {
			out.Changed = append(out.Changed, c)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleObligations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("operator") == "" {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "operator: required"))
		return
	}
	opts, err := legalOptions(q.Get("operator"), nil, q.Get("date"), "", s.cfg.Profiles)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	currentLists := false
	switch v := q.Get("current_lists"); v {
	case "", "false":
	case "true":
		currentLists = true
	default:
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "current_lists=%q: want true or false", truncate(v, 20)))
		return
	}
	// A past date evaluates the lists in force that day, as /v1/screen
	// screens against them; a server without a store says it can't.
	var asOf time.Time
	if !currentLists && q.Get("date") != "" {
		asOf = opts.Date
	}
	ix, err := s.indexAt(r.Context(), asOf)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	listings := ix.Screener.Listings()
	rep, err := opts.Regimes.Exposure(opts.Operator, opts.Date, listings)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ObligationsResponse{Report: rep, Lists: nonNil(ix.Screener.Lists()), Warnings: ix.Screener.ListWarnings(s.cfg.MaxListAge)})
}

func (s *Server) handleRegimes(w http.ResponseWriter, r *http.Request) {
	eng, err := defaultRegimes()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, RulesResponse{Rules: eng.Rules()})
}

func (s *Server) handleAuditList(w http.ResponseWriter, r *http.Request) {
	after, err := queryInt(r, "after", 0)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 100)
	if err != nil || limit < 1 || limit > 1000 {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "limit: want 1 to 1000"))
		return
	}
	recs, err := s.cfg.Audit.List(r.Context(), int64(after), limit)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, RecordsResponse{Records: recs})
}

func (s *Server) auditRecord(w http.ResponseWriter, r *http.Request) *audit.Record {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EINVALID, "record id %q: want a number", r.PathValue("id")))
		return nil
	}
	rec, err := s.cfg.Audit.Get(r.Context(), id)
	if err != nil {
		writeErr(w, r, err)
		return nil
	}
	return rec
}

func (s *Server) handleAuditGet(w http.ResponseWriter, r *http.Request) {
	if rec := s.auditRecord(w, r); rec != nil {
		writeJSON(w, http.StatusOK, rec)
	}
}

func (s *Server) handleAuditReplay(w http.ResponseWriter, r *http.Request) {
	rec := s.auditRecord(w, r)
	if rec == nil {
		return
	}
	rep, err := ReplayRecord(r.Context(), s.cfg.Store, rec, s.cfg.EngineVersion)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request) {
	// The rebuild goes on even if the caller leaves: a half-built index is never used anyway.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Minute)
	defer cancel()
	done, err := s.Reload(ctx, true)
	if err != nil {
		writeErr(w, r, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "reload failed; the previous index stays in use: %v", err))
		return
	}
	ix := s.index.Load()
	writeJSON(w, http.StatusOK, ReloadResponse{Reloaded: done, Snapshots: ix.SnapshotIDs(), Entities: ix.Entities})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, HealthResponse{Status: "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ix := s.index.Load()
	if ix == nil {
		writeJSON(w, http.StatusServiceUnavailable, HealthResponse{Status: "loading"})
		return
	}
	if err := s.pingStore(r.Context()); err != nil {
		// Fail closed: a replica that cannot see its list database would
		// miss a new list; take it out of the load balancer.
		writeJSON(w, http.StatusServiceUnavailable, HealthResponse{Status: "store_unavailable",
			Entities: ix.Entities, Snapshots: ix.SnapshotIDs(), Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, HealthResponse{Status: "ready", Entities: ix.Entities, Snapshots: ix.SnapshotIDs()})
}

// pingStore checks the list store answers, when it can tell (store.Pinger),
// within 2 seconds.
func (s *Server) pingStore(ctx context.Context) error {
	p, ok := s.cfg.Store.(store.Pinger)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return p.Ping(ctx)
}

var _ = fmt.Sprint
