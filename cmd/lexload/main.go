// Command lexload sends screening requests to a lexscreen server on this
// machine at a fixed rate for a fixed time, optionally triggers a list
// reload mid-run, and prints the rate achieved, the errors and the latency
// percentiles. It refuses any address that is not loopback.
//
//	lexload -url http://127.0.0.1:8080 -key $KEY -rate 2000 -duration 60s -reload-at 30s -reload-key $ADMIN_KEY
//
// Requests are spread evenly over time (request n is due at n/rate), not
// sent in bursts. Latency is measured from the time a request was due, not
// from the time it could be sent, so a server (or client) that falls behind
// shows it in the latency instead of hiding it ("coordinated omission"); the
// time from sending to the answer is printed too, as service time. No
// request is dropped: a request not answered with 200 is an error.
//
// With -alert every screening opens (or finds) alerts in the server's
// workspace; with -decide-every N every Nth request is also a four-eyes
// cycle: a new subject screened with alerts, its alert decided and the
// decision approved by a second key (workflow.go).
//
// The client is cheap, as it shares the machine with the server: one
// keep-alive connection per worker and request bytes encoded once, so that
// what is measured is the server.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen/internal/cputime"
)

var names = []string{"Karim Khan", "Vladimir Putin", "Ali Khamenei", "ACME Trading LLC", "Nazhat Shameem Khan",
	"Kim Jong Un", "Maria Garcia", "Mohammed Ali", "Rosneft", "Hamas", "John Smith", "Bank Melli Iran"}

func main() {
	var c config
	flag.StringVar(&c.base, "url", "http://127.0.0.1:8080", "server URL (loopback only)")
	flag.StringVar(&c.key, "key", os.Getenv("LEXSCREEN_KEY"), "API key (screener role)")
	flag.IntVar(&c.rate, "rate", 2000, "requests per second (1..100000)")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "how long to send (up to 10m)")
	flag.DurationVar(&c.reloadAt, "reload-at", 0, "when to trigger a list reload (POST /v1/admin/reload; 0: never)")
	flag.StringVar(&c.reloadKey, "reload-key", "", "admin API key for the reload (default -key)")
	flag.BoolVar(&c.alert, "alert", false, "screen with ?alert=1: each match opens (or finds) an alert in the server's workspace")
	flag.IntVar(&c.decideEvery, "decide-every", 0, "every Nth request is a four-eyes cycle (0: none): screen a new subject with ?alert=1, decide its alert (-analyst-key), approve it (-approver-key)")
	flag.StringVar(&c.analystKey, "analyst-key", "", "with -decide-every: API key (analyst role) that decides")
	flag.StringVar(&c.approverKey, "approver-key", "", "with -decide-every: API key (approver role) that approves")
	flag.BoolVar(&c.timeline, "timeline", false, "also print, for each second of the run, the requests due in it and their latency p50, p99 and max (where a tail comes from)")
	flag.DurationVar(&c.goal, "goal", 20*time.Millisecond, "latency goal: the report counts the requests slower than it, in all and (-timeline) each second (the p99 is under the goal while they are under 1%)")
	flag.IntVar(&c.workers, "workers", 256, "concurrent connections (1..1024); latency is measured from the due time, so too few show as client-side waiting")
	flag.Parse()
	if err := checkGoal(c.goal); err != nil {
		fmt.Fprintln(os.Stderr, "lexload:", err)
		os.Exit(2)
	}
	rep, err := run(c)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lexload:", err)
		os.Exit(1)
	}
}

type config struct {
	base, key, reloadKey string
	rate, workers        int
	duration, reloadAt   time.Duration
	names                []string // default: names
	// alert: POST /v1/screen?alert=1, so that every match opens or finds
	// an alert in the workspace (serve needs it; the key needs a role that
	// may open alerts).
	alert bool
	// decideEvery: request n with n%decideEvery == 0 is a four-eyes
	// cycle (workflow.go); 0: none.
	decideEvery             int
	analystKey, approverKey string
	// timeline: print the latency of each second of the run.
	timeline bool
	// goal: the report counts the requests slower than it (0: 20 ms).
	goal time.Duration
}

// checkGoal refuses a -goal flag of 0 or less: not read as "the
// default", since the counts would then be of another goal than the one
// asked for.
func checkGoal(g time.Duration) error {
	if g <= 0 {
		return fmt.Errorf("-goal %s: want a latency above 0 (default 20ms)", g)
	}
	return nil
}

