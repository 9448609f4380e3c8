package regime

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// reDirProfileName is what a profile of a profile directory may be called.
var reDirProfileName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// ValidProfileName reports whether name may name a profile of a profile
// directory (and an inline profile): lower-case letters, digits, - and _,
// starting with a letter or digit. Such a name is never a path.
func ValidProfileName(name string) bool {
	return len(name) <= 100 && reDirProfileName.MatchString(name)
}

// LoadProfiles reads the operator profiles of a directory, for a server:
// every NAME.yaml or NAME.yml in dir (not its subdirectories) is the
// profile NAME, read strictly (ParseOperatorYAML). A profile's name: field,
// if any, must be NAME; NAME must be a valid profile name and not a
// built-in one. The files are read once: requests look profiles up by
// name in the map and never reach the file system.
func LoadProfiles(dir string) (map[string]Operator, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "profiles directory: %v", err)
	}
	out := map[string]Operator{}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || ext != ".yaml" && ext != ".yml" {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ext)
		path := filepath.Join(dir, e.Name())
		if !ValidProfileName(name) || IsBuiltinProfile(name) {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path,
				Message: "profile name " + name + ": want lower-case letters, digits, - and _ (not a built-in profile's name)"}
		}
		if _, dup := out[name]; dup {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Message: "profile " + name + " given twice (.yaml and .yml)"}
		}
		if !e.Type().IsRegular() {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Message: "not a regular file"}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Message: "cannot read operator profile: " + err.Error(), Err: err}
		}
		op, err := ParseOperatorYAML(path, b)
		if err != nil {
			return nil, err
		}
		if op.Name != name && op.Name != "custom-"+op.Role {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Message: "name: " + op.Name + " is not the file's name " + name}
		}
		op.Name = name
		out[name] = op
	}
	return out, nil
}
