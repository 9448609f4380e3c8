package source

import (
	"errors"
	"fmt"

	"github.com/lexscreen/lexscreen"
)

// NewError returns an EINVALID error located in a file. line is 1-based
// (0 when unknown); element names the XML element, CSV column or record
// ("sdnEntry uid=9647"), empty when not useful.
func NewError(file string, line int, element string, format string, args ...any) *lexscreen.Error {
	return &lexscreen.Error{Code: lexscreen.EINVALID, Message: fmt.Sprintf(format, args...), File: file, Line: line, Element: element}
}

// WrapError locates err in a file unless it is already a located
// *lexscreen.Error; context cancellation passes through unchanged.
func WrapError(file string, line int, element string, err error) error {
	if err == nil {
		return nil
	}
	var le *lexscreen.Error
	if errors.As(err, &le) && le.File != "" {
		return err
	}
	if errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return &lexscreen.Error{Code: lexscreen.EINVALID, Message: err.Error(), File: file, Line: line, Element: element, Err: err}
}
