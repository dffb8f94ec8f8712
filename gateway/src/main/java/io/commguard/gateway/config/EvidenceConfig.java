package io.commguard.gateway.config;

/**
 * Pictures that devices send with their events (a camera's scene snapshot, a face crop). They never
 * travel upstream: by default they are dropped and counted; with {@code pictures: keep} they are
 * kept in a bounded store in the data dir and the alert carries a reference to them.
 *
 * @param pictures {@code drop} (default) or {@code keep}
 * @param facePictures {@code drop} (default) or {@code keep}: pictures of a person's face (a part
 *     named as a face, any picture of an access event or of a face event) — personal data that the
 *     operator keeps only with a legal basis; applies only when {@code pictures} is {@code keep}
 * @param maxBytes the store's size cap; the oldest pictures are evicted to stay under it
 * @param maxPictureBytes a larger picture is dropped and counted
 * @param retentionDays pictures older than this are deleted
 */
public record EvidenceConfig(Keep pictures, Keep facePictures, Long maxBytes, Integer maxPictureBytes,
    Integer retentionDays) {
  public static final EvidenceConfig DEFAULTS = new EvidenceConfig(null, null, null, null, null);

  /** Whether a kind of picture is kept. */
  public enum Keep { DROP, KEEP }

  public EvidenceConfig {
    pictures = pictures == null ? Keep.DROP : pictures;
    facePictures = facePictures == null ? Keep.DROP : facePictures;
    maxBytes = maxBytes == null ? 256L << 20 : maxBytes;
    maxPictureBytes = maxPictureBytes == null ? 8 << 20 : maxPictureBytes;
    retentionDays = retentionDays == null ? 7 : retentionDays;
  }
}
