package screening

import (
	"testing"
	"time"
)

// spin works (keeps the core busy) for d.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

func TestThrottleShare(t *testing.T) {
	for _, share := range []float64{0.25, 0.5} {
		var slept time.Duration
		th := &Throttle{Share: share, Slice: 2 * time.Millisecond, sleep: func(d time.Duration) { slept += d }}
		start := time.Now()
		th.Step()
		for i := 0; i < 200; i++ {
			spin(100 * time.Microsecond)
			th.Step()
		}
		worked := time.Since(start)
		// Pauses come after each full slice of work: the job takes share of the time.
		want := time.Duration(float64(worked) * (1 - share) / share)
		if slept < want*8/10 || slept > want*11/10 {
			t.Errorf("share %v: worked %s, paused %s, want about %s", share, worked, slept, want)
		}
		if th.Paused() != slept {
			t.Errorf("Paused %s, slept %s", th.Paused(), slept)
		}
	}
}

func TestThrottleReal(t *testing.T) {
	th := &Throttle{Share: 0.5, Slice: time.Millisecond}
	start := time.Now()
	var worked time.Duration
	for i := 0; i < 100; i++ {
		s := time.Now()
		spin(200 * time.Microsecond)
		worked += time.Since(s)
		th.Step()
	}
	if el := time.Since(start); el < worked*18/10 {
		t.Errorf("share 0.5: %s of work took %s (paused %s), want at least %s", worked, el, th.Paused(), worked*18/10)
	}
}

func TestThrottleOff(t *testing.T) {
	var nilTh *Throttle
	for _, th := range []*Throttle{nilTh, {}, {Share: 1}, {Share: 2}, {Share: -1}} {
		slept := false
		if th != nil {
			th.sleep = func(time.Duration) { slept = true }
		}
		for i := 0; i < 50; i++ {
			spin(100 * time.Microsecond)
			th.Step()
		}
		if slept || th.Paused() != 0 {
			t.Errorf("%+v paused", th)
		}
	}
}
