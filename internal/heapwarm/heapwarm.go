// Package heapwarm touches, before a server takes traffic, the memory its
// heap will grow into, so that the first second of traffic does not pay
// for it.
//
// Why: a fresh Go process's heap grows from its live size to the garbage
// collector's goal (five times the live size at GOGC=400) in the first
// seconds of load, and every new 4 KiB page costs the kernel a page fault
// on first touch. On a virtual machine that costs 6 to 15 µs a page (on
// the 2-core VM of server/API.md's load test: 41,000 faults, some 0.6 s
// of CPU, in the first 3 s of load), most of it in the first second of
// traffic, when a server that just started is screening a burst.
// Touching that memory before the server is ready moves the cost to the
// start-up.
package heapwarm

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// MaxBytes caps what Touch touches: the heap's room to grow above this
// is left to be faulted in as it is used.
const MaxBytes = 1 << 30

// pageSize is the smallest page the kernel maps; touching one byte in each
// maps all of them.
const pageSize = 4096

// Report is what Touch did.
type Report struct {
	Live    uint64        // the live heap after a collection, in bytes
	Goal    uint64        // the collector's heap goal at that live size, in bytes
	Touched uint64        // bytes allocated, touched and freed (Goal-Live, at most MaxBytes)
	Took    time.Duration // wall time, collections included
}

// Touch collects garbage, allocates the heap's room to grow (its goal
// less its live size, at most MaxBytes), writes a byte in each page of it,
// and frees it with a second collection. The pages stay with the process:
// Go's scavenger keeps the heap's goal and a tenth more mapped, so the
// next allocations up to the goal reuse them without a fault.
func Touch() Report {
	start := time.Now()
	runtime.GC()
	live, goal := heapLiveAndGoal()
	r := Report{Live: live, Goal: goal}
	if goal > live {
		r.Touched = min(goal-live, MaxBytes)
		touch(int(r.Touched))
		runtime.GC()
	}
	r.Took = time.Since(start)
	return r
}

// touch allocates n bytes and writes one byte in each page, then lets
// them go.
func touch(n int) {
	b := make([]byte, n)
	for i := 0; i < len(b); i += pageSize {
		b[i] = 1
	}
	runtime.KeepAlive(b)
}

// heapLiveAndGoal reads the live heap and the collector's heap goal.
func heapLiveAndGoal() (live, goal uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		goal = s[1].Value.Uint64()
	}
	return live, goal
}
