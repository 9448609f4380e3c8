package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// batchNames are the names the batch tests screen: listed ones (OFAC test
// list of 2025-02-27), unlisted ones, and lines that need care.
var batchNames = []string{"Ali Khamenei", "Jane Smith", "Karim Khan", "ACME Trading LLC", "Nazhat Shameem Khan", "Maria Garcia"}

// batchBody returns n JSON lines with ids r00001...; every 1000th line is
// not JSON and every 1000th (offset 500) has a date of birth no reader takes.
func batchBody(n int) []byte {
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		switch {
		case i%1000 == 0:
			fmt.Fprintf(&b, "{\"id\":\"r%05d\",\"name\":\n", i)
		case i%1000 == 500:
			fmt.Fprintf(&b, "{\"id\":\"r%05d\",\"name\":%q,\"dob\":\"not a date at all\"}\n", i, batchNames[i%len(batchNames)])
		default:
			fmt.Fprintf(&b, "{\"id\":\"r%05d\",\"name\":%q}\n", i, batchNames[i%len(batchNames)])
		}
	}
	return b.Bytes()
}

// batchLineOut is what the tests read of an answer line.
type batchLineOut struct {
	Query *struct {
		ID string `json:"id"`
	} `json:"query"`
	ID       string `json:"id"`
	Line     int    `json:"line"`
	Answered *int   `json:"answered"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Warnings []struct {
		Field string `json:"field"`
	} `json:"warnings"`
}

// checkBatchAnswer checks that an answer has exactly one line per input
// line of batchBody(n), in order, each with its id.
func checkBatchAnswer(t *testing.T, n int, body []byte) {
	t.Helper()
	lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
	if len(lines) != n {
		last := ""
		if len(lines) > 0 {
			last = string(lines[len(lines)-1])
		}
		t.Fatalf("%d answer lines for %d input lines; last: %.300s", len(lines), n, last)
	}
	for i, l := range lines {
		var o batchLineOut
		if err := json.Unmarshal(l, &o); err != nil {
			t.Fatalf("line %d: %v: %.200s", i+1, err, l)
		}
		want := fmt.Sprintf("r%05d", i+1)
		switch {
		case (i+1)%1000 == 0:
			if o.Error == nil || o.Line != i+1 || o.Error.Code != "invalid" {
				t.Fatalf("line %d: want an error line for the bad JSON, got %.200s", i+1, l)
			}
		case o.Query == nil || o.Query.ID != want:
			t.Fatalf("line %d: want the result of %s, got %.200s", i+1, want, l)
		case (i+1)%1000 == 500 && (len(o.Warnings) == 0 || o.Warnings[0].Field != "dob"):
			t.Fatalf("line %d: an unreadable dob must be screened without it, with a warning: %.300s", i+1, l)
		}
	}
}

func (e *env) batchRequest(body io.Reader) *http.Request {
	req, err := http.NewRequest("POST", e.ts.URL+"/v1/screen/batch", body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.keys["screener"])
	req.Header.Set("Content-Type", "application/x-ndjson")
	return req
}

// 10,000 lines as one body of known length, as curl --data-binary sends
// them: every line answered once, in order, over a real connection.
func TestBatchFixedLengthBody(t *testing.T) {
	e := newEnvSync(t, Config{RateLimit: -1, MaxListAge: -1}, "normal")
	const n = 10000
	body := batchBody(n)
	req := e.batchRequest(bytes.NewReader(body))
	if req.ContentLength != int64(len(body)) {
		t.Fatalf("content length %d, want %d", req.ContentLength, len(body))
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v: %.300s", res.StatusCode, err, out)
	}
	checkBatchAnswer(t, n, out)
	if got := res.Trailer.Get("X-Batch-Answered"); got != fmt.Sprint(n) || res.Trailer.Get("X-Batch-Complete") != "true" {
		t.Errorf("trailers %v", res.Trailer)
	}
	if got, want := e.records(), int64(n-n/1000); got != want {
		t.Errorf("%d audit records, want %d (one per screened line)", got, want)
	}
	t.Logf("%d lines answered in %s", n, time.Since(start).Round(time.Millisecond))
}

// 10,000 lines sent chunked, in small pieces with pauses, by a sender that
// does not wait for the answer.
func TestBatchSlowChunkedSender(t *testing.T) {
	e := newEnvSync(t, Config{RateLimit: -1, MaxListAge: -1}, "normal")
	const n = 10000
	body := batchBody(n)
	pr, pw := io.Pipe()
	go func() {
		for i, piece := 0, 0; i < len(body); piece++ {
			j := min(len(body), i+37+piece%50) // pieces cut lines anywhere
			if _, err := pw.Write(body[i:j]); err != nil {
				return
			}
			i = j
			if piece%200 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		pw.Close()
	}()
	req := e.batchRequest(pr)
	if req.ContentLength != 0 {
		t.Fatal("want a chunked body")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v: %.300s", res.StatusCode, err, out)
	}
	checkBatchAnswer(t, n, out)
}

// rawBatch sends a batch over a bare connection: header with the given
// Content-Length, then body, then closes its side; it returns the answer.
func rawBatch(t *testing.T, e *env, contentLength int, body []byte) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n",
		e.keys["screener"], contentLength)
	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite() // the body breaks off here
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, out
}

// A body that breaks off mid-way: the lines read are answered, and the
// answer ends with an error line that says how many, never in silence.
func TestBatchBodyBreaks(t *testing.T) {
	e := newEnvSync(t, Config{RateLimit: -1, MaxListAge: -1}, "normal")
	body := batchBody(999)
	cut := bytes.LastIndex(body[:len(body)*2/3], []byte("\n")) + 1
	sent := bytes.Count(body[:cut], []byte("\n"))
	res, out := rawBatch(t, e, len(body), body[:cut+10]) // and part of the next line
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	var last batchLineOut
	json.Unmarshal(lines[len(lines)-1], &last)
	if res.StatusCode != 200 || len(lines) != sent+1 || last.Error == nil || last.Answered == nil || *last.Answered != sent || last.ID != "" {
		t.Fatalf("status %d, %d lines for %d sent; last: %s", res.StatusCode, len(lines), sent, lines[len(lines)-1])
	}
	t.Logf("last line: %s", lines[len(lines)-1])
	checkBatchAnswer(t, sent, bytes.Join(lines[:sent], []byte("\n")))
}

// A chunked body that goes over the batch body limit: the lines before the
// limit are answered, then an error line says the body was too large.
func TestBatchBodyLimitMidway(t *testing.T) {
	e := newEnvSync(t, Config{RateLimit: -1, MaxBatchBody: 20000, MaxListAge: -1}, "normal")
	body := batchBody(2000)
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(body); i += 4096 {
			if _, err := pw.Write(body[i:min(len(body), i+4096)]); err != nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
		pw.Close()
	}()
	res, err := http.DefaultClient.Do(e.batchRequest(pr))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	var last batchLineOut
	json.Unmarshal(lines[len(lines)-1], &last)
	if res.StatusCode != 200 || last.Error == nil || last.Error.Code != "too_large" || last.Answered == nil || *last.Answered != len(lines)-1 {
		t.Fatalf("status %d, %d lines; last: %s", res.StatusCode, len(lines), lines[len(lines)-1])
	}
	if res.Trailer.Get("X-Batch-Complete") != "false" {
		t.Errorf("trailers %v", res.Trailer)
	}
	checkBatchAnswer(t, len(lines)-1, bytes.Join(lines[:len(lines)-1], []byte("\n")))
}
