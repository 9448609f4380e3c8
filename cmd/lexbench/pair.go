package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/quality"
	"github.com/lexscreen/lexscreen/match"
)

// benchPair explains how the matcher scores one query name against one
// listed name, with token rarity from the bundled lists: the tool for
// looking into a wrongly decided pair of the evaluation.
//
//	go run ./cmd/lexbench pair [-schema person] QUERY LISTED
func benchPair(args []string) int {
	fs := flag.NewFlagSet("pair", flag.ExitOnError)
	schema := fs.String("schema", "", "schema of both sides: person, organization, company, vessel, aircraft (empty: unknown)")
	fs.Parse(args)
	if fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: lexbench pair [-schema S] QUERY LISTED")
		return 2
	}
	es, lists, err := loadBundled()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	m := match.New(buildIndex(es, lists))
	s := quality.MapSchema(*schema)
	e := &lexscreen.Entity{ID: "pair:1", Source: "pair", Schema: s}
	e.AddName(lexscreen.Name{Full: fs.Arg(1), Kind: lexscreen.NamePrimary})
	mt, ok := m.ExplainPair(lexscreen.Query{Name: fs.Arg(0), Schema: s}, e)
	if !ok {
		fmt.Println("no alignment: score 0")
		return 0
	}
	out, _ := json.MarshalIndent(mt, "", "  ")
	fmt.Println(string(out))
	return 0
}
