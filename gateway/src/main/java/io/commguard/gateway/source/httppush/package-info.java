/**
 * The HTTP push source: cameras and access controllers (Hikvision "HTTP listening" / alarm host,
 * Dahua event push) POST each event, often with pictures, to the gateway. The listener runs on the
 * Vert.x event loops (one verticle per loop on one port); slow password checks run on the login
 * verifier's threads and pictures are written by the evidence store's thread. Devices are found by
 * path and source address in the live {@link io.commguard.gateway.source.httppush.PushDevices};
 * events go to the shared {@link io.commguard.gateway.source.Ingest}, and a request is answered 200
 * only once they are committed. Owns the config section {@code httpPush} and the device key
 * {@code httpPush}.
 */
package io.commguard.gateway.source.httppush;
