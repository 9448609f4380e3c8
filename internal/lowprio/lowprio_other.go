//go:build !linux

package lowprio

import "errors"

func lower() error {
	return errors.New("lowering the CPU priority of a whole process is done on Linux only")
}
