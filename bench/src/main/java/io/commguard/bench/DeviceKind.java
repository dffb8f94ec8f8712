package io.commguard.bench;

/** The simulated MQTT device models and the shipped profile each one is decoded with. */
enum DeviceKind {
  GAS("generic-nbiot-gas-detector"),
  CAMERA("hikvision-isapi-camera"),
  ACCESS("hikvision-access-controller");

  final String profile;

  DeviceKind(String profile) {
    this.profile = profile;
  }

  /** The realistic community mix: 70 % gas detectors, 20 % cameras, 10 % access controllers. */
  static DeviceKind ofIndex(int i) {
    int m = i % 10;
    return m < 7 ? GAS : m < 9 ? CAMERA : ACCESS;
  }
}
