package io.commguard.gateway.privacy;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises payload field names that carry personal information (PIPL): faces and images of
 * people, names, identity numbers, phone numbers, card and employee numbers, licence plates. The
 * profile validator refuses to forward such a field in clear unless the profile says
 * {@code privacy: forward} with a justification.
 */
public final class PersonalData {
  /** Normalised (lowercase, letters and digits only) field names that are personal data. */
  private static final Set<String> NAMES = Set.of(
      "name", "personname", "fullname", "username", "firstname", "lastname", "realname",
      "idnumber", "idno", "idcard", "idcardno", "idcardnumber", "certificatenumber", "certificateno", "certno",
      "passportno", "phone", "phonenumber", "phoneno", "mobile", "mobileno", "tel", "telephone",
      "cardno", "cardnumber", "cardid", "employeeno", "employeenostring", "employeeid", "personid", "pin",
      "licenseplate", "plate", "platenumber", "plateno", "address", "email");

  /** Fragments that mark a face or inline image field whatever the rest of the name is. */
  private static final String[] FRAGMENTS = {"face", "base64", "picdata", "imagedata", "picturedata", "fingerprint", "iris"};

  private PersonalData() {}

  /** True when {@code fieldName} (the last element of a path, or an output name) is personal data. */
  public static boolean isPersonal(String fieldName) {
    String n = normalise(fieldName);
    if (NAMES.contains(n)) {
      return true;
    }
    for (String f : FRAGMENTS) {
      if (n.contains(f)) {
        return true;
      }
    }
    return false;
  }

  private static String normalise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
