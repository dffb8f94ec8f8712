/**
 * The device registry: the running gateway's source of truth for which devices exist, how each
 * reaches its source and whether it is in service. Persisted in {@code devices.db} in the data
 * dir; every change is one SQLite transaction on the registry's own writer thread, then published
 * as an immutable snapshot (lookups on event loops never touch the database) and as a
 * {@link io.commguard.gateway.registry.DeviceChanges} to the listeners (sources, rules).
 */
package io.commguard.gateway.registry;
