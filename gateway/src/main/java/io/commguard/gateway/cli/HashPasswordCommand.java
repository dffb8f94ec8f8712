package io.commguard.gateway.cli;

import io.commguard.gateway.security.DigestHash;
import io.commguard.gateway.security.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the salted hash of a device password for the {@code passwordHash} key of a device, or with
 * {@code --digest} the HTTP Digest value for a push device's {@code httpPush.digestHash}.
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Read a device password from the terminal (or one line of stdin) and print its salted hash for devices[].passwordHash.")
final class HashPasswordCommand implements Callable<Integer> {
  @Option(names = "--digest", paramLabel = "DEVICE_ID",
      description = "Print the HTTP Digest value (md5:<hex>) of this device id for devices[].httpPush.digestHash instead.")
  private String digestDevice;

  @Option(names = "--realm", defaultValue = "commguard", description = "The push listener's realm (httpPush.realm); default ${DEFAULT-VALUE}.")
  private String realm;

  @Option(names = "--sha256", description = "With --digest: SHA-256 instead of MD5 (only for devices that offer it).")
  private boolean sha256;

  @Override
  public Integer call() throws IOException {
    char[] password;
    Console console = System.console();
    if (console != null) {
      password = console.readPassword("Device password: ");
    } else {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    if (password == null || password.length < 8) {
      System.err.println("A device password needs at least 8 characters.");
      return 2;
    }
    System.out.println(digestDevice != null ? DigestHash.of(sha256, digestDevice, realm, password) : PasswordHash.hash(password));
    java.util.Arrays.fill(password, '\0');
    return 0;
  }
}
