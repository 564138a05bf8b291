/**
 * Several OpenTrunk nodes as one trunk (issue 20): what must be shared and fast lives in Redis (or
 * Valkey), reached through Lettuce's asynchronous API so that no SIP thread waits for it; what must
 * be durable stays in PostgreSQL. Channel leases with expiry and call rates
 * ({@link org.opentrunk.cluster.SharedCallAdmission}), change notices between nodes
 * ({@link org.opentrunk.cluster.ClusterEvents}), brute-force blocks and fraud-guard suspensions
 * ({@link org.opentrunk.cluster.SharedGuards}), the digest nonces' key and runs
 * ({@link org.opentrunk.cluster.SharedNonces}), the live calls of every node
 * ({@link org.opentrunk.cluster.LiveCallsBoard}) and the one node that sends keepalives
 * ({@link org.opentrunk.cluster.KeepaliveLeader}). Without {@code OT_REDIS_URL} none of it runs.
 * docs/cluster.md says why Redis, with the measured figures.
 */
package org.opentrunk.cluster;
