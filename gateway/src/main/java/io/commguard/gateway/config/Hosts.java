package io.commguard.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host names in the config, judged without any DNS lookup. */
public final class Hosts {
  private Hosts() {}

  /** True for {@code localhost} and literal loopback addresses ({@code 127.x.x.x}, {@code ::1}). */
  public static boolean isLoopbackLiteral(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
