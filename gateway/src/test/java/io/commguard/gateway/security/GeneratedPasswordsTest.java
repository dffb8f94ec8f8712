package io.commguard.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedPasswordsTest {
  @Test
  void generate_twentyCharactersOfTheUnambiguousAlphabet_neverRepeating() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String p = GeneratedPasswords.generate();
      assertThat(p).hasSize(20).matches("[A-HJ-NP-Za-kmnp-z2-9]{20}");
      seen.add(p);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void hash_verifiesTheGeneratedPasswordOnly_andKeepsNoPlaintext() {
    String password = GeneratedPasswords.generate();

    String hash = GeneratedPasswords.hash(password);

    assertThat(hash).startsWith("pbkdf2-sha256$1$").doesNotContain(password);
    assertThat(PasswordHash.verify(password.toCharArray(), hash)).isTrue();
    assertThat(PasswordHash.verify((password + "x").toCharArray(), hash)).isFalse();
    assertThat(PasswordHash.isWellFormed(hash)).as("not accepted as a hash of a chosen password in a config file").isFalse();
  }

  @Test
  void verify_acceptsTheStrongerHashesOfEarlierReleases_andChosenOnes() {
    String password = GeneratedPasswords.generate();
    String earlier = PasswordHash.hash(password.toCharArray(), 1_000); // what releases before this one kept
    String chosen = PasswordHash.hash(password.toCharArray());

    assertThat(PasswordHash.verify(password.toCharArray(), earlier)).isTrue();
    assertThat(PasswordHash.verify(password.toCharArray(), chosen)).isTrue();
    assertThat(PasswordHash.verify((password + "x").toCharArray(), earlier)).isFalse();
  }

  @Test
  void verify_refusesAHashWithoutIterations() {
    String hash = GeneratedPasswords.hash("Abcdefghjkmnpqrstuvw");

    assertThat(PasswordHash.verify("Abcdefghjkmnpqrstuvw".toCharArray(), hash.replace("$1$", "$0$"))).isFalse();
  }
}
