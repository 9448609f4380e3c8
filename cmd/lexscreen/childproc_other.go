//go:build !linux

package main

import "syscall"

// childProcAttr: elsewhere than Linux a helper process ends with its
// context only.
func childProcAttr() *syscall.SysProcAttr { return nil }
