//go:build pprofdebug

package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
)

// Built with -tags pprofdebug, the binary serves net/http/pprof on
// $LEXSCREEN_PPROF (loopback) with block and mutex profiling on, for
// measuring the server under lexload. Never in a release build. An
// execution trace (/debug/pprof/trace?seconds=N, then go tool trace) shows
// the regions "workspace group commit", "workspace group: audit append"
// and "audit commit": how long each waited, ran or was runnable.
func init() {
	addr := os.Getenv("LEXSCREEN_PPROF")
	if addr == "" {
		return
	}
	runtime.SetBlockProfileRate(100000) // one sample per 100 µs blocked
	runtime.SetMutexProfileFraction(20)
	go http.ListenAndServe(addr, nil)
}
