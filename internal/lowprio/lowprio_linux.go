package lowprio

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// ioprio_set(2): a thread's I/O class is the top bits of its priority.
const (
	ioprioWhoProcess = 1 // who: one thread (a tid)
	ioprioClassShift = 13
	ioClassIdle      = 3
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
			if Priority(tid) == Nice && IOClass(tid) == ioClassIdle {
				continue
			}
			if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, Nice); err != nil {
				if err == syscall.ESRCH { // the thread has ended
					continue
				}
				return fmt.Errorf("lowering the CPU priority of thread %d: %v", tid, err)
			}
			if _, _, errno := syscall.Syscall(syscall.SYS_IOPRIO_SET, ioprioWhoProcess, uintptr(tid), ioClassIdle<<ioprioClassShift); errno != 0 && errno != syscall.ESRCH {
				return fmt.Errorf("lowering the I/O priority of thread %d: %v", tid, errno)
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

// IOClass returns the I/O scheduling class of thread tid (0: none set,
// the default; 1 real time; 2 best effort; 3 idle), -1 when it cannot be
// read.
func IOClass(tid int) int {
	p, _, errno := syscall.Syscall(syscall.SYS_IOPRIO_GET, ioprioWhoProcess, uintptr(tid), 0)
	if errno != 0 {
		return -1
	}
	return int(p >> ioprioClassShift)
}
