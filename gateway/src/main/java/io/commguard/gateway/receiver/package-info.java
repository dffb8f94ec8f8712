/**
 * The reference city receiver: subscribes to gateway alert batches with an MQTT 5 shared
 * subscription, de-duplicates, stores (SQLite or JSON lines), acknowledges and prints. Paho's
 * callback thread decodes and queues (bounded; it blocks when full, which holds the broker back);
 * one store thread commits every queued batch in one transaction before publishing their acks.
 */
package io.commguard.gateway.receiver;
