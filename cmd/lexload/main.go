// Command lexload sends screening requests to a lexscreen server on this
// machine at a fixed rate for a fixed time, optionally triggers a list
// reload mid-run, and prints the rate achieved, the errors and the latency
// percentiles. It refuses any address that is not loopback.
//
//	lexload -url http://127.0.0.1:8080 -key $KEY -rate 2000 -duration 60s -reload-at 30s -reload-key $ADMIN_KEY
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

var names = []string{"Karim Khan", "Vladimir Putin", "Ali Khamenei", "ACME Trading LLC", "Nazhat Shameem Khan",
	"Kim Jong Un", "Maria Garcia", "Mohammed Ali", "Rosneft", "Hamas", "John Smith", "Bank Melli Iran"}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server URL (loopback only)")
	key := flag.String("key", os.Getenv("LEXSCREEN_KEY"), "API key (screener role)")
	rate := flag.Int("rate", 2000, "requests per second")
	duration := flag.Duration("duration", 60*time.Second, "how long to send")
	reloadAt := flag.Duration("reload-at", 0, "when to trigger a list reload (POST /v1/admin/reload; 0: never)")
	reloadKey := flag.String("reload-key", "", "admin API key for the reload (default -key)")
	workers := flag.Int("workers", 64, "concurrent connections")
	flag.Parse()
	if err := run(*base, *key, *reloadKey, *rate, *duration, *reloadAt, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "lexload:", err)
		os.Exit(1)
	}
}

func loopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-url %s: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed", raw)
	}
	return nil
}

func run(base, key, reloadKey string, rate int, duration, reloadAt time.Duration, workers int) error {
	if err := loopback(base); err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("-key is required")
	}
	if rate < 1 || rate > 100000 || duration <= 0 || duration > 10*time.Minute {
		return fmt.Errorf("-rate 1..100000 and -duration up to 10m")
	}
	if reloadKey == "" {
		reloadKey = key
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	bodies := make([][]byte, len(names))
	for i, n := range names {
		bodies[i] = []byte(fmt.Sprintf(`{"name": %q}`, n))
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	jobs := make(chan int, workers*2)
	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, rate*int(duration.Seconds()+1))
		errs      = map[string]int{}
		sent      atomic.Int64
		dropped   atomic.Int64
	)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				start := time.Now()
				req, _ := http.NewRequest("POST", base+"/v1/screen", bytes.NewReader(bodies[i%len(bodies)]))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				d := time.Since(start)
				what := ""
				if err != nil {
					what = "transport: " + err.Error()
				} else {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						what = fmt.Sprintf("HTTP %d", res.StatusCode)
					}
				}
				mu.Lock()
				if what != "" {
					errs[what]++
				} else {
					latencies = append(latencies, d)
				}
				mu.Unlock()
			}
		}()
	}
	var reloadMsg string
	if reloadAt > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-ctx.Done():
				return
			case <-time.After(reloadAt):
			}
			start := time.Now()
			req, _ := http.NewRequest("POST", base+"/v1/admin/reload", nil)
			req.Header.Set("Authorization", "Bearer "+reloadKey)
			res, err := client.Do(req)
			if err != nil {
				reloadMsg = "reload failed: " + err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			reloadMsg = fmt.Sprintf("reload at %s: HTTP %d in %s: %s", reloadAt, res.StatusCode, time.Since(start).Round(time.Millisecond), bytes.TrimSpace(b))
		}()
	}
	// Pace: send in ticks of 10ms.
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	n := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			due := int(time.Since(start).Seconds() * float64(rate))
			for ; n < due; n++ {
				select {
				case jobs <- n:
					sent.Add(1)
				default:
					dropped.Add(1) // the server (or this client) cannot keep up: count, do not queue without bound
				}
			}
		}
	}
	tick.Stop()
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	nerr := 0
	for _, c := range errs {
		nerr += c
	}
	fmt.Printf("target %d req/s for %s (%d workers)\n", rate, duration, workers)
	fmt.Printf("sent %d, ok %d, errors %d, not sent (client saturated) %d\n", sent.Load(), len(latencies), nerr, dropped.Load())
	fmt.Printf("achieved %.0f ok req/s\n", float64(len(latencies))/elapsed.Seconds())
	fmt.Printf("latency p50 %s  p90 %s  p99 %s  max %s\n", pct(.5).Round(time.Microsecond), pct(.9).Round(time.Microsecond), pct(.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	for what, c := range errs {
		fmt.Printf("  %6d  %s\n", c, what)
	}
	if reloadMsg != "" {
		fmt.Println(reloadMsg)
	}
	if nerr > 0 {
		return fmt.Errorf("%d requests failed", nerr)
	}
	return nil
}
