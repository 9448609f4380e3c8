package main

import "syscall"

// childProcAttr makes a helper process end with the server that started
// it (SIGKILL when the server's thread that started it ends).
func childProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
