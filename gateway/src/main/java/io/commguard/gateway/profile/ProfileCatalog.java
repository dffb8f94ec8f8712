package io.commguard.gateway.profile;

import io.commguard.gateway.validation.InvalidInputException;
import io.commguard.gateway.validation.Problem;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The profiles a gateway knows: the built-in set packaged with it, plus the profiles of a profiles
 * directory, which add to it and, for the same id, replace the built-in profile; replacements that
 * differ from the built-in file are logged. Blocking I/O: load at boot or from the CLI.
 *
 * @param profiles every known profile by id, sorted by id
 * @param overridden ids of built-in profiles replaced by one from the directory
 */
public record ProfileCatalog(Map<String, DeviceProfile> profiles, Set<String> overridden) {
  private static final System.Logger LOG = System.getLogger(ProfileCatalog.class.getName());

  public ProfileCatalog {
    profiles = Collections.unmodifiableMap(new TreeMap<>(profiles));
    overridden = Collections.unmodifiableSet(new TreeSet<>(overridden));
  }

  /**
   * Loads the built-in profiles and, when {@code dir} is not null, the directory's. Logs which
   * built-in profiles the directory replaces.
   *
   * @throws InvalidInputException listing every problem of the built-in set and the directory
   */
  public static ProfileCatalog load(ProfileLoader loader, Path dir) {
    List<Problem> problems = new ArrayList<>();
    Map<String, DeviceProfile> builtIn = Map.of();
    Map<String, DeviceProfile> fromDir = Map.of();
    try {
      builtIn = loader.loadBuiltIn();
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
    }
    if (dir != null) {
      try {
        fromDir = loader.loadDirectory(dir);
      } catch (InvalidInputException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Map<String, DeviceProfile> all = new TreeMap<>(builtIn);
    all.putAll(fromDir);
    Set<String> overridden = new TreeSet<>(fromDir.keySet());
    overridden.retainAll(builtIn.keySet());
    // A copy of the shipped tree (a Docker image, the source checkout) replaces nothing worth saying.
    Set<String> changed = new TreeSet<>();
    for (String id : overridden) {
      if (!sameText(builtIn.get(id), fromDir.get(id))) {
        changed.add(id);
      }
    }
    if (!changed.isEmpty()) {
      LOG.log(Level.INFO, "Profiles directory replaces built-in profiles dir=" + dir + " ids=" + changed);
    }
    return new ProfileCatalog(all, overridden);
  }

  private static boolean sameText(DeviceProfile a, DeviceProfile b) {
    try {
      return Arrays.equals(ProfileLoader.text(a), ProfileLoader.text(b));
    } catch (IOException e) {
      return false;
    }
  }
}
