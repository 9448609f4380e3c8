package lowprio

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func lower() error {
	// A thread may start another between the listing and the setting: list
	// again until a pass finds every thread lowered.
	for pass := 0; pass < 10; pass++ {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return fmt.Errorf("lowering the CPU priority: %v", err)
		}
		changed := false
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			if Priority(tid) == Nice {
				continue
			}
			if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, Nice); err != nil {
				if err == syscall.ESRCH { // the thread has ended
					continue
				}
				return fmt.Errorf("lowering the CPU priority of thread %d: %v", tid, err)
			}
			changed = true
		}
		if !changed {
			return nil
		}
	}
	return fmt.Errorf("lowering the CPU priority: threads kept starting")
}

// Priority returns the nice value of thread tid (a name in
// /proc/self/task; 0, the calling thread), 0 when it cannot be read.
func Priority(tid int) int {
	// The system call returns 20 - nice, so that it is never negative.
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return 0
	}
	return 20 - p
}
