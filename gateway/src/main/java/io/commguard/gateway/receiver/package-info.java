/**
 * The reference city receiver: subscribes to gateway alert batches with an MQTT 5 shared
 * subscription, de-duplicates, stores (SQLite or JSON lines), acknowledges and prints. Runs on
 * Paho's callback thread: one batch is stored (and fsynced) before its {@code Ack} is published
 * and before the next batch is read, which is the receiver's back-pressure.
 */
package io.commguard.gateway.receiver;
