package main

import (
	"os"
	"runtime"
)

// serveProcs is how many Ps (GOMAXPROCS) serve runs with: flag when
// above 0; else, when neither the GOMAXPROCS variable nor a CPU limit of
// the container lowered Go's default (one per CPU), one more than the
// CPUs; else 0, Go's own setting kept.
//
// Why one more: a rebuild of the index and the collector's marking are
// long runs of CPU that each hold a P. With one P per core, a screening
// that arrives while they run waits for Go's scheduler to let it in; with
// an extra P it runs at once, and the kernel shares the cores among the
// threads in finer slices. Measured on 2 cores (scripts/loadtest.sh with
// LOADTEST_IMPORT_AT=30: 2,000 screenings a second with alerts, a newer
// SDN imported and the index rebuilt mid-run): p99 21.3 to 44.3 ms in 6
// runs with 2 Ps (median 24.7), 16.0 to 25.6 ms in 7 with 3 (median
// 17.9); without a rebuild no difference beyond noise (p99 8.7 to 19 ms).
// Under a container's CPU quota the extra thread would be throttled
// instead, so Go's setting is kept there.
func serveProcs(flag int, env string, current, cpus int) int {
	switch {
	case flag > 0:
		return flag
	case env != "" || current != cpus:
		return 0
	}
	return cpus + 1
}

// setServeProcs applies serveProcs and returns the GOMAXPROCS in effect.
func setServeProcs(flag int) int {
	if n := serveProcs(flag, os.Getenv("GOMAXPROCS"), runtime.GOMAXPROCS(0), runtime.NumCPU()); n > 0 {
		runtime.GOMAXPROCS(n)
	}
	return runtime.GOMAXPROCS(0)
}
