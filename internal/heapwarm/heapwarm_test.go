package heapwarm

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestTouch: with 32 MB live and GOGC=400, the heap's room to grow (about
// 128 MB) is touched, and then allocating it again faults few pages: the
// memory stayed with the process.
func TestTouch(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	live := make([][]byte, 32)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	r := Touch()
	runtime.KeepAlive(live)
	if r.Live < 32<<20 || r.Goal < 4*r.Live {
		t.Fatalf("live %d, goal %d: want live at least 32 MB and goal at least 4 times it (GOGC=400)", r.Live, r.Goal)
	}
	if r.Touched != min(r.Goal-r.Live, MaxBytes) {
		t.Errorf("touched %d bytes, want goal-live %d", r.Touched, r.Goal-r.Live)
	}
	f0, ok := minorFaults()
	if !ok {
		t.Skip("no /proc/self/stat: the faults are not counted here")
	}
	touch(int(r.Touched) / 2)
	f1, _ := minorFaults()
	runtime.KeepAlive(live)
	// Half of the room, in pages, faulted again would be r.Touched/2/4096.
	if pages := r.Touched / 2 / pageSize; f1-f0 > pages/4 {
		t.Errorf("allocating %d touched bytes again faulted %d pages of %d: the memory was not kept", r.Touched/2, f1-f0, pages)
	}
	t.Logf("live %d MB, goal %d MB, touched %d MB in %s; %d faults on reuse", r.Live>>20, r.Goal>>20, r.Touched>>20, r.Took, f1-f0)
}

// minorFaults reads this process's minor page faults from /proc (Linux).
func minorFaults() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces: fields count from the ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(f[7], 10, 64) // field 10: minflt
	return n, err == nil
}
