// Package lowprio puts the whole running process at the lowest CPU and
// I/O priority, for background work that shares the machine with a server
// answering requests (an index rebuilt in another process, an import).
package lowprio

// Nice is the priority Lower sets: the lowest (Linux's nice 19). A thread
// of nice 19 weighs 15 against 1,024 for a thread of nice 0: when both want
// the same core, the other runs some 68 times as much, and takes the core
// as soon as it wakes up; an idle core is still the background work's.
const Nice = 19

// Lower sets every thread of the process to Nice, and its I/O to the idle
// class (as ionice -c 3: its reads and writes wait while another process
// uses the disk, where the disk's scheduler has classes, as Linux's
// mq-deadline and BFQ do; "none" ignores them). On Linux both are a
// thread's own, and a new thread takes those of the thread that starts
// it: once every thread is lowered, so are all the runtime starts later.
// It returns an error where it cannot (another system, or a thread that
// refused), with the process left as it was or partly lowered.
func Lower() error { return lower() }
