package screening

import "time"

// Throttle keeps a background job (an index rebuild while a server answers
// screenings) to a share of one core: Step, called between small pieces of
// work, pauses the job so that it works at most Share of the wall time.
//
// Work is measured as wall time between pauses, so time the job spends
// waiting for a core counts as work: under contention it takes less than
// its share, never more.
type Throttle struct {
	Share float64       // of one core, 0 < Share < 1; otherwise Step never pauses
	Slice time.Duration // work between pauses (default 4ms)

	since  time.Time     // start of the current slice of work
	paused time.Duration // total time paused
	sleep  func(time.Duration)
}

// Step records a piece of work and pauses when the current slice is used up.
func (t *Throttle) Step() {
	if t == nil || t.Share <= 0 || t.Share >= 1 {
		return
	}
	now := time.Now()
	if t.since.IsZero() {
		t.since = now
		return
	}
	slice := t.Slice
	if slice <= 0 {
		slice = 4 * time.Millisecond
	}
	worked := now.Sub(t.since)
	if worked < slice {
		return
	}
	pause := time.Duration(float64(worked) * (1 - t.Share) / t.Share)
	if t.sleep != nil {
		t.sleep(pause)
	} else {
		time.Sleep(pause)
	}
	t.paused += pause
	t.since = time.Now()
}

// Paused returns the time Step has paused the job so far.
func (t *Throttle) Paused() time.Duration {
	if t == nil {
		return 0
	}
	return t.paused
}
