//go:build unix

// Package cputime measures the CPU time this process has used: on a
// machine shared with other work, CPU time over the cores is what the wall
// time would be alone, so benchmarks and load tests quote it beside the
// wall time.
package cputime

import (
	"syscall"
	"time"
)

// Self is the CPU time (user and system, every thread, the garbage
// collector's too) this process has used so far; 0 when it cannot be read.
func Self() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
