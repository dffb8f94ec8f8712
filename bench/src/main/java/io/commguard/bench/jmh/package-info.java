/**
 * JMH micro-benchmarks of the gateway's hot paths: decode per codec, rule evaluation, protobuf
 * encode, outbox group commit. Run with {@code java -jar bench/target/bench.jar jmh [JMH args]};
 * JMH owns the threads.
 */
package io.commguard.bench.jmh;
