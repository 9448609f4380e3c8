package lowprio

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// After Lower, every thread of the process, and every thread the runtime
// starts later, runs at Nice. (This lowers the test binary itself, which
// cannot raise itself back: the package has no other test.)
func TestLower(t *testing.T) {
	if Priority(0) == Nice || IOClass(0) == ioClassIdle {
		t.Skip("already at the lowest priority: nothing to tell")
	}
	if err := Lower(); err != nil {
		t.Fatal(err)
	}
	checkAll(t, "after Lower")
	// Threads started afterwards: goroutines locked to their threads make
	// the runtime start new ones.
	var wg, started sync.WaitGroup
	release := make(chan struct{})
	for range 8 {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			started.Done()
			<-release
		}()
	}
	started.Wait()
	checkAll(t, "with new threads")
	close(release)
	wg.Wait()
}

func checkAll(t *testing.T, when string) {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		tid, _ := strconv.Atoi(task.Name())
		if p := Priority(tid); p != Nice {
			t.Errorf("%s: thread %d has nice %d, want %d", when, tid, p, Nice)
		}
		if c := IOClass(tid); c != ioClassIdle {
			t.Errorf("%s: thread %d has I/O class %d, want idle (%d)", when, tid, c, ioClassIdle)
		}
	}
	if len(tasks) < 2 {
		t.Errorf("%s: %d thread(s) seen: the check saw too little", when, len(tasks))
	}
}
