package io.commguard.gateway.model;

import java.util.Objects;

/**
 * A reference to evidence kept elsewhere (an image id, a clip URL on the camera or NVR). Raw image
 * bytes never travel in the model.
 */
public record Evidence(String kind, String ref) {
  public Evidence {
    Objects.requireNonNull(ref, "ref");
    kind = kind == null ? "" : kind;
  }
}
