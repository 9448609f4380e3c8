package match

import "github.com/cespare/xxhash/v2"

// delSeed tells apart the hashes of the deletion index's two key spaces:
// the letters of listed tokens (Index.seed) and their canonical spellings
// (Index.canonSeed). The hash is the same in every process, so that an
// index written to a file (persist.go) is read with the hashes it was
// built with.
type delSeed uint64

// The seeds of a new index: arbitrary, fixed constants (a persisted index
// keeps its own).
const (
	letterSeed delSeed = 0x9e3779b97f4a7c15
	canonKeys  delSeed = 0xc2b2ae3d27d4eb4f
)

// bytes hashes a deletion variant.
func (s delSeed) bytes(b []byte) uint64 { return mix(xxhash.Sum64(b) ^ uint64(s)) }

// string hashes a token's text.
func (s delSeed) string(t string) uint64 { return mix(xxhash.Sum64String(t) ^ uint64(s)) }

// mix spreads every bit of h over all of them (the finaliser of
// SplitMix64), so that the bucket (high bits) and filter (low bits) of
// the hashes of both seeds are independent.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}
