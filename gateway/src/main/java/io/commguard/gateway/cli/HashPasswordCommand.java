package io.commguard.gateway.cli;

import io.commguard.gateway.security.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the salted hash of a device password for the {@code passwordHash} key of a device. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = "Read a device password from the terminal (or one line of stdin) and print its salted hash for devices[].passwordHash.")
final class HashPasswordCommand implements Callable<Integer> {
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
    System.out.println(PasswordHash.hash(password));
    java.util.Arrays.fill(password, '\0');
    return 0;
  }
}
