package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The four-eyes cycle (-decide-every N): request n, when n is a multiple
// of N, screens a subject never seen before (a listed name with an
// identifier of its own, so that its alert is new) with ?alert=1; the
// worker then decides the first alert the answer opened (false positive,
// with the analyst key) and approves that decision (with the approver
// key), on the same connection. The screening counts as any other; the
// decision and the approval are timed apart, from sending to the answer.

// cycleNames are names of the bundled lists that match at the default
// threshold, so that each cycle's screening opens an alert.
var cycleNames = []string{"Vladimir Putin", "Ali Khamenei", "Kim Jong Un", "Rosneft", "Hamas", "Bank Melli Iran"}

// cycler encodes the requests of the cycles.
type cycler struct {
	host, screenPath, alertsPath string
	c                            config
	run                          string // this run's mark, in every subject's identifier
}

func newCycler(u *url.URL, c config) *cycler {
	return &cycler{host: u.Host, c: c, run: fmt.Sprintf("%x", time.Now().UnixNano()),
		screenPath: "/" + strings.TrimPrefix(u.JoinPath("/v1/screen").EscapedPath(), "/") + "?alert=1",
		alertsPath: "/" + strings.TrimPrefix(u.JoinPath("/v1/alerts").EscapedPath(), "/")}
}

func (cy *cycler) post(path, key string, body any) []byte {
	b, _ := json.Marshal(body)
	return fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		path, cy.host, key, len(b), b)
}

// screen is the screening of cycle n: a new subject, alerts on.
func (cy *cycler) screen(n int) []byte {
	return cy.post(cy.screenPath, cy.c.key, map[string]any{"name": cycleNames[(n/cy.c.decideEvery)%len(cycleNames)],
		"identifiers": []string{fmt.Sprintf("LEXLOAD-%s-%d", cy.run, n)}})
}

// cycleTimes are one worker's service times of decisions and approvals.
type cycleTimes struct{ decide, approve []time.Duration }

// decideAndApprove decides the first alert of alerts (X-Alerts-Opened)
// and approves the decision; what fails is counted in errs.
func (cy *cycler) decideAndApprove(cn *conn, alerts string, t *cycleTimes, errs map[string]int) {
	id, _, _ := strings.Cut(alerts, ",")
	if strings.TrimSpace(id) == "" {
		errs["cycle: the screening opened no alert"]++
		return
	}
	path := cy.alertsPath + "/" + url.PathEscape(strings.TrimSpace(id))
	steps := []struct {
		what  string
		req   []byte
		times *[]time.Duration
	}{
		{"decide", cy.post(path+"/decision", cy.c.analystKey, map[string]string{"outcome": "false_positive", "reason": "lexload: load test, not a real customer"}), &t.decide},
		{"approve", cy.post(path+"/approve", cy.c.approverKey, map[string]any{"approve": true, "note": "lexload: load test"}), &t.approve},
	}
	for _, st := range steps {
		sent := time.Now()
		code, _, err := cn.do(st.req)
		switch {
		case err != nil:
			errs[st.what+": transport: "+err.Error()]++
			return
		case code != http.StatusOK:
			errs[fmt.Sprintf("%s: HTTP %d", st.what, code)]++
			return
		}
		*st.times = append(*st.times, time.Since(sent))
	}
}

// printCycles prints the decisions' and approvals' service times.
func (r *report) printCycles(w io.Writer) {
	for _, s := range []struct {
		what string
		ds   []time.Duration
	}{{"decide ", r.decide}, {"approve", r.approve}} {
		fmt.Fprintf(w, "%s ok %d, service time p50 %s  p90 %s  p99 %s  max %s\n", s.what, len(s.ds),
			pct(s.ds, .5).Round(time.Microsecond), pct(s.ds, .9).Round(time.Microsecond), pct(s.ds, .99).Round(time.Microsecond), pct(s.ds, 1).Round(time.Microsecond))
	}
}
