package io.commguard.gateway.source.modbus.map;

import java.util.Arrays;
import java.util.Optional;

/**
 * Order of the bytes of a multi-byte value as they arrive on the wire, written with letters where
 * {@code A} is the most significant byte: {@code ABCD} is big-endian, {@code CDAB} swaps the two
 * words, {@code BADC} swaps the bytes in each word, {@code DCBA} is little-endian. 64-bit values use
 * eight letters ({@code ABCDEFGH}, {@code GHEFCDAB}, {@code BADCFEHG}, {@code HGFEDCBA}, or any other
 * permutation such as {@code EFGHABCD}); 16-bit values {@code AB} or {@code BA}.
 */
public final class ByteOrder {
  public static final ByteOrder ABCD = parse("ABCD").orElseThrow();

  private final String pattern;
  /** For value byte k (0 = most significant), the index of the wire byte that holds it. */
  private final int[] wireIndex;

  private ByteOrder(String pattern, int[] wireIndex) {
    this.pattern = pattern;
    this.wireIndex = wireIndex;
  }

  /** Parses a pattern; empty when it is not a permutation of the first 2, 4 or 8 letters. */
  public static Optional<ByteOrder> parse(String pattern) {
    if (pattern == null) {
      return Optional.empty();
    }
    int n = pattern.length();
    if (n != 2 && n != 4 && n != 8) {
      return Optional.empty();
    }
    int[] wireIndex = new int[n];
    Arrays.fill(wireIndex, -1);
    for (int i = 0; i < n; i++) {
      int letter = pattern.charAt(i) - 'A';
      if (letter < 0 || letter >= n || wireIndex[letter] != -1) {
        return Optional.empty();
      }
      wireIndex[letter] = i;
    }
    return Optional.of(new ByteOrder(pattern, wireIndex));
  }

  /** Number of bytes this pattern describes. */
  public int width() {
    return wireIndex.length;
  }

  /**
   * This order for a value of {@code bytes} bytes: a 4-letter order applied to a 64-bit value
   * extends word-wise (CDAB → GHEFCDAB), and a 2- or 4-letter order applied to 16 bits keeps only
   * whether bytes are swapped in a word.
   */
  public ByteOrder forWidth(int bytes) {
    if (bytes == width()) {
      return this;
    }
    boolean byteSwap = wireIndex[0] % 2 == 1;
    boolean wordSwap = wireIndex[0] >= width() / 2 && width() > 2;
    StringBuilder sb = new StringBuilder(bytes);
    int words = bytes / 2;
    for (int w = 0; w < words; w++) {
      int word = wordSwap ? words - 1 - w : w;
      char hi = (char) ('A' + 2 * word);
      char lo = (char) (hi + 1);
      sb.append(byteSwap ? lo : hi).append(byteSwap ? hi : lo);
    }
    return parse(sb.toString()).orElseThrow();
  }

  /** Reassembles the big-endian value bytes from {@code width()} wire bytes starting at {@code offset}. */
  long toLong(byte[] wire, int offset) {
    long v = 0;
    for (int k = 0; k < wireIndex.length; k++) {
      v = (v << 8) | (wire[offset + wireIndex[k]] & 0xFF);
    }
    return v;
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteOrder other && other.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
