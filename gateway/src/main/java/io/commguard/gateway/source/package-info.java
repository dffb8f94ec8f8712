/**
 * Sources: where device traffic enters. Each protocol lives in its own sub-package and hands
 * canonical events to a {@link io.commguard.gateway.pipeline.EventSink}.
 */
package io.commguard.gateway.source;
