package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ofac"
)

func (a *app) scorePairsCommand() *cobra.Command {
	var in, out string
	cmd := &cobra.Command{
		Use:   "score-pairs --input FILE.csv --output FILE.jsonl",
		Short: "Score labelled name pairs (to validate the matcher)",
		Long: `Score name pairs for validating the matcher on your own labelled data. The input is a CSV with a
header with columns id, name1, name2 and schema (person, organization, vessel, aircraft; others
count as unknown). Each output line is {"id", "score", "match"} with match decided at the
default threshold. name2 is read as a list entry ("LAST, First" names of persons are split
into family and given names) and scored exactly as screening name1 would score it; token
rarity comes from the lists in use.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if in == "" || out == "" {
				return lexscreen.Errorf(lexscreen.EINVALID, "both --input and --output are required")
			}
			f, err := os.Open(in)
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "--input %s: %v", in, err)
			}
			defer f.Close()
			r := csv.NewReader(f)
			r.FieldsPerRecord = -1
			header, err := r.Read()
			if err != nil {
				return &lexscreen.Error{Code: lexscreen.EINVALID, File: in, Line: 1, Message: "cannot read the header: " + err.Error()}
			}
			col := map[string]int{}
			for i, h := range header {
				col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
			}
			for _, need := range []string{"name1", "name2"} {
				if _, ok := col[need]; !ok {
					return &lexscreen.Error{Code: lexscreen.EINVALID, File: in, Line: 1, Message: "the header has no " + need + " column"}
				}
			}
			s, err := a.screener()
			if err != nil {
				return err
			}
			m := s.Matcher()
			of, err := os.Create(out)
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "--output %s: %v", out, err)
			}
			defer of.Close()
			w := bufio.NewWriter(of)
			enc := json.NewEncoder(w)
			get := func(rec []string, k string) string {
				if i, ok := col[k]; ok && i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
				return ""
			}
			n, hits := 0, 0
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				line, _ := r.FieldPos(0)
				if err != nil {
					return &lexscreen.Error{Code: lexscreen.EINVALID, File: in, Line: line, Message: err.Error()}
				}
				n++
				id := get(rec, "id")
				if id == "" {
					id = fmt.Sprintf("row-%d", n)
				}
				schema := lexscreen.ParseSchema(get(rec, "schema"))
				e := pairEntity("pair:"+id, get(rec, "name2"), schema)
				score := m.ScorePair(lexscreen.Query{Name: get(rec, "name1"), Schema: schema}, e)
				match := score >= m.Threshold()
				if match {
					hits++
				}
				enc.Encode(map[string]any{"id": id, "score": score, "match": match})
			}
			if err := w.Flush(); err != nil {
				return err
			}
			a.note("%d pairs scored, %d matches at threshold %.2f; results in %s", n, hits, m.Threshold(), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&in, "input", "", "CSV with id,name1,name2,schema")
	cmd.Flags().StringVar(&out, "output", "", "JSON-lines output")
	return cmd
}

// pairEntity is the listed side of a labelled pair, read as the lists are
// read: a person's "LAST, First Middle" name gets its family, given and
// middle parts as OFAC's list does (ofac.PersonNameParts), so that the
// pair scores what screening the list's entry scores ("MADURO MOROS,
// Nicolas" is a family name of two words, not three words in a row).
// Scoring goes through match.Matcher.ScorePair, which scores as screening
// does.
func pairEntity(id, name string, schema lexscreen.Schema) *lexscreen.Entity {
	n := lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary}
	if schema == lexscreen.SchemaPerson {
		n.Parts = ofac.PersonNameParts(name)
	}
	return &lexscreen.Entity{ID: id, Source: "pair", Schema: schema, Names: []lexscreen.Name{n}}
}