// goalOr20 is the latency goal (default 20 ms).
func (c config) goalOr20() time.Duration {
	if c.goal == 0 {
		return 20 * time.Millisecond
	}
	return c.goal
}

// over is how many of ds (sorted) are slower than the goal.
func (c config) over(ds []time.Duration) int {
	i, _ := slices.BinarySearch(ds, c.goalOr20()+1)
	return len(ds) - i
}

func loopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("-url %s: only http:// is supported", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return u, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-url %s: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed", raw)
	}
	return u, nil
}

// report is the outcome of a run.
type report struct {
	cfg       config
	due       int             // requests due in the run
	latencies []time.Duration // from the time due to the answer, ok requests
	service   []time.Duration // from sending to the answer, ok requests
	errs      map[string]int
	elapsed   time.Duration
	reloadMsg string
	cpu       time.Duration // this process's CPU time (user + system)
	// decide and approve are the service times of the four-eyes cycles'
	// decisions and approvals (-decide-every).
	decide, approve []time.Duration
	// byDue is the latency of request n (ok ones; -1 for a failed one),
	// for the timeline.
	byDue []time.Duration
	start time.Time // when request 0 was due
}

func (r *report) errors() int {
	n := 0
	for _, c := range r.errs {
		n += c
	}
	return n
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}

func (r *report) print(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "target %d req/s for %s (%d workers, evenly spaced)\n", c.rate, c.duration, c.workers)
	fmt.Fprintf(w, "sent %d, ok %d, errors %d\n", r.due, len(r.latencies), r.errors())
	fmt.Fprintf(w, "achieved %.0f ok req/s\n", float64(len(r.latencies))/r.elapsed.Seconds())
	l, s := r.latencies, r.service
	fmt.Fprintf(w, "latency (from due time) p50 %s  p90 %s  p99 %s  max %s\n", pct(l, .5).Round(time.Microsecond), pct(l, .9).Round(time.Microsecond), pct(l, .99).Round(time.Microsecond), pct(l, 1).Round(time.Microsecond))
	if n := c.over(l); len(l) > 0 {
		fmt.Fprintf(w, "over the goal: %d of %d answered slower than %s (%.2f%%; the p99 is under the goal while this is under 1%%)\n", n, len(l), c.goalOr20(), 100*float64(n)/float64(len(l)))
	}
	fmt.Fprintf(w, "service time (from send)  p50 %s  p90 %s  p99 %s  max %s\n", pct(s, .5).Round(time.Microsecond), pct(s, .9).Round(time.Microsecond), pct(s, .99).Round(time.Microsecond), pct(s, 1).Round(time.Microsecond))
	keys := make([]string, 0, len(r.errs))
	for what := range r.errs {
		keys = append(keys, what)
	}
	slices.Sort(keys)
	for _, what := range keys {
		fmt.Fprintf(w, "  %6d  %s\n", r.errs[what], what)
	}
	if c.decideEvery > 0 {
		r.printCycles(w)
	}
	if r.reloadMsg != "" {
		fmt.Fprintln(w, r.reloadMsg)
	}
	if c.timeline {
		r.printTimeline(w)
	}
	fmt.Fprintf(w, "client cpu %.2f s (%.0f%% of one core)\n", r.cpu.Seconds(), 100*r.cpu.Seconds()/r.elapsed.Seconds())
}

// printTimeline prints, for each second of the run, the requests due in
// it, those that failed, and the latency of the others.
func (r *report) printTimeline(w io.Writer) {
	rate := r.cfg.rate
	fmt.Fprintf(w, "second (from %s UTC)  due  failed  p50  p99  max  over %s  (latency from due time)\n", r.start.UTC().Format("15:04:05.000"), r.cfg.goalOr20())
	for s := 0; s*rate < len(r.byDue); s++ {
		sec := r.byDue[s*rate : min(len(r.byDue), (s+1)*rate)]
		ok := make([]time.Duration, 0, len(sec))
		for _, d := range sec {
			if d >= 0 {
				ok = append(ok, d)
			}
		}
		slices.Sort(ok)
		fmt.Fprintf(w, "%4d  %d  %d  %s  %s  %s  %d\n", s, len(sec), len(sec)-len(ok),
			pct(ok, .5).Round(10*time.Microsecond), pct(ok, .99).Round(10*time.Microsecond), pct(ok, 1).Round(10*time.Microsecond), r.cfg.over(ok))
	}
}

