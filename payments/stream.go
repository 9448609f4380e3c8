package payments

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// DefaultPairWindow is how far apart (in payments) a cover payment and the
// customer transfer it covers may be in a stream and still be paired.
const DefaultPairWindow = 4096

// ScreenStream reads every payment of r and screens them on workers
// goroutines (0: one per core), giving each result to emit in input
// order, so that memory is bounded whatever the size of the input: it
// holds at most about 4 × pairWindow results (0: DefaultPairWindow). A
// cover payment and the customer transfer it covers share one decision
// (PairCovers) when they are at most pairWindow payments apart; pairs
// further apart are not made, and Counts.Pairs says how many were. Each
// message that cannot be read is given to onError (may be nil; it is
// called from the reading goroutine) and counted; a fatal one ends the
// reading. It stops at the first error of screening or of emit.
func (ps *Screener) ScreenStream(r Reader, opts Options, workers, pairWindow int, emit func(Result) error, onError func(*ParseError)) (Counts, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if pairWindow <= 0 {
		pairWindow = DefaultPairWindow
	}
	c := Counts{Decisions: map[Decision]int{}}
	type outcome struct {
		res Result
		err error
	}
	type job struct {
		m   *Message
		out chan outcome
	}
	jobs := make(chan job, 4*workers)
	// pending holds, in input order, the channel of each payment's
	// outcome: its capacity bounds the payments in flight.
	pending := make(chan chan outcome, 2*pairWindow)
	done := make(chan struct{})
	var readErr error
	go func() { // the reader
		defer close(pending)
		defer close(jobs)
		for {
			m, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					readErr = err
					return
				}
				c.Unreadable++
				if onError != nil {
					onError(pe)
				}
				if pe.Fatal {
					return
				}
				continue
			}
			out := make(chan outcome, 1)
			select {
			case pending <- out:
			case <-done:
				return
			}
			jobs <- job{m, out}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res, err := ps.Screen(j.m, opts)
				if err != nil {
					err = fmt.Errorf("payment %d (%s %s): %w", j.m.Seq, j.m.Type, j.m.Reference, err)
				}
				j.out <- outcome{res, err}
			}
		}()
	}
	// stop ends the reader and the workers and waits for them.
	stop := func() {
		close(done)
		for out := range pending {
			<-out
		}
		wg.Wait()
	}
	var held []Result
	flush := func(keep int) error {
		PairCovers(held)
		n := len(held) - keep
		for _, res := range held[:n] {
			c.Payments++
			c.Decisions[res.Decision]++
			if res.Pair != "" && (res.Message.Type == "MT202COV" || res.Message.Type == "pacs.009COV") {
				c.Pairs++
			}
			if err := emit(res); err != nil {
				return err
			}
		}
		held = append(held[:0], held[n:]...)
		return nil
	}
	for out := range pending {
		o := <-out
		if o.err != nil {
			stop()
			return c, o.err
		}
		held = append(held, o.res)
		if len(held) >= 2*pairWindow {
			if err := flush(pairWindow); err != nil {
				stop()
				return c, err
			}
		}
	}
	wg.Wait()
	if readErr != nil {
		return c, readErr
	}
	return c, flush(0)
}
