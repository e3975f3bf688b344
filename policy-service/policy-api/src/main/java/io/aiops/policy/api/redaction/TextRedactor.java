package io.aiops.policy.api.redaction;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a {@link RedactionMode} to text. REDACTED replaces e-mail addresses, IBANs (mod-97 checked), card numbers
 * (Luhn checked), phone numbers, API-key-like strings and matches of custom patterns by masks such as
 * {@code <EMAIL:3fa1c2d9>}: the hex is the start of HMAC-SHA256(mask key, kind + ":" + value), so one value always
 * gets the same mask under one key and analysts can still join on it. Text that already carries masks is left as is
 * around them, so applying the redaction twice (worker, then server) gives the same result. Plain Java, shared by the
 * worker and the policy service.
 */
public final class TextRedactor {

  /** Longest custom pattern accepted. */
  public static final int MAX_PATTERN_LENGTH = 500;

  private static final Pattern MASK = Pattern.compile("<[A-Z_]+[0-9]*:[0-9a-f]{8}>");
  private static final Pattern HASH_ONLY_FORM = Pattern.compile("\\[sha256=[0-9a-f]{64} chars=\\d+ utf8Bytes=\\d+]");

  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");
  // international (+49 ...), national with a trunk zero (030 1234567, (0)30 ...) or North American (555-123-4567)
  private static final Pattern PHONE =
      Pattern.compile("(?<![\\w+])(?:\\+[0-9][0-9 ()./-]{5,}[0-9]|\\(?0[0-9]{1,4}\\)?[ ./-]?[0-9][0-9 ./-]{4,}[0-9]"
          + "|\\(?[0-9]{3}\\)?[-. ][0-9]{3}[-. ][0-9]{4})(?![0-9])");
  private static final Pattern API_KEY =
      Pattern.compile("\\b(?:(?:sk|pk|rk|ak|aiops|ghp|gho|ghs|xox[abpr])[-_][A-Za-z0-9_-]{16,}|AKIA[A-Z0-9]{16}"
          + "|(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,})\\b");

  private record Detector(String label, Pattern pattern, Predicate<String> accept, boolean custom) {

    Detector(String label, Pattern pattern, Predicate<String> accept) {
      this(label, pattern, accept, false);
    }
  }

  /**
   * Character reads a custom pattern may make per character of the text (plus a fixed allowance) before it counts as
   * running away: a pattern with catastrophic backtracking, e.g. {@code (a+)+b}, would otherwise stall the worker.
   * Counting reads instead of time keeps the limit the same on every machine.
   */
  static final long CUSTOM_READS_PER_CHAR = 1_000;

  /** The text a custom pattern reads, refusing reads past its budget. */
  private static final class ReadLimitedText implements CharSequence {
    private final CharSequence text;
    private final long[] readsLeft;

    ReadLimitedText(CharSequence text, long[] readsLeft) {
      this.text = text;
      this.readsLeft = readsLeft;
    }

    @Override
    public char charAt(int index) {
      if (--readsLeft[0] < 0) {
        throw new PatternRanAway();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new ReadLimitedText(text.subSequence(start, end), readsLeft);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  /** A custom pattern used up its read budget on a text. */
  private static final class PatternRanAway extends RuntimeException {
    PatternRanAway() {
      super(null, null, false, false);
    }
  }

  private final byte[] maskKey;
  private final List<Detector> detectors;

  /**
   * @param maskKey key of the stable masks (the policy service hands each project's key out with the decision)
   * @param customPatterns extra regular expressions, masked as {@code CUSTOM1}, {@code CUSTOM2}, ... in order
   * @throws IllegalArgumentException when a custom pattern is not a valid regular expression or too long
   */
  public TextRedactor(byte[] maskKey, List<String> customPatterns) {
    if (maskKey == null || maskKey.length == 0) {
      throw new IllegalArgumentException("a mask key is required");
    }
    this.maskKey = maskKey.clone();
    List<Detector> all = new ArrayList<>();
    all.add(new Detector("EMAIL", EMAIL, v -> true));
    all.add(new Detector("IBAN", IBAN, TextRedactor::validIban));
    all.add(new Detector("CARD", CARD, TextRedactor::passesLuhn));
    all.add(new Detector("API_KEY", API_KEY, v -> true));
    all.add(new Detector("PHONE", PHONE, TextRedactor::plausiblePhone));
    List<String> custom = customPatterns == null ? List.of() : customPatterns;
    for (int i = 0; i < custom.size(); i++) {
      all.add(new Detector("CUSTOM" + (i + 1), compileCustom(custom.get(i)), v -> !v.isEmpty(), true));
    }
    this.detectors = List.copyOf(all);
  }

  /**
   * Compiles one custom pattern.
   *
   * @throws IllegalArgumentException naming why the pattern is refused
   */
  public static Pattern compileCustom(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("a custom pattern must not be empty");
    }
    if (pattern.length() > MAX_PATTERN_LENGTH) {
      throw new IllegalArgumentException("a custom pattern may have at most " + MAX_PATTERN_LENGTH + " characters");
    }
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription(), e);
    }
  }

