// Package distributed screens a batch over many processes and machines on
// NATS JetStream; monitoring runs use the same stream, workers and results
// store (chunks of Kind KindMonitor, one result per part: see
// monitor.Fanout).
//
// A submitter splits the batch into chunks of rows and publishes them on a
// work stream (WorkQueue retention: a chunk is removed once a worker acks
// it). Workers pull chunks from one shared durable consumer, screen the
// rows, store one result per row in a results store keyed by (job, row),
// and ack only after the results are stored. A worker that dies leaves its
// chunk unacked: JetStream redelivers it after AckWait (at most MaxDeliver
// times), and the results store keeps the first result of a row and
// ignores a second one, so a redelivered chunk never duplicates a row.
// Long chunks are kept alive with in-progress acks.
//
// A chunk that can't be screened (MaxDeliver reached, a message no worker
// can read) is never silently lost: JetStream advises the submitter, which
// names the rows without a result.
package distributed