// conn is one keep-alive HTTP/1.1 connection.
type conn struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
}

// errServerClosed is do's error for an answer after which the server
// closed the connection.
var errServerClosed = errors.New("the server closed the connection")

// do sends a request (already encoded) and reads the answer; it returns
// the status code and the answer's X-Alerts-Opened header. The
// connection is closed on any error.
func (cn *conn) do(req []byte) (int, string, error) {
	if cn.c == nil {
		c, err := net.DialTimeout("tcp", cn.addr, 5*time.Second)
		if err != nil {
			return 0, "", err
		}
		cn.c = c
		if cn.br == nil {
			cn.br = bufio.NewReaderSize(c, 16<<10)
		} else {
			cn.br.Reset(c)
		}
	}
	cn.c.SetDeadline(time.Now().Add(30 * time.Second))
	code, alerts, err := cn.exchange(req)
	if err != nil {
		cn.c.Close()
		cn.c = nil
	}
	if err == errServerClosed {
		return code, alerts, nil // a complete answer; the next request reconnects
	}
	return code, alerts, err
}

func (cn *conn) exchange(req []byte) (code int, alerts string, err error) {
	if _, err := cn.c.Write(req); err != nil {
		return 0, "", err
	}
	line, err := cn.br.ReadSlice('\n')
	if err != nil {
		return 0, "", err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, "", fmt.Errorf("malformed status line %q", line)
	}
	code, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, "", fmt.Errorf("malformed status line %q", line)
	}
	length, chunked, closing := -1, false, false
	for {
		line, err := cn.br.ReadSlice('\n')
		if err != nil {
			return 0, "", err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, "", fmt.Errorf("malformed header %q", line)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil || length < 0 {
				return 0, "", fmt.Errorf("malformed Content-Length %q", v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		case bytes.EqualFold(k, []byte("X-Alerts-Opened")):
			alerts = string(v)
		case bytes.EqualFold(k, []byte("Connection")):
			closing = bytes.EqualFold(v, []byte("close"))
		}
	}
	switch {
	case chunked:
		if _, err := io.Copy(io.Discard, httputil.NewChunkedReader(cn.br)); err != nil {
			return 0, "", err
		}
		// The trailer section ends with an empty line.
		for {
			line, err := cn.br.ReadSlice('\n')
			if err != nil {
				return 0, "", err
			}
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
		}
	case length >= 0:
		if _, err := cn.br.Discard(length); err != nil {
			return 0, "", err
		}
	default: // the body ends when the server closes the connection
		if _, err := io.Copy(io.Discard, cn.br); err != nil {
			return 0, "", err
		}
		closing = true
	}
	if closing {
		return code, alerts, errServerClosed
	}
	return code, alerts, nil
}

func run(c config) (*report, error) {
	u, err := loopback(c.base)
	if err != nil {
		return nil, err
	}
	if c.key == "" {
		return nil, fmt.Errorf("-key is required")
	}
	if c.rate < 1 || c.rate > 100000 || c.duration <= 0 || c.duration > 10*time.Minute {
		return nil, fmt.Errorf("-rate 1..100000 and -duration up to 10m")
	}
	if c.workers < 1 || c.workers > 1024 {
		return nil, fmt.Errorf("-workers 1..1024")
	}
	if c.decideEvery < 0 || (c.decideEvery > 0 && (c.analystKey == "" || c.approverKey == "" || c.analystKey == c.approverKey)) {
		return nil, fmt.Errorf("-decide-every N needs N > 0, -analyst-key and -approver-key (two different keys: four eyes)")
	}
	if c.reloadAt < 0 || c.reloadAt >= c.duration {
		return nil, fmt.Errorf("-reload-at %s: want a time within -duration %s", c.reloadAt, c.duration)
	}
	if c.reloadKey == "" {
		c.reloadKey = c.key
	}
	if c.names == nil {
		c.names = names
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	path := "/" + strings.TrimPrefix(u.JoinPath("/v1/screen").EscapedPath(), "/")
	if c.alert {
		path += "?alert=1"
	}
	reqs := make([][]byte, len(c.names))
	for i, n := range c.names {
		b, err := json.Marshal(map[string]string{"name": n})
		if err != nil {
			return nil, err
		}
		body := string(b)
		reqs[i] = fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			path, u.Host, c.key, len(body), body)
	}
	var cy *cycler
	if c.decideEvery > 0 {
		cy = newCycler(u, c)
	}
	total := int(int64(c.rate) * int64(c.duration) / int64(time.Second))
	rep := &report{cfg: c, due: total, errs: map[string]int{},
		latencies: make([]time.Duration, 0, total), service: make([]time.Duration, 0, total),
		byDue: make([]time.Duration, total)}
	start := time.Now()
	rep.start = start
	dueAt := func(n int) time.Time { return start.Add(time.Duration(int64(n) * int64(time.Second) / int64(c.rate))) }

	// The pacer releases request n at its due time into a queue the workers
	// take from. None is dropped: when the queue is full the pacer waits,
	// and the requests it releases late count their lateness in their
	// latency, which runs from the due time.
	jobs := make(chan int, min(total, 1<<16))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < c.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cn := &conn{addr: addr}
			lat := make([]time.Duration, 0, total/c.workers+16)
			svc := make([]time.Duration, 0, total/c.workers+16)
			errs := map[string]int{}
			var cycles cycleTimes
			for n := range jobs {
				req := reqs[n%len(reqs)]
				cycle := cy != nil && n%c.decideEvery == 0
				if cycle {
					req = cy.screen(n)
				}
				sent := time.Now()
				code, alerts, err := cn.do(req)
				done := time.Now()
				if cycle && err == nil && code == http.StatusOK {
					cy.decideAndApprove(cn, alerts, &cycles, errs)
				}
				rep.byDue[n] = -1 // each worker writes only the requests it took
				switch {
				case err != nil:
					errs["transport: "+err.Error()]++
				case code != http.StatusOK:
					errs[fmt.Sprintf("HTTP %d", code)]++
				default:
					rep.byDue[n] = done.Sub(dueAt(n))
					lat = append(lat, done.Sub(dueAt(n)))
					svc = append(svc, done.Sub(sent))
				}
			}
			if cn.c != nil {
				cn.c.Close()
			}
			mu.Lock()
			rep.latencies = append(rep.latencies, lat...)
			rep.service = append(rep.service, svc...)
			rep.decide = append(rep.decide, cycles.decide...)
			rep.approve = append(rep.approve, cycles.approve...)
			for k, v := range errs {
				rep.errs[k] += v
			}
			mu.Unlock()
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.duration+35*time.Second)
	defer cancel()
	var reloadDone chan struct{}
	var reloadMsg atomic.Pointer[string]
	if c.reloadAt > 0 {
		reloadDone = make(chan struct{})
		go func() {
			defer close(reloadDone)
			time.Sleep(time.Until(start.Add(c.reloadAt)))
			msg, err := reload(ctx, u, c.reloadKey, c.reloadAt)
			if err != nil {
				msg = "reload failed: " + err.Error()
			}
			reloadMsg.Store(&msg)
			if err != nil {
				mu.Lock()
				rep.errs["reload: "+err.Error()]++
				mu.Unlock()
			}
		}()
	}
	for n := 0; n < total; {
		now := time.Now()
		for ; n < total && !dueAt(n).After(now); n++ {
			jobs <- n
		}
		if n < total {
			// Sleep to the next due time; a late wake-up releases several.
			time.Sleep(dueAt(n).Sub(now))
		}
	}
	close(jobs)
	wg.Wait()
	rep.elapsed = time.Since(start)
	if reloadDone != nil {
		<-reloadDone
		rep.reloadMsg = *reloadMsg.Load()
	}
	rep.cpu = cputime.Self()
	slices.Sort(rep.latencies)
	slices.Sort(rep.service)
	slices.Sort(rep.decide)
	slices.Sort(rep.approve)
	if n := rep.errors(); n > 0 {
		return rep, fmt.Errorf("%d requests failed", n)
	}
	return rep, nil
}

// reload asks the server to rebuild its index and says how it went; an
// answer other than 200 is an error.
func reload(ctx context.Context, u *url.URL, key string, at time.Duration) (string, error) {
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, "POST", u.JoinPath("/v1/admin/reload").String(), nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	msg := fmt.Sprintf("reload at %s: HTTP %d in %s: %s", at, res.StatusCode, time.Since(start).Round(time.Millisecond), bytes.TrimSpace(b))
	if res.StatusCode != http.StatusOK {
		return msg, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return msg, nil
}
