/**
 * The benchmark harness (issue 6): starts real peers (Mosquitto, the gateway as a separate JVM,
 * Node-RED), drives them with simulated devices, measures, and writes the JSON result, the
 * markdown report and the chart. Runs from the command line ({@link io.commguard.bench.BenchMain});
 * the load generator and the city subscriber run on their own Vert.x event loops, scenario control
 * on the main thread.
 */
package io.commguard.bench;