  /** The text as the mode keeps it; null stays null. */
  public String apply(RedactionMode mode, String text) {
    if (text == null || mode == null || mode == RedactionMode.FULL) {
      return text;
    }
    return mode == RedactionMode.REDACTED ? redact(text) : hashOnly(text);
  }

  /**
   * Replaces every detected value by its mask. When a custom pattern runs away on the text (see
   * {@link #CUSTOM_READS_PER_CHAR}), what it would have masked is unknown, so the text is kept only as its hash.
   */
  public String redact(String text) {
    if (text == null || HASH_ONLY_FORM.matcher(text).matches()) {
      return text;
    }
    String result = text;
    try {
      for (Detector detector : detectors) {
        result = maskOutsideMasks(result, detector);
      }
    } catch (PatternRanAway e) {
      return hashOnly(text);
    }
    return result;
  }

  /**
   * {@code [sha256=<hex> chars=<n> utf8Bytes=<n>]}; text already in this form is kept, so the server can apply the
   * mode again to what a worker sent.
   */
  public static String hashOnly(String text) {
    if (text == null || HASH_ONLY_FORM.matcher(text).matches()) {
      return text;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    try {
      String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
      return "[sha256=" + hex + " chars=" + text.length() + " utf8Bytes=" + utf8.length + "]";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The mask of one value of one kind. */
  public String mask(String label, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(maskKey, "HmacSHA256"));
      byte[] digest = mac.doFinal((label + ":" + value).getBytes(StandardCharsets.UTF_8));
      return "<" + label + ":" + HexFormat.of().formatHex(digest, 0, 4) + ">";
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private String maskOutsideMasks(String text, Detector detector) {
    StringBuilder out = new StringBuilder(text.length());
    Matcher masks = MASK.matcher(text);
    int from = 0;
    while (masks.find()) {
      out.append(maskSegment(text.substring(from, masks.start()), detector)).append(masks.group());
      from = masks.end();
    }
    out.append(maskSegment(text.substring(from), detector));
    return out.toString();
  }

  private String maskSegment(String segment, Detector detector) {
    Matcher m = detector.custom()
        ? detector.pattern().matcher(new ReadLimitedText(segment,
            new long[] {CUSTOM_READS_PER_CHAR * ((long) segment.length() + 100)}))
        : detector.pattern().matcher(segment);
    StringBuilder out = new StringBuilder(segment.length());
    int from = 0;
    while (m.find()) {
      if (m.end() == m.start() || !detector.accept().test(m.group())) {
        continue;
      }
      out.append(segment, from, m.start()).append(mask(detector.label(), m.group()));
      from = m.end();
    }
    return from == 0 ? segment : out.append(segment, from, segment.length()).toString();
  }

  static boolean passesLuhn(String candidate) {
    String digits = candidate.replaceAll("[^0-9]", "");
    if (digits.length() < 13 || digits.length() > 19) {
      return false;
    }
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  static boolean validIban(String candidate) {
    String iban = candidate.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder numeric = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      if (Character.isDigit(c)) {
        numeric.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        numeric.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  static boolean plausiblePhone(String candidate) {
    long digits = candidate.chars().filter(Character::isDigit).count();
    return digits >= 7 && digits <= 15;
  }
}
