package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
  @Test
  void verify_rightPassword_true_wrongPassword_false() {
    String stored = PasswordHash.hash("correct horse".toCharArray());

    assertThat(PasswordHash.verify("correct horse".toCharArray(), stored)).isTrue();
    assertThat(PasswordHash.verify("correct horsf".toCharArray(), stored)).isFalse();
    assertThat(stored).doesNotContain("correct");
  }

  @Test
  void hash_samePasswordTwice_differentSalts() {
    assertThat(PasswordHash.hash("p".toCharArray())).isNotEqualTo(PasswordHash.hash("p".toCharArray()));
  }

  @Test
  void isWellFormed_rejectsPlaintextAndWeakIterations() {
    assertThat(PasswordHash.isWellFormed("hunter2")).isFalse();
    assertThat(PasswordHash.isWellFormed("pbkdf2-sha256$10$AAAAAAAAAAA$AAAA")).isFalse();
    assertThat(PasswordHash.isWellFormed(PasswordHash.hash("x".toCharArray()))).isTrue();
  }

  @Test
  void commonIterations_isWhatMostConfiguredHashesUse() {
    String cheap = PasswordHash.hash("a".toCharArray(), 10_000);
    assertThat(PasswordHash.commonIterations(java.util.List.of(cheap, PasswordHash.hash("b".toCharArray(), 10_000),
        PasswordHash.hash("c".toCharArray())))).isEqualTo(10_000);
    assertThat(PasswordHash.commonIterations(java.util.List.of("garbage"))).isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
    assertThat(PasswordHash.verify("a".toCharArray(), cheap)).isTrue();
  }
}
