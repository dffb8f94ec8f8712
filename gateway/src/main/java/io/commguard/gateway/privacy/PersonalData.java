package io.commguard.gateway.privacy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises payload field names that carry personal information (PIPL), in English and Chinese:
 * faces and images of people, names, identity numbers, phone numbers, card and employee numbers,
 * licence plates. The
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

  /**
   * Chinese field names that are personal data; a name ending in one counts too (报警人姓名,
   * 住户手机号).
   */
  private static final List<String> CHINESE_NAMES = List.of(
      "姓名", "名字", "联系人", "户主", "业主", "住户", "身份证", "身份证号", "身份证号码", "证件号", "证件号码", "护照号",
      "手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "卡号", "银行卡号", "工号", "住址", "地址", "车牌",
      "车牌号", "人脸", "邮箱");

  /** Fragments that mark a face or inline image field whatever the rest of the name is. */
  private static final String[] FRAGMENTS = {"face", "base64", "picdata", "imagedata", "picturedata", "fingerprint", "iris"};

  private PersonalData() {}

  /** True when {@code fieldName} (the last element of a path, or an output name) is personal data. */
  public static boolean isPersonal(String fieldName) {
    String n = normalise(fieldName);
    if (NAMES.contains(n)) {
      return true;
    }
    for (String c : CHINESE_NAMES) {
      if (n.endsWith(c)) {
        return true;
      }
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
