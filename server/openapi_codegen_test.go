package server

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	// The generated client's runtime: required by go.mod (so in go.sum
	// and the module cache) for the offline build below.
	_ "github.com/oapi-codegen/runtime"
	_ "github.com/oapi-codegen/runtime/types"
)

// A Go client generated from /openapi.json by oapi-codegen (models and
// client) compiles: built offline (GOPROXY=off) in the main module, from
// the modules this test was built with.
func TestOpenAPIClientCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	b, err := json.Marshal(New(Config{EngineVersion: "test"}).OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, err := codegen.Generate(doc, codegen.Configuration{PackageName: "lexclient",
		Generate: codegen.GenerateOptions{Models: true, Client: true}})
	if err != nil {
		t.Fatalf("oapi-codegen: %v", err)
	}
	for _, want := range []string{"func (c *Client) PostV1Screen(", "func (c *Client) PostMatchDataset(", "type Result struct", "type PartialDate = string"} {
		if !strings.Contains(code, want) {
			t.Errorf("generated client lacks %q", want)
		}
	}
	// Built inside the main module (a testdata directory is no part of
	// ./...): its go.mod and go.sum, and the modules this test binary was
	// built from, are all it needs; a module of its own would need the go.mod
	// of every module in oapi-codegen/runtime's graph.
	dir, err := os.MkdirTemp("testdata", "oapi-client-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "client.gen.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "build", "./"+filepath.ToSlash(dir))
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the generated client does not build: %v\n%s", err, out)
	}
}
