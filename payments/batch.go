package payments

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Counts summarise a batch: payments read and screened, messages that
// could not be read, and the decisions.
type Counts struct {
	Payments   int              `json:"payments"`
	Unreadable int              `json:"unreadable"`
	Decisions  map[Decision]int `json:"decisions"`
	Pairs      int              `json:"pairs"` // cover payments paired with their customer transfer
}

// ScreenAll reads every payment of r and screens them on workers
// goroutines (0: one per core), returning the results in input order with
// cover payments paired (Pair). Each message that cannot be read is given
// to onError (may be nil) and counted; a fatal one ends the reading. It
// fails only on an error of screening itself.
func (ps *Screener) ScreenAll(r Reader, opts Options, workers int, onError func(*ParseError)) ([]Result, Counts, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	c := Counts{Decisions: map[Decision]int{}}
	type job struct {
		i int
		m *Message
	}
	jobs := make(chan job, 4*workers)
	var results []Result
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res, err := ps.Screen(j.m, opts)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("payment %d (%s %s): %w", j.m.Seq, j.m.Type, j.m.Reference, err)
				}
				results[j.i] = res
				mu.Unlock()
			}
		}()
	}
	n := 0
	var readErr error
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				readErr = err
				break
			}
			c.Unreadable++
			if onError != nil {
				onError(pe)
			}
			if pe.Fatal {
				break
			}
			continue
		}
		mu.Lock()
		results = append(results, Result{})
		mu.Unlock()
		jobs <- job{n, m}
		n++
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, c, firstErr
	}
	if readErr != nil {
		return nil, c, readErr
	}
	c.Pairs = PairCovers(results)
	c.Payments = len(results)
	for _, r := range results {
		c.Decisions[r.Decision]++
	}
	return results, c, nil
}

// PairCovers gives each cover payment (MT202COV, pacs.009COV) and the
// customer transfer it covers (MT103, pacs.008) found among results one
// decision, the stricter of the two: they are one payment. The cover's
// field 21 (related reference) names the MT103's field 20; the ISO pair
// shares a UETR (as does a gpi MT pair). It returns the pairs made.
func PairCovers(results []Result) int {
	byRef, byUETR := map[string]int{}, map[string]int{}
	for i, r := range results {
		m := r.Message
		if m == nil || m.Type != "MT103" && m.Type != "pacs.008" {
			continue
		}
		if m.Type == "MT103" {
			byRef[m.Reference] = i
		}
		if m.UETR != "" {
			byUETR[m.UETR] = i
		}
	}
	pairs := 0
	for i := range results {
		m := results[i].Message
		if m == nil || m.Type != "MT202COV" && m.Type != "pacs.009COV" {
			continue
		}
		j, ok := byUETR[m.UETR]
		if !ok || m.UETR == "" {
			j, ok = byRef[m.Related]
			if m.Related == "" {
				ok = false
			}
		}
		if !ok {
			continue
		}
		pairs++
		a, b := &results[i], &results[j]
		a.Pair, b.Pair = b.Message.Reference, a.Message.Reference
		switch {
		case a.Decision.rank() > b.Decision.rank():
			b.Decision, b.Reason = a.Decision, "its cover payment "+a.Message.Reference+": "+a.Reason
			b.Conflicts = appendConflicts(b.Conflicts, a.Conflicts...)
		case b.Decision.rank() > a.Decision.rank():
			a.Decision, a.Reason = b.Decision, "the customer transfer it covers, "+b.Message.Reference+": "+b.Reason
			a.Conflicts = appendConflicts(a.Conflicts, b.Conflicts...)
		}
	}
	return pairs
}
