/**
 * Event-stream source: the gateway connects out to each Hikvision camera or access controller
 * ({@code /ISAPI/Event/notification/alertStream}) and Dahua camera ({@code
 * /cgi-bin/eventManager.cgi?action=attach}) with HTTP digest authentication, holds the endless
 * multipart response, and hands each event part to the device's profile decoder through the shared
 * {@code Ingest}. With the evidence store keeping pictures, the picture parts after an event are
 * attached to it ({@code PictureAttacher}); otherwise they are skipped unread.
 *
 * <p>Threads: each device's stream lives on one Vert.x event loop (its own context) and never
 * blocks it; parsing is incremental and bounded per read. Reading a password file is the only
 * blocking step and runs on a worker before each connection; kept pictures are written by the
 * evidence store's thread.
 */
package io.commguard.gateway.source.stream;
